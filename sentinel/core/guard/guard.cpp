#include "sentinel/core/guard/guard.hpp"

#include "sentinel/core/classify.hpp"

namespace sentinel {
namespace {

int strictness(Policy p) {
    switch (p) {
        case Policy::none: return 0;
        case Policy::yes: return 1;
        case Policy::type_name: return 2;
    }
    return 2;
}


}  // namespace

std::string_view verdict_name(Decision::Verdict verdict) {
    switch (verdict) {
        case Decision::Verdict::run: return "run";
        case Decision::Verdict::ask: return "ask";
        case Decision::Verdict::override: return "override";
        case Decision::Verdict::refuse: return "refuse";
    }
    return "?";
}

int chosen_target(const Snapshot& snapshot) { return most_dangerous(snapshot.targets, snapshot.config); }

Decision decide(const Snapshot& snapshot, const Action& action, bool has_tty,
                const std::optional<std::string>& override_value) {
    Decision d;
    d.tier = snapshot.tier;
    d.target = chosen_target(snapshot);
    const TierSpec* tier = snapshot.config.spec(snapshot.tier);
    d.policy = tier ? tier->policy : Policy::type_name;
    bool untrusted = snapshot.tier == Tier::unknown() || !snapshot.config.errors.empty() ||
                     (!tier && snapshot.tier != Tier::none());
    if (snapshot.tier == Tier::none() && snapshot.config.errors.empty()) d.policy = Policy::none;  // nothing to act on
    if (untrusted && strictness(d.policy) < strictness(Policy::type_name)) d.policy = Policy::type_name;
    if (d.target < 0 && d.policy == Policy::type_name) d.policy = Policy::yes;  // broken config, no target: "yes"

    if (d.policy == Policy::none) {
        d.verdict = Decision::Verdict::run;
        d.reason = "tier \"" + d.tier.name() + "\" has policy none";
        return d;
    }
    if (action.risk == Risk::read) {
        d.verdict = Decision::Verdict::run;
        d.reason = "reads pass";
        return d;
    }
    if (d.policy == Policy::yes) {
        d.expected = "yes";
    } else {
        d.expected = snapshot.targets[static_cast<std::size_t>(d.target)].display_name();
        if (d.expected.empty()) {
            d.verdict = Decision::Verdict::refuse;
            d.reason = "the target has no name to confirm";
            return d;
        }
    }
    if (!has_tty) {
        // The override is bound to the target's exact name whatever the policy:
        // SENTINEL_CONFIRM=yes must not pass for every staging target.
        if (d.target >= 0) {
            std::string name = snapshot.targets[static_cast<std::size_t>(d.target)].display_name();
            if (!name.empty()) d.expected = name;
        }
        if (!override_value) {
            d.verdict = Decision::Verdict::refuse;
            d.reason = "no terminal to ask on";
        } else if (*override_value == d.expected) {
            d.verdict = Decision::Verdict::override;
            d.reason = std::string(kOverrideVariable) + " names the target";
        } else {
            d.verdict = Decision::Verdict::refuse;
            d.reason = std::string(kOverrideVariable) + " names another target";
        }
        return d;
    }
    d.verdict = Decision::Verdict::ask;
    d.reason = untrusted ? "the target cannot be trusted (unknown)" : "tier \"" + d.tier.name() + "\" asks";
    return d;
}

bool answer_accepted(const Decision& decision, std::string_view typed) {
    return decision.verdict == Decision::Verdict::ask && !decision.expected.empty() && typed == decision.expected;
}

std::string fingerprint(const Snapshot& snapshot) {
    // Length-prefixed, so that no value can imitate a separator.
    auto part = [](const std::string& s) { return std::to_string(s.size()) + ":" + s; };
    std::string out = part(snapshot.tier.name());
    for (const Target& t : snapshot.targets) {
        out += part(std::string(kind_name(t.kind))) + part(t.tier.name());
        for (const Field& f : t.fields) out += part(f.name) + part(f.value);
        out += ";";
    }
    return out;
}

}  // namespace sentinel
