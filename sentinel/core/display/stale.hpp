#pragma once
// What a prompt shows when it has no fresh answer: the agent did not answer
// within the prompt's budget, is down, or has not evaluated a change the
// shell itself made. Such a prompt must never look safe: the last display
// may be green while the target has become production. Pure.

#include "sentinel/core/config/config.hpp"
#include "sentinel/core/display/model.hpp"

namespace sentinel {

/// The display of a stale or missing answer whose last fresh display was
/// `last`, under `config`: `last` itself when its tier ranks at least as
/// high as unknown (Config::rank: production and anything ranked with it),
/// else `last` raised to the unknown tier: tier, label and colour become
/// unknown's (its TierSpec), `dangerous` becomes production_ranked(unknown)
/// and the targets keep their names. A `last` without targets (tier none)
/// gives the unknown tier without targets.
Display stale_display(const Display& last, const Config& config);

}  // namespace sentinel
