#include "sentinel/core/display/osc.hpp"

#include <cstdio>

#include "sentinel/core/display/tmux.hpp"

namespace sentinel {

std::string osc_tint(PaletteIndex index) {
    PaletteIndex tint = tint_of(index);
    if (tint < 0) return {};
    Rgb c = palette_rgb(tint);
    char buf[64];
    std::snprintf(buf, sizeof buf, "\x1b]11;rgb:%02x/%02x/%02x\x1b\\", c.r, c.g, c.b);
    return buf;
}

std::string osc_restore() { return "\x1b]111\x1b\\"; }

std::string OscTint::update(bool dangerous, PaletteIndex color) {
    PaletteIndex want = enabled_ && dangerous ? tint_of(color) : -1;
    if (want == shown_) return {};
    shown_ = want;
    return want < 0 ? osc_restore() : osc_tint(color);
}

std::string OscTint::release() {
    if (shown_ < 0) return {};
    shown_ = -1;
    return osc_restore();
}

std::string OscTint::set_enabled(bool enabled) {
    enabled_ = enabled;
    return enabled ? std::string() : release();
}

}  // namespace sentinel
