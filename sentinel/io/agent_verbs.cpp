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
    {"SHOWN", 5, true, "shown", "SHOWN seq token rows cols", &AgentServer::on_shown},
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
    for (std::size_t i = 3; i < f.size(); ++i) c.ahead = c.ahead || f[i] == kAheadCapability;
    send(c, {"HELLO", std::to_string(kProtocolVersion), "sentinel-agent " + std::string(kVersion), instance_,
             std::string(kAheadCapability)});
}

void AgentServer::on_ping(AgentClient& c, const Frame& f) { send(c, {"PONG", f.size() > 1 ? f[1] : ""}); }

void AgentServer::on_eval(AgentClient& c, const Frame& f) {
    std::vector<std::string> command;
    std::size_t end = 0;
    if (f.size() < 3 || !command_of(f, 2, command, end)) return send(c, {"VERDICT", "ask", Tier::unknown().name()});
    ask_verdict(c, "", f[1], command, parse_report({f.begin() + static_cast<long>(end), f.end()}), "guard");
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
    live_[s.id] = SessionLive{};
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
    ++live_[s.id].reports;
    std::uint64_t gen = s.gen;
    if (apply_report(s, absolute_paths(parse_report({f.begin() + 2, f.end()}), f[1]), f[1])) {
        request_evaluation(s);
        update_watches();
    }
    if (gen != s.gen) publish(s);
}

void AgentServer::on_prompt(AgentClient& c, const Frame& f) {
    Session& s = sessions_.at(c.session);
    if (!s.reported) {
        apply_report(s, {}, s.cwd);
        request_evaluation(s);
        update_watches();
    }
    SessionLive::Waiting w{f[1], f[2], f.size() > 3 ? std::strtoll(f[3].c_str(), nullptr, 10) : 0};
    SessionLive& live = live_[s.id];
    // Its evaluation is under way: the answer waits for it (the relay shows
    // stale meanwhile, never an older state as fresh).
    if (live.pending || !live.eval) {
        live.prompt = std::move(w);
        return;
    }
    finish_prompt(c, s, w);
}

void AgentServer::on_guard(AgentClient& c, const Frame& f) {
    Session& s = sessions_.at(c.session);
    std::vector<std::string> command;
    std::size_t end = 0;
    if (!s.reported || !command_of(f, 2, command, end)) return send(c, {"GUARDED", f[1], "ask", Tier::unknown().name()});
    ask_verdict(c, f[1], s.cwd, command, s.vars, "session " + std::to_string(s.id) + ": shell guard");
}

void AgentServer::on_shown(AgentClient& c, const Frame& f) {
    Session& s = sessions_.at(c.session);
    std::uint64_t gen = s.gen;
    bool was_idle = s.idle;
    sentinel::on_prompt(s);
    if (gen_token(instance_, s) != f[2]) log("session " + std::to_string(s.id) + ": a prompt showed an older state");
    std::optional<ScreenSize> size;
    int rows = std::atoi(f[3].c_str()), cols = std::atoi(f[4].c_str());
    if (rows > 0 && cols > 0) size = ScreenSize{rows, cols};
    if (SessionDisplay* d = display_for(s)) d->shown_at_prompt(content_of(s), size);
    send(c, {"SHOWN", f[1]});
    push_ahead(c, s, size);
    if (gen != s.gen || !was_idle) publish(s);
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
