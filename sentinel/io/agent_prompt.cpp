// The agent's prompt path: evaluations handed to the worker thread and
// applied when they come back, the display sinks of each session, the
// answer to a prompt, and the state pushed ahead to relays (AHEAD) so that
// a prompt whose shell changed nothing needs no round trip through here.

#include <time.h>

#include "sentinel/io/clock.hpp"
#include "sentinel/core/display/prompt.hpp"
#include "sentinel/core/sanitize.hpp"
#include "sentinel/io/agent_server.hpp"
#include "sentinel/io/terminfo_tty.hpp"

namespace sentinel {
namespace {

// A paint this close to the relay's deadline may land after the shell drew
// its prompt: repaint without scrolling instead.
constexpr std::int64_t kPaintMarginMs = 2;

}  // namespace

bool AgentServer::request_evaluation(Session& s) {
    SessionLive& live = live_[s.id];
    EvalKey key{s.vars, s.cwd};
    if (auto cached = cache_.find(key)) {
        live.pending = false;
        apply_evaluation(s, std::move(cached));
        return true;
    }
    live.pending = true;
    if (session_jobs_.count(key)) return false;  // the same variables and directory are being evaluated
    EvalJob job;
    job.id = next_job_++;
    job.vars = s.vars;
    job.cwd = s.cwd;
    job.known_files = cache_.files_of(key);
    session_jobs_[key] = job.id;
    job_vars_[job.id] = std::move(key);
    worker_.submit(std::move(job));
    return false;
}

bool AgentServer::apply_evaluation(Session& s, std::shared_ptr<const Evaluation> eval) {
    SessionLive& live = live_[s.id];
    s.names = eval->names;
    live.eval = std::move(eval);
    prober_.want(s.vars, *live.eval);  // probe_background = true: ask a remembered-nothing target in the background
    return apply_view(s, live.eval->view);
}

void AgentServer::ask_verdict(AgentClient& c, const std::string& seq, const std::string& cwd,
                              const std::vector<std::string>& command, const Vars& vars, const std::string& asker) {
    if (verdict_cacheable(command))
        if (auto hit = verdicts_.find(cwd, command, vars)) {
            log(asker + " asked: " + hit->first + " (tier " + sanitize(hit->second.name()) + ", cached)");
            if (seq.empty()) return send(c, {"VERDICT", hit->first, hit->second.name()});
            return send(c, {"GUARDED", seq, hit->first, hit->second.name()});
        }
    EvalJob job;
    job.id = next_job_++;
    job.vars = vars;
    job.command = command;
    job.cwd = cwd;
    verdict_jobs_[job.id] = VerdictWaiter{c.serial, seq, asker, cwd, command, vars};
    worker_.submit(std::move(job));
}

AgentClient* AgentServer::client_of(const Session& s) {
    for (auto& [fd, c] : clients_)
        if (c.session == s.id) return &c;
    return nullptr;
}

// Results of the worker: verdicts go to their askers; a session
// evaluation is cached and applied to every session with those variables,
// which repaint, publish, answer a waiting prompt and push ahead.
void AgentServer::take_results() {
    bool files_changed = false;
    for (EvalResult& r : worker_.take()) {
        if (auto v = verdict_jobs_.find(r.id); v != verdict_jobs_.end()) {
            VerdictWaiter w = std::move(v->second);
            verdict_jobs_.erase(v);
            verdicts_.store(w.cwd, w.command, w.vars, r);
            log(w.asker + " asked: " + r.verdict + " (tier " + sanitize(r.tier.name()) + ")" +
                (r.error.empty() ? "" : "; " + r.error));
            for (auto& [fd, c] : clients_) {
                if (c.serial != w.client) continue;
                if (w.seq.empty()) send(c, {"VERDICT", r.verdict, r.tier.name()});
                else send(c, {"GUARDED", w.seq, r.verdict, r.tier.name()});
            }
            continue;
        }
        auto jv = job_vars_.find(r.id);
        if (jv == job_vars_.end()) continue;
        EvalKey key = std::move(jv->second);
        job_vars_.erase(jv);
        session_jobs_.erase(key);
        if (!r.evaluation) continue;
        if (!r.error.empty()) log("evaluation failed: " + r.error);
        if (r.micros > 100'000) log("an evaluation took " + std::to_string(r.micros / 1000) + " ms (off the loop)");
        std::shared_ptr<const Evaluation> eval =
            r.error.empty() ? cache_.store(key, std::move(*r.evaluation)) : std::shared_ptr<const Evaluation>(std::move(r.evaluation));
        files_changed = true;
        for (auto& [id, s] : sessions_) {
            SessionLive& live = live_[id];
            if (!live.pending || s.vars != key.vars || s.cwd != key.cwd) continue;
            live.pending = false;
            bool changed = apply_evaluation(s, eval);
            AgentClient* c = client_of(s);
            if (live.prompt && c) {
                SessionLive::Waiting w = std::move(*live.prompt);
                live.prompt.reset();
                finish_prompt(*c, s, w);
                continue;
            }
            if (changed) {
                show(s, Moment::change);
                publish(s);
            }
            push_ahead(s);
        }
    }
    if (files_changed) update_watches();
}

// Answers PROMPT `w`: the "changed from" mark, the status line (reserved
// and painted before the reply, the shell draws its prompt after it; past
// the relay's deadline repainted without scrolling, the prompt is already
// drawn), AHEAD for the next prompt, then STATE.
void AgentServer::finish_prompt(AgentClient& c, Session& s, const SessionLive::Waiting& w) {
    std::uint64_t gen = s.gen;
    bool was_idle = s.idle;
    sentinel::on_prompt(s);
    bool in_time = w.deadline == 0 || monotonic_ms() + kPaintMarginMs < w.deadline;
    // Past the deadline the shell drew its prompt without this answer: its
    // line editor is not drawing one any more (a DRAWN may have come first).
    if (!in_time) s.drawing = false;
    // Late, the prompt is drawn: a reserved line is repainted in place; the
    // first reserve of a new shell is made now (it keeps the cursor where
    // the prompt left it).
    SessionDisplay* display = display_for(s);
    show(s, in_time || (display && !display->reserved()) ? Moment::prompt : Moment::change);
    push_ahead(c, s);
    send(c, state_frame(w.seq, w.known, instance_, s, s.names));
    if (gen != s.gen || !was_idle) publish(s);
}

void AgentServer::push_ahead(Session& s) {
    if (AgentClient* c = client_of(s)) push_ahead(*c, s);
}

// What the next prompt of `s` shows if nothing changes: the session as
// on_prompt would leave it, the bytes for the terminal's current size, the
// files it depends on. Not sent when unchanged.
void AgentServer::push_ahead(AgentClient& c, Session& s, std::optional<ScreenSize> size) {
    if (!c.ahead) return;
    SessionLive& live = live_[s.id];
    Session next = s;
    sentinel::on_prompt(next);
    // The size a relay just measured (SHOWN) spares opening the terminal.
    if (!size && !s.tty.empty() && live.eval) size = tty_size(s.tty);
    SessionLive::AheadKey key{live.eval, gen_token(instance_, next), live.reports, live.pending,
                              size ? size->rows : 0, size ? size->cols : 0};
    if (key == live.ahead_key) return;
    live.ahead_key = key;
    Ahead a;
    a.token = key.token;
    a.once = !next.changed_from.empty();
    a.ask = live.pending || !live.eval || !live.eval->error.empty();
    a.reports = live.reports;
    StateSource source{next, a.token, next.names};
    for (const StateField& f : state_fields()) a.fields.push_back(f.value(source));
    for (const StateField& f : stale_fields()) a.fields.push_back(f.value(source));
    if (live.eval) {
        for (const auto& [path, identity] : live.eval->files) a.files.emplace_back(path, identity_text(identity));
        if (SessionDisplay* d = display_for(s)) {
            if (size) {
                a.rows = size->rows;
                a.cols = size->cols;
            }
            a.bytes = d->peek_prompt(content_of(next), size);
        }
    }
    Frame f = encode_ahead(a);
    if (f == live.last_ahead) return;
    live.last_ahead = f;
    send(c, f);
}

SessionDisplay* AgentServer::display_for(Session& s) {
    const SessionLive& live = live_[s.id];
    if (!live.eval) return nullptr;
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
        display = std::make_unique<SessionDisplay>(std::move(terminal), live.eval->settings, tmux_);
    }
    return display.get();
}

Display AgentServer::content_of(const Session& s) const {
    auto it = live_.find(s.id);
    if (it == live_.end() || !it->second.eval) return {};
    Display content = it->second.eval->display;
    if (!s.changed_from.empty()) content.note = "changed from " + s.changed_from;
    return content;
}

void AgentServer::show(Session& s, Moment moment) {
    SessionDisplay* display = display_for(s);
    if (!display) return;
    switch (moment) {
        case Moment::prompt:
            // Before the shell draws its prompt: a notice printed now stands
            // on its own line above it, once per terminal.
            if (std::string notice = display->take_notice(); !notice.empty()) {
                log("session " + std::to_string(s.id) + ": " + notice.substr(0, notice.size() - 1));
                display->notify(notice);
            }
            display->at_prompt(content_of(s));
            break;
        case Moment::change: display->on_change(content_of(s), may_paint(s)); break;
        case Moment::redraw: display->at_redraw(content_of(s), may_paint(s)); break;
    }
}

}  // namespace sentinel
