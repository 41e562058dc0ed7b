#pragma once
// The agent's state and its handlers, shared by its two halves:
// io/agent_server.cpp (the event loop: clients, inotify, signals, the idle
// timer; and run_agent) and io/agent_verbs.cpp (what each verb of the
// protocol does). Everyone else runs the agent with run_agent (io/agent.hpp).

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sentinel/core/agent/protocol.hpp"
#include "sentinel/core/agent/session.hpp"
#include "sentinel/core/display/prompt.hpp"
#include "sentinel/io/agent.hpp"
#include "sentinel/io/agent_cache.hpp"
#include "sentinel/io/agent_probe.hpp"
#include "sentinel/io/inotify.hpp"
#include "sentinel/io/session_display.hpp"

namespace sentinel {

/// One connected client: a shell's relay, a subscriber, the guard.
struct AgentClient {
    int fd = -1;
    FrameBuffer in;
    std::string out;
    bool hello = false;
    bool closing = false;  // flush `out`, then close
    bool subscriber = false;
    std::uint64_t session = 0;
    std::int64_t since = 0;      // when it connected (monotonic ms), to drop silent clients
    std::int64_t last_seen = 0;  // its last frame (monotonic ms), to drop idle ones when full
};

/// The resident agent: its clients, sessions, cached evaluations, file
/// watches and display sinks.
class AgentServer {
public:
    /// An agent listening on `listen_fd` (bound at options.socket_path).
    AgentServer(const AgentOptions& options, int listen_fd);

    /// The event loop of run_agent (io/agent.hpp): serves until a signal or
    /// the idle exit; returns the exit code.
    int run();

private:
    struct Verb;
    static const Verb kVerbs[];

    void log(const std::string& text);

    void accept_clients();
    // At the client limit: drops the client idle longest that holds no
    // session and no subscription; false when there is none.
    bool make_room(std::int64_t now);
    // Sends `ERROR limit why` to a connection not served, and closes it.
    void refuse(int fd, const std::string& why);
    void read_client(AgentClient& c);
    void handle(AgentClient& c, const Frame& f);
    // One handler per verb (kVerbs); each runs after the checks the table
    // names (a session, enough fields).
    void on_hello(AgentClient& c, const Frame& f);
    void on_ping(AgentClient& c, const Frame& f);
    void on_eval(AgentClient& c, const Frame& f);
    void on_register(AgentClient& c, const Frame& f);
    void on_subscribe(AgentClient& c, const Frame& f);
    void on_list(AgentClient& c, const Frame& f);
    void on_report(AgentClient& c, const Frame& f);
    void on_prompt(AgentClient& c, const Frame& f);
    void on_guard(AgentClient& c, const Frame& f);
    void on_busy(AgentClient& c, const Frame& f);
    // Queues `f` for `c`; a client that does not read is dropped.
    void send(AgentClient& c, const Frame& f);
    // Sends ERROR and drops the client once it is flushed.
    void fail(AgentClient& c, const std::string& code, const std::string& text);
    void drop(int fd);
    void evaluate_session(Session& s);
    std::pair<std::string, Tier> verdict(const std::string& cwd, const std::vector<std::string>& command,
                                         const Vars& vars, const std::string& asker);
    // The display sinks: the reserved status line on the session's
    // terminal, the OSC tint and its tmux pane options. `prompt`: the shell
    // is about to draw its prompt (reserve and paint); else a change.
    void show(Session& s, bool prompt);
    void on_files_changed(const std::set<std::string>& paths);
    void broadcast(const Frame& f);
    void publish(const Session& s) { broadcast(session_frame(instance_, s)); }
    void update_watches();
    void arm_idle_timer(bool on);

    AgentOptions opt_;
    int listen_fd_;
    std::size_t max_clients_;
    int reserve_fd_ = -1;  // kept open to accept-and-close when out of descriptors
    std::uint64_t refused_ = 0;
    int signal_fd_ = -1;
    int timer_fd_ = -1;
    bool timer_armed_ = false;
    std::string instance_;
    std::map<int, AgentClient> clients_;
    std::map<std::uint64_t, Session> sessions_;
    std::uint64_t next_session_ = 1;
    EvalCache cache_;
    FileWatcher watcher_;
    TmuxControlPool tmux_;  // one control client per tmux server, before the displays that use it
    std::map<std::uint64_t, std::unique_ptr<SessionDisplay>> displays_;
    BackgroundProber prober_{[this](const std::string& line) { log(line); }};  // probe_background = true
    bool stop_ = false;
};

}  // namespace sentinel
