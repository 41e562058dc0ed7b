#include "sentinel/core/reach/rank.hpp"

namespace sentinel {

Tier more_dangerous(const Config& config, const Tier& a, const Tier& b) {
    int ra = config.rank(a), rb = config.rank(b);
    if (ra != rb) return ra > rb ? a : b;
    if (a == Tier::unknown() && b != Tier::unknown()) return b;
    return a;
}

}  // namespace sentinel
