#pragma once
// From targets to tiers: ordered rules, first match wins.

#include <string>
#include <vector>

#include "sentinel/core/config/config.hpp"
#include "sentinel/core/target.hpp"

namespace sentinel {

/// The fields the pseudo-field "any" looks at for a kind of target.
const std::vector<std::string>& name_fields(Kind kind);

/// Sets `target.tier` and `target.rule`. A target with problems, or with a
/// suspicious name in one of its name_fields() (is_suspicious_name: control
/// or bidi characters, look-alike letters), is "unknown" whatever the rules
/// say. Otherwise the
/// first rule of `config.rules` whose kind fits and whose conditions all
/// hold decides (matching on the raw bytes); no match is "unknown".
void classify(Target& target, const Config& config);

/// The index of the most dangerous of `targets`: the highest
/// Config::rank() of its tier, the earlier target on a tie; -1 when there
/// are none.
int most_dangerous(const std::vector<Target>& targets, const Config& config);

/// The tier of the most dangerous of `targets` (most_dangerous). unknown
/// when `config.errors` is not empty; none when there are no targets.
Tier overall_tier(const std::vector<Target>& targets, const Config& config);

}  // namespace sentinel
