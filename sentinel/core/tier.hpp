#pragma once
// A tier: the class of a target (DESIGN.md "Words"). The built-in tiers are
// production, staging, development, local and unknown; config.toml may
// define more (`[tiers.NAME]`). How a tier looks and what the guard asks
// for it is its TierSpec (core/config/config.hpp); how dangerous it is, is
// Config::rank().

#include <compare>
#include <string>

namespace sentinel {

/// A tier's name as a value of its own type, so that a tier is never
/// confused with a label, a colour or any other string. The raw name may
/// hold anything a config key can; sanitize() it before printing.
class Tier {
public:
    /// "unknown": the safe state of a target nothing has classified yet.
    Tier() : name_("unknown") {}
    explicit Tier(std::string name) : name_(std::move(name)) {}

    /// The built-in tier of targets named like production.
    static Tier production() { return Tier("production"); }
    /// A target that cannot be trusted: nothing matched, a problem, a
    /// suspicious name, a config error. Shown loudly; the guard treats it as
    /// production (Config::rank).
    static Tier unknown() { return Tier("unknown"); }
    /// The overall tier of a terminal or command with no target at all.
    /// Not a tier of the configuration: no target ever has it.
    static Tier none() { return Tier("none"); }

    /// The name as configured ("production", "dr"), raw.
    const std::string& name() const { return name_; }

    bool operator==(const Tier&) const = default;
    std::strong_ordering operator<=>(const Tier&) const = default;

private:
    std::string name_;
};

}  // namespace sentinel
