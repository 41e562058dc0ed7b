// What each verb of the agent protocol does (core/agent/protocol.hpp),
// dispatched through one table.

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "sentinel/core/guard/describe.hpp"
#include "sentinel/core/sanitize.hpp"
#include "sentinel/io/agent_server.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/kube_cache.hpp"
#include "sentinel/core/version.hpp"

namespace sentinel {
namespace {

// The command of an EVAL or GUARD frame: `argc` fields from `first`; false
// when they are not there.
bool command_of(const Frame& f, std::size_t first, std::vector<std::string>& command, std::size_t& end) {
    if (f.size() <= first) return false;
    char* stop = nullptr;
    unsigned long argc = std::strtoul(f[first].c_str(), &stop, 10);
    if (!stop || *stop || argc > f.size() - first - 1) return false;
    command.assign(f.begin() + static_cast<long>(first) + 1, f.begin() + static_cast<long>(first + 1 + argc));
    end = first + 1 + argc;
    return true;
}

}  // namespace

void AgentServer::evaluate_session(Session& s) {
    const Evaluation& e = cache_.get(s.vars, s.cwd);
    s.names = e.names;
    apply_view(s, e.view);
    prober_.want(s.vars, e);
}

// EVAL and GUARD: whether the guard would run `command` without a question,
// evaluated here where libpq is loaded and kubeconfigs are cached. Relative
// paths in the variables and the command are the caller's: the agent works
// in `cwd` for the call. Returns {"run" or "ask", tier}.
std::pair<std::string, Tier> AgentServer::verdict(const std::string& cwd, const std::vector<std::string>& command,
                                                  const Vars& vars, const std::string& asker) {
    if (command.empty() || cwd.empty() || cwd[0] != '/' || ::chdir(cwd.c_str()) != 0) return {"ask", Tier::unknown()};
    PosixFileReader files;
    CachingKubeconfigLoader kubeconfigs(files, kube_cache_dir(vars));
    Snapshot s = evaluate(vars, files, command, &kubeconfigs, cwd, &cache_.listeners());
    if (::chdir("/") != 0) log("chdir /: " + std::string(std::strerror(errno)));
    // A dotenv value expanding a variable this agent was not told about may
    // mean something else in the caller's environment: it decides itself.
    bool complete = std::all_of(s.referenced.begin(), s.referenced.end(),
                                [&](const std::string& name) { return vars.count(name) > 0; });
    std::string answer = complete && runs_unasked(s, command) ? "run" : "ask";
    log(asker + " asked: " + answer + " (tier " + sanitize(s.tier.name()) + ")");
    return {answer, s.tier};
}

void AgentServer::show(Session& s, Moment moment) {
    const Evaluation& e = cache_.get(s.vars, s.cwd);
    std::unique_ptr<SessionDisplay>& display = displays_[s.id];
    if (display) {
        // The shell exported another TERM or NO_COLOR: give the line back
        // and start again with the new terminal description.
        SessionTerminal now = reported_terminal(display->terminal(), s.vars, s.reported);
        if (now.term != display->terminal().term || now.no_color != display->terminal().no_color) {
            display->on_exit();
            display.reset();
        }
    }
    if (!display) {
        SessionTerminal terminal =
            reported_terminal(session_terminal(s.pid, s.tty, s.tmux, s.tmux_pane), s.vars, s.reported);
        display = std::make_unique<SessionDisplay>(std::move(terminal), e.settings, tmux_);
    }
    prober_.want(s.vars, e);
    Display content = e.display;
    if (!s.changed_from.empty()) content.note = "changed from " + s.changed_from;
    switch (moment) {
        case Moment::prompt:
            // Before the shell draws its prompt: a notice printed now stands
            // on its own line above it, once per terminal.
            if (std::string notice = display->take_notice(); !notice.empty()) {
                log("session " + std::to_string(s.id) + ": " + notice.substr(0, notice.size() - 1));
                display->notify(notice);
            }
            display->at_prompt(content);
            break;
        case Moment::change: display->on_change(content, may_paint(s)); break;
        case Moment::redraw: display->at_redraw(content, may_paint(s)); break;
    }
}

// The verbs a client may send after HELLO (core/agent/protocol.hpp), with
// what each needs before its handler runs. A frame failing a check gets
// `ERROR <code> <usage>` and the client is dropped.
struct AgentServer::Verb {
    std::string_view name;
    std::size_t min_fields;  // the verb included
    bool needs_session;      // REGISTER first
    const char* code;        // ERROR code when the frame is too short
    const char* usage;
    void (AgentServer::*handler)(AgentClient&, const Frame&);
};

const AgentServer::Verb AgentServer::kVerbs[] = {
    {"PING", 1, false, "ping", "PING token", &AgentServer::on_ping},
    {"EVAL", 1, false, "eval", "EVAL cwd argc arg... NAME=VALUE...", &AgentServer::on_eval},
    {"REGISTER", 7, false, "register", "REGISTER pid shell tty tmux pane cwd, once", &AgentServer::on_register},
    {"SUBSCRIBE", 1, false, "subscribe", "SUBSCRIBE", &AgentServer::on_subscribe},
    {"LIST", 1, false, "list", "LIST", &AgentServer::on_list},
    {"REPORT", 2, true, "report", "REPORT cwd NAME=VALUE...", &AgentServer::on_report},
    {"PROMPT", 3, true, "prompt", "PROMPT seq known-gen", &AgentServer::on_prompt},
    {"GUARD", 3, true, "guard", "GUARD seq argc arg...", &AgentServer::on_guard},
    {"BUSY", 1, true, "busy", "BUSY", &AgentServer::on_busy},
    {"DRAWN", 1, true, "drawn", "DRAWN", &AgentServer::on_drawn},
};

void AgentServer::handle(AgentClient& c, const Frame& f) {
    if (!c.hello) return on_hello(c, f);
    for (const Verb& v : kVerbs) {
        if (f[0] != v.name) continue;
        if (v.needs_session && !sessions_.count(c.session)) return fail(c, "register", "REGISTER first");
        if (f.size() < v.min_fields) return fail(c, v.code, v.usage);
        return (this->*v.handler)(c, f);
    }
    fail(c, "verb", "unknown verb");
}

void AgentServer::on_hello(AgentClient& c, const Frame& f) {
    if (f[0] != "HELLO" || f.size() < 2) return fail(c, "hello", "say HELLO first");
    if (f[1] != std::to_string(kProtocolVersion))
        return fail(c, "version", "this agent speaks protocol " + std::to_string(kProtocolVersion));
    c.hello = true;
    send(c, {"HELLO", std::to_string(kProtocolVersion), "sentinel-agent " + std::string(kVersion), instance_});
}

void AgentServer::on_ping(AgentClient& c, const Frame& f) { send(c, {"PONG", f.size() > 1 ? f[1] : ""}); }

void AgentServer::on_eval(AgentClient& c, const Frame& f) {
    std::vector<std::string> command;
    std::size_t end = 0;
    if (f.size() < 3 || !command_of(f, 2, command, end)) return send(c, {"VERDICT", "ask", Tier::unknown().name()});
    auto [answer, tier] = verdict(f[1], command, parse_report({f.begin() + static_cast<long>(end), f.end()}), "guard");
    send(c, {"VERDICT", answer, tier.name()});
}

void AgentServer::on_register(AgentClient& c, const Frame& f) {
    if (c.session) return fail(c, "register", "REGISTER pid shell tty tmux pane cwd, once");
    Session s;
    s.id = next_session_++;
    s.pid = std::strtol(f[1].c_str(), nullptr, 10);
    s.shell = shell_from_name(f[2]);
    s.tty = f[3];
    s.tmux = f[4];
    s.tmux_pane = f[5];
    s.cwd = f[6];
    c.session = s.id;
    sessions_[s.id] = std::move(s);
    log("session " + std::to_string(c.session) + " registered (pid " + f[1] + ", " + f[2] + ")");
    send(c, {"REGISTERED", std::to_string(c.session)});
    publish(sessions_[c.session]);
}

void AgentServer::on_subscribe(AgentClient& c, const Frame&) {
    c.subscriber = true;
    send(c, {"OK", "SUBSCRIBE"});
    for (auto& [id, s] : sessions_) send(c, session_frame(instance_, s));
}

void AgentServer::on_list(AgentClient& c, const Frame&) {
    for (auto& [id, s] : sessions_) send(c, session_frame(instance_, s));
    send(c, {"END"});
}

void AgentServer::on_report(AgentClient& c, const Frame& f) {
    Session& s = sessions_.at(c.session);
    std::uint64_t gen = s.gen;
    if (apply_report(s, absolute_paths(parse_report({f.begin() + 2, f.end()}), f[1]), f[1])) {
        evaluate_session(s);
        update_watches();
    }
    if (gen != s.gen) publish(s);
}

void AgentServer::on_prompt(AgentClient& c, const Frame& f) {
    Session& s = sessions_.at(c.session);
    if (!s.reported) {
        apply_report(s, {}, s.cwd);
        evaluate_session(s);
        update_watches();
    }
    std::uint64_t gen = s.gen;
    bool was_idle = s.idle;
    sentinel::on_prompt(s);
    show(s, Moment::prompt);  // before the reply: the shell prints its prompt after it
    send(c, state_frame(f[1], f[2], instance_, s, s.names));
    if (gen != s.gen || !was_idle) publish(s);
}

void AgentServer::on_guard(AgentClient& c, const Frame& f) {
    Session& s = sessions_.at(c.session);
    std::vector<std::string> command;
    std::size_t end = 0;
    if (!s.reported || !command_of(f, 2, command, end)) return send(c, {"GUARDED", f[1], "ask", Tier::unknown().name()});
    auto [answer, tier] = verdict(s.cwd, command, s.vars, "session " + std::to_string(s.id) + ": shell guard");
    send(c, {"GUARDED", f[1], answer, tier.name()});
}

void AgentServer::on_busy(AgentClient& c, const Frame&) {
    Session& s = sessions_.at(c.session);
    if (s.idle) {
        s.idle = false;
        publish(s);
    }
}

void AgentServer::on_drawn(AgentClient& c, const Frame&) {
    Session& s = sessions_.at(c.session);
    sentinel::on_drawn(s);
    show(s, Moment::redraw);
}

}  // namespace sentinel
