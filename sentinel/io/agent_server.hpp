#pragma once
// The agent's state and its handlers, shared by its two halves:
// io/agent_server.cpp (the event loop: clients, inotify, signals, the idle
// timer; and run_agent) and io/agent_verbs.cpp (what each verb of the
// protocol does). Everyone else runs the agent with run_agent (io/agent.hpp).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
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
#include "sentinel/io/eval_worker.hpp"
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
    bool ahead = false;       // said `ahead` in HELLO: gets AHEAD frames (core/agent/protocol.hpp)
    std::uint64_t serial = 0; // unique for the agent's lifetime (descriptors are reused)
    std::uint64_t session = 0;
    std::int64_t since = 0;      // when it connected (monotonic ms), to drop silent clients
    std::int64_t last_seen = 0;  // its last frame (monotonic ms), to drop idle ones when full
};

/// What the agent holds for a session besides the pure Session.
struct SessionLive {
    std::shared_ptr<const Evaluation> eval;  ///< what its view and display come from; nullptr before the first
    bool pending = false;                    ///< an evaluation of its variables is under way (io/eval_worker.hpp)
    std::uint64_t reports = 0;               ///< REPORT frames applied (Ahead::reports)
    /// A PROMPT waiting for that evaluation: its seq, known gen and the
    /// relay's deadline (CLOCK_MONOTONIC ms, 0: none).
    struct Waiting {
        std::string seq, known;
        std::int64_t deadline = 0;
    };
    std::optional<Waiting> prompt;
    Frame last_ahead;                        ///< the last AHEAD sent (an unchanged one is not sent again)
    /// What that AHEAD was made from: the same evaluation, token, reports
    /// and terminal size make the same frame, which is then not built again.
    struct AheadKey {
        std::shared_ptr<const Evaluation> eval;  // held, so a new evaluation never reuses its address
        std::string token;
        std::uint64_t reports = 0;
        bool pending = false;
        int rows = -1, cols = -1;
        bool operator==(const AheadKey&) const = default;
    } ahead_key;
};

/// A guard's EVAL or a shell's GUARD waiting for the worker.
struct VerdictWaiter {
    std::uint64_t client = 0;  ///< AgentClient::serial
    std::string seq;           ///< GUARD's seq; empty for EVAL
    std::string asker;         ///< for the log
    std::string cwd;           ///< what was asked (VerdictCache)
    std::vector<std::string> command;
    Vars vars;
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
    void on_drawn(AgentClient& c, const Frame& f);
    void on_shown(AgentClient& c, const Frame& f);
    // Queues `f` for `c`; a client that does not read is dropped.
    void send(AgentClient& c, const Frame& f);
    // Sends ERROR and drops the client once it is flushed.
    void fail(AgentClient& c, const std::string& code, const std::string& text);
    void drop(int fd);
    // Evaluations (io/agent_prompt.cpp). request_evaluation applies a
    // cached evaluation at once and returns true, else hands one to the
    // worker and marks the session pending.
    bool request_evaluation(Session& s);
    void take_results();
    bool apply_evaluation(Session& s, std::shared_ptr<const Evaluation> eval);
    void ask_verdict(AgentClient& c, const std::string& seq, const std::string& cwd,
                     const std::vector<std::string>& command, const Vars& vars, const std::string& asker);
    // Prompts: answer one (paint, STATE), push what the next one shows.
    void finish_prompt(AgentClient& c, Session& s, const SessionLive::Waiting& w);
    void push_ahead(AgentClient& c, Session& s, std::optional<ScreenSize> size = std::nullopt);
    void push_ahead(Session& s);
    AgentClient* client_of(const Session& s);
    SessionDisplay* display_for(Session& s);
    Display content_of(const Session& s) const;
    // When the display sinks are called: the shell is about to draw its
    // prompt (reserve and paint; the one-time notice goes to the terminal),
    // the session's content changed, or its line editor has drawn (paint
    // again what it erased).
    enum class Moment { prompt, change, redraw };
    // The display sinks: the reserved status line on the session's
    // terminal, the OSC tint and its tmux pane options.
    void show(Session& s, Moment moment);
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
    std::map<std::uint64_t, SessionLive> live_;  ///< by session id
    SystemListeners worker_listeners_;  // the worker thread's own (SystemListeners is not thread-safe)
    EvalWorker worker_{[this](const EvalJob& job) { return run_eval_job(job, worker_listeners_); }};
    std::uint64_t next_job_ = 1;
    std::uint64_t next_serial_ = 1;
    std::map<EvalKey, std::uint64_t> session_jobs_;         ///< variables and directories being evaluated, and their job
    std::map<std::uint64_t, EvalKey> job_vars_;             ///< the same, by job
    std::map<std::uint64_t, VerdictWaiter> verdict_jobs_;
    VerdictCache verdicts_;
    FileWatcher watcher_;
    TmuxControlPool tmux_;  // one control client per tmux server, before the displays that use it
    std::map<std::uint64_t, std::unique_ptr<SessionDisplay>> displays_;
    BackgroundProber prober_{[this](const std::string& line) { log(line); }};  // probe_background = true
    bool stop_ = false;
};

}  // namespace sentinel
