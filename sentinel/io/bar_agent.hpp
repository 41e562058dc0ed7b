#pragma once
// `sentinel bar` following a shell through the agent: the line of one
// session (by shell pid or tmux pane) or of the most recently active one,
// repainted on the agent's pushes (SUBSCRIBE), never by polling.

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "sentinel/core/config/config.hpp"
#include "sentinel/io/bar_feed.hpp"
#include "sentinel/core/agent/protocol.hpp"

namespace sentinel {

/// Which session the bar follows.
struct BarFollow {
    enum class By { pid, pane, active } by = By::active;
    std::string value;  ///< the shell's pid, or the tmux pane ("%3"); unused for `active`
};

/// A BarFeed fed by the agent's SUBSCRIBE stream (core/agent/protocol.hpp: SESSION and
/// GONE frames). The followed session's display as the agent derived it
/// (tier, label, colour, targets) and its "changed from" mark become the
/// content, so the bar draws what the session's own status line draws.
/// From an agent whose SESSION frames lack the display fields (an older
/// one), the prompt text is shown and the colour comes from `config`.
/// While the session is not (or no longer) known the line says so.
/// alive() turns false when the agent closes the connection.
class AgentFeed : public BarFeed {
public:
    /// Connects to the agent socket of `vars` (io/runtime_dir.hpp), says
    /// HELLO and SUBSCRIBE. Errors: no agent (the message names
    /// `sentinel agent`), a refused version.
    static Result<std::unique_ptr<AgentFeed>> connect(const Vars& vars, BarFollow follow, Config config);
    ~AgentFeed() override;

    int fd() const override { return fd_; }
    std::optional<Display> next() override;
    bool alive() const override { return alive_; }

private:
    struct Seen {
        std::string pid, pane, tier, label, text, changed_from, gen;
        std::optional<Color> color;  ///< the display fields; nullopt from an older agent
        bool dangerous = false;
        std::vector<TargetView> targets;
        long activity = 0;  ///< order of the last change or prompt, for `active`
    };
    AgentFeed(int fd, BarFollow follow, Config config);
    void on_frame(const Frame& frame);
    Display content() const;

    int fd_ = -1;
    BarFollow follow_;
    Config config_;
    FrameBuffer buffer_;
    std::map<std::string, Seen> sessions_;  ///< by session id
    long clock_ = 0;
    bool alive_ = true;
    std::optional<Display> shown_;
};

}  // namespace sentinel
