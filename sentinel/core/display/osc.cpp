#include "sentinel/core/display/osc.hpp"

#include <cstdio>

#include "sentinel/core/display/tmux.hpp"

namespace sentinel {
namespace {

constexpr int kCube[] = {0, 95, 135, 175, 215, 255};

// The RGB of a palette index as xterm defines the 256 colours (the 16 ANSI
// colours as xterm's defaults).
void rgb_of(PaletteIndex index, int& r, int& g, int& b) {
    static const int kAnsi[16][3] = {{0, 0, 0},     {205, 0, 0},   {0, 205, 0},   {205, 205, 0},
                                     {0, 0, 238},   {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
                                     {127, 127, 127}, {255, 0, 0}, {0, 255, 0},   {255, 255, 0},
                                     {92, 92, 255}, {255, 0, 255}, {0, 255, 255}, {255, 255, 255}};
    if (index < 16) {
        r = kAnsi[index][0], g = kAnsi[index][1], b = kAnsi[index][2];
    } else if (index >= 232) {
        r = g = b = 8 + 10 * (index - 232);
    } else {
        int n = index - 16;
        r = kCube[n / 36], g = kCube[(n / 6) % 6], b = kCube[n % 6];
    }
}

}  // namespace

std::string osc_tint(PaletteIndex index) {
    PaletteIndex tint = tint_of(index);
    if (tint < 0) return {};
    int r, g, b;
    rgb_of(tint, r, g, b);
    char buf[64];
    std::snprintf(buf, sizeof buf, "\x1b]11;rgb:%02x/%02x/%02x\x1b\\", r, g, b);
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
