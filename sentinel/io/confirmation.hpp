#pragma once
// The guard's confirmation: evaluate, decide (core/guard/guard.hpp), ask on
// the terminal when needed (io/tty.hpp), evaluate again, honour a grace
// period (io/grace_store.hpp) and audit every outcome (io/audit.hpp). Shared
// by `sentinel guard` and `sentinel confirm`.

#include <functional>
#include <optional>
#include <string>

#include "sentinel/core/exit_codes.hpp"
#include "sentinel/core/guard/banner.hpp"
#include "sentinel/core/guard/guard.hpp"
#include "sentinel/core/result.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// One evaluation for the confirmation loop: the snapshot, and a string
/// standing for anything else the command is pinned to (the settled psql
/// connection), compared before and after the question.
struct PinnedSnapshot {
    Snapshot snapshot;
    std::string pin;
};

/// What the confirmation loop needs.
struct ConfirmRequest {
    Action action;
    std::function<Result<PinnedSnapshot>()> evaluate;  ///< fresh each call; an error ends with kExitConfig
    std::optional<std::string> override_value;         ///< SENTINEL_CONFIRM, when set and non-empty
    int timeout_seconds = 60;
    bool color = true;                                 ///< banner colours on the terminal
    Vars vars;                                         ///< for the audit log's location and policy
    /// Called when a question is about to be shown, with what it is about:
    /// lines the banner prints under the action (the preview). Must not
    /// block for long: the question waits for it.
    std::function<std::vector<QuestionNote>(const PinnedSnapshot&, const Decision&)> notes;
};

/// A ConfirmRequest for a command run in environment `vars` (the whole
/// process environment): override_value from SENTINEL_CONFIRM when set and
/// not empty; colour unless NO_COLOR is set and not empty (no-color.org) or
/// TERM is "dumb"; `vars` kept for the audit log and grace keys. The caller
/// sets action, evaluate and timeout_seconds.
ConfirmRequest confirm_request(const Vars& vars);

/// How the loop ended. `go` means run; otherwise exit with `exit_code`.
struct ConfirmOutcome {
    bool go = false;
    int exit_code = kExitRefused;
    PinnedSnapshot evaluated;  ///< the evaluation the person confirmed (or that decided)
    Decision decision;
};

/// The guard's question loop (DESIGN.md Guard, issue 5 item 2): evaluates,
/// decides (decide()), and when asking shows the banner on /dev/tty, reads
/// the answer, evaluates again and compares fingerprint() and the pin: a
/// target that changed while asking is refused (kExitRefused, audited "target
/// changed while asking"), the message saying what changed, from what to what
/// (describe_change, core/guard/change.hpp); the person runs the command again
/// and is asked about the new target. With a grace period for the tier (its `grace` in
/// config.toml; io/grace_store.hpp), a confirmation stored for the same uid,
/// terminal, session and exact target within the period skips the question
/// (audited as confirmed, reason "grace period"). Audits every question,
/// confirmation, refusal and override (io/audit.hpp); a record that cannot
/// be written refuses when config.toml says `audit = "required"`. Refusals
/// print `sentinel: refused: ...` on stderr and give kExitRefused; an
/// evaluation error prints `sentinel: error: ...` and gives kExitConfig.
ConfirmOutcome run_confirmation(const ConfirmRequest& request);

}  // namespace sentinel
