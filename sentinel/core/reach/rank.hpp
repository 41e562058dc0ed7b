#pragma once
// Which of two tiers is the more dangerous, for combining what a target is
// called with what it reaches and what its server says. Pure.

#include "sentinel/core/config/config.hpp"

namespace sentinel {

/// The more dangerous of `a` and `b` by Config::rank. On equal rank a known
/// tier wins over unknown (a fact beats a guess: a pinned production
/// server behind an unrecognised listener is production), else `a`.
/// Tier::none() (rank -1) loses to any tier.
Tier more_dangerous(const Config& config, const Tier& a, const Tier& b);

}  // namespace sentinel
