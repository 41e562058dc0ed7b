#pragma once
// The guard's decision: run, ask or refuse, from a snapshot and an action.
// Pure: the terminal, the environment and the clock are the caller's.

#include <optional>
#include <string>
#include <string_view>

#include "sentinel/core/guard/action.hpp"
#include "sentinel/core/snapshot.hpp"

namespace sentinel {

/// The environment variable that answers the question when there is no
/// terminal, for one call, bound to the exact target name (DESIGN.md Guard).
inline constexpr const char* kOverrideVariable = "SENTINEL_CONFIRM";

/// What the guard does with one command.
struct Decision {
    enum class Verdict {
        run,       ///< go ahead without asking (policy none, or a read)
        ask,       ///< ask on the terminal; answer_accepted() judges the answer
        override,  ///< no terminal, SENTINEL_CONFIRM names the target exactly: go ahead, audited
        refuse,    ///< do not run; exit 77
    };
    Verdict verdict = Verdict::refuse;
    Policy policy = Policy::type_name;  ///< effective policy (unknown and broken configs count as production)
    Tier tier = Tier::none();           ///< the snapshot's overall tier
    int target = -1;                    ///< index of the target in Snapshot::targets being confirmed; -1 for none
    std::string expected;               ///< what the person must type: the target name, or "yes"
    std::string reason;                 ///< why, one line, raw (sanitize to print)
};

/// "run", "ask", "override" or "refuse".
std::string_view verdict_name(Decision::Verdict verdict);

/// The index of the target the guard confirms: the most dangerous of
/// `snapshot` (most_dangerous, core/classify.hpp), whose tier is the
/// snapshot's overall tier unless the configuration has errors; -1 when
/// there are none.
int chosen_target(const Snapshot& snapshot);

/// Decides for `action` on `snapshot`. Rules, in order (DESIGN.md Guard,
/// issue 5):
/// 1. the policy is that of the overall tier; "unknown", a tier missing
///    from the config, or config errors make it at least `type-name`;
/// 2. policy none: run; a read (Risk::read): run;
/// 3. policy type-name with a target that has no name: refuse (nothing
///    can be typed to confirm it);
/// 4. no terminal (`has_tty` false): `expected` becomes the target's name
///    (even under policy yes); `override_value` (SENTINEL_CONFIRM) equal to
///    it: override; set to anything else: refuse ("names another target");
///    unset: refuse, naming the override;
/// 5. otherwise ask. With a terminal the override is ignored: a person is
///    there to answer, and an exported variable must not become a
///    standing yes.
Decision decide(const Snapshot& snapshot, const Action& action, bool has_tty,
                const std::optional<std::string>& override_value);

/// True when `typed` (one line without its newline) confirms `decision`:
/// exactly the expected text, byte for byte. Wrong case, a prefix, `y`,
/// surrounding spaces and empty input all refuse.
bool answer_accepted(const Decision& decision, std::string_view typed);

/// A string that changes when anything the person confirmed changes: each
/// target's kind, fields (name and value) and tier, and the overall tier.
/// Used to refuse and ask again when the target moved while asking.
std::string fingerprint(const Snapshot& snapshot);

}  // namespace sentinel
