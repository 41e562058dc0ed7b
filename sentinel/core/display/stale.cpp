#include "sentinel/core/display/stale.hpp"

#include "sentinel/core/sanitize.hpp"

namespace sentinel {

Display stale_display(const Display& last, const Config& config) {
    const Tier unknown = Tier::unknown();
    if (config.rank(last.tier) >= config.rank(unknown)) return last;
    Display d = last;
    d.tier = unknown;
    d.label.clear();
    d.color = Color();
    if (const TierSpec* spec = config.spec(unknown)) {
        d.label = sanitize(spec->label);
        d.color = spec->color;
    }
    d.dangerous = config.production_ranked(unknown);
    return d;
}

}  // namespace sentinel
