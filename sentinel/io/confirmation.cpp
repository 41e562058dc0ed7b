#include "sentinel/io/confirmation.hpp"

#include <cstdio>

#include "sentinel/core/display/chain.hpp"
#include "sentinel/core/display/model.hpp"
#include "sentinel/core/guard/banner.hpp"
#include "sentinel/core/guard/change.hpp"
#include "sentinel/core/sanitize.hpp"
#include "sentinel/io/audit.hpp"
#include "sentinel/io/grace_store.hpp"
#include "sentinel/io/tty.hpp"

namespace sentinel {
namespace {

std::int64_t grace_seconds(const Config& config, const Tier& tier) {
    const TierSpec* t = config.spec(tier);
    return t ? t->grace : 0;
}

// The grace key of an evaluation: the exact target (fingerprint) and its pin.
std::string grace_digest_of(const PinnedSnapshot& ev) { return grace_digest_here(fingerprint(ev.snapshot) + "\n" + ev.pin); }

AuditRecord record_for(const PinnedSnapshot& ev, const Decision& d, const Action& action, std::string decision,
                       std::string reason) {
    AuditRecord r = audit_context();
    r.tier = d.tier.name();
    if (d.target >= 0) {
        const Target& t = ev.snapshot.targets[static_cast<std::size_t>(d.target)];
        r.kind = std::string(kind_name(t.kind));
        r.target = t.display_name();
        for (const Field& f : t.fields)
            if (!f.value.empty()) r.fields.emplace_back(f.name, f.value);
        // What a target on this machine really reached, and what its server said.
        Display display = make_display(ev.snapshot);
        const TargetView& v = display.targets[static_cast<std::size_t>(d.target)];
        if (!v.via.empty()) r.fields.emplace_back("via", chain_text(v));
        if (std::string word = format_server_word(t); !word.empty()) r.fields.emplace_back("server", word);
    }
    r.tool = action.tool;
    r.action = action.verb;
    r.risk = std::string(risk_name(action.risk));
    r.decision = std::move(decision);
    r.reason = std::move(reason);
    return r;
}

// Appends the audit record of a decision; false when it could not be written
// and the configuration requires the audit log.
bool audit(const ConfirmOutcome& out, const ConfirmRequest& req, const Decision& d, std::string decision,
           std::string reason) {
    return write_audit(req.vars, record_for(out.evaluated, d, req.action, std::move(decision), std::move(reason)),
                       out.evaluated.snapshot.config.audit_required);
}

ConfirmOutcome refused(ConfirmOutcome out, const ConfirmRequest& req, const std::string reason, bool print) {
    audit(out, req, out.decision, "refused", reason);
    if (print) {
        Decision d = out.decision;
        d.reason = reason;
        std::fputs(format_refusal(d, req.action).c_str(), stderr);
    }
    out.go = false;
    out.exit_code = kExitRefused;
    return out;
}

ConfirmOutcome went(ConfirmOutcome out) {
    out.go = true;
    out.exit_code = kExitOk;
    return out;
}

// An evaluation failed (a config or libpq error): nothing runs.
ConfirmOutcome failed(ConfirmOutcome out, const Error& error) {
    std::fprintf(stderr, "sentinel: error: %s\n", sanitize(error.to_string()).c_str());
    out.go = false;
    out.exit_code = kExitConfig;
    return out;
}

// The outcome of `out.decision` when it needs no question (run, refuse,
// override, a grace period in force); nullopt when the person is asked.
// Moves from `out` when it returns an outcome.
std::optional<ConfirmOutcome> without_question(ConfirmOutcome& out, const ConfirmRequest& req) {
    const Decision& d = out.decision;
    switch (d.verdict) {
        case Decision::Verdict::run: return went(std::move(out));
        case Decision::Verdict::refuse: {
            std::string reason = d.reason;  // `d` lives in `out`, which moves
            return refused(std::move(out), req, reason, true);
        }
        case Decision::Verdict::override:
            if (!audit(out, req, d, "override", d.reason)) return refused(std::move(out), req, "audit log unwritable", true);
            return went(std::move(out));
        case Decision::Verdict::ask: break;
    }
    std::int64_t grace = grace_seconds(out.evaluated.snapshot.config, d.tier);
    if (grace <= 0 || !within_grace(req.vars, grace_digest_of(out.evaluated), grace)) return std::nullopt;
    if (!audit(out, req, d, "confirmed", "grace period")) return refused(std::move(out), req, "audit log unwritable", true);
    return went(std::move(out));
}

}  // namespace

ConfirmRequest confirm_request(const Vars& vars) {
    ConfirmRequest req;
    if (auto v = get(vars, kOverrideVariable); v && !v->empty()) req.override_value = v;
    req.color = !no_color(vars) && get(vars, "TERM") != std::optional<std::string>("dumb");
    req.vars = vars;
    return req;
}

ConfirmOutcome run_confirmation(const ConfirmRequest& req) {
    ConfirmOutcome out;
    std::optional<Tty> tty = Tty::open();
    auto ev = req.evaluate();
    if (!ev) return failed(std::move(out), ev.error());
    out.evaluated = std::move(ev.value());
    out.decision = decide(out.evaluated.snapshot, req.action, tty.has_value(), req.override_value);
    if (auto done = without_question(out, req)) return std::move(*done);

    const Decision& d = out.decision;
    std::vector<QuestionNote> notes;
    if (req.notes) notes = req.notes(out.evaluated, d);
    tty->write(format_question(out.evaluated.snapshot, make_display(out.evaluated.snapshot), d, req.action, req.color, notes));
    TtyAnswer answer = tty->ask(format_answer_prompt(d), req.timeout_seconds);
    if (answer.status != TtyAnswer::Status::line)
        return refused(std::move(out), req, answer_status_name(answer.status), true);
    if (!answer_accepted(d, answer.line)) return refused(std::move(out), req, "wrong answer", true);

    // The answer holds for the target it was given about, and for no other:
    // a target that moved meanwhile is refused, never run on the strength of
    // that answer and never asked about again in the same breath (a new
    // target under policy none would then run unasked).
    auto again = req.evaluate();
    if (!again) return failed(std::move(out), again.error());
    if (fingerprint(again->snapshot) != fingerprint(out.evaluated.snapshot) || again->pin != out.evaluated.pin) {
        audit(out, req, d, "refused", "target changed while asking");
        out.decision.reason = "the target changed while you answered: " +
                              describe_change(out.evaluated.snapshot, again->snapshot);
        std::fputs(format_refusal(out.decision, req.action).c_str(), stderr);
        std::fputs("sentinel: nothing ran; run the command again to be asked about where it goes now\n", stderr);
        out.go = false;
        out.exit_code = kExitRefused;
        return out;
    }
    if (!audit(out, req, d, "confirmed", "answered"))
        return refused(std::move(out), req, "audit log unwritable", true);
    std::int64_t grace = grace_seconds(out.evaluated.snapshot.config, d.tier);
    if (grace > 0) remember_grace(req.vars, grace_digest_of(again.value()), grace);
    return went(std::move(out));
}

}  // namespace sentinel
