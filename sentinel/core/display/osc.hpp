#pragma once
// Terminal background tint outside tmux: people keep coloured terminal
// profiles (red for production); sentinel does it for them with OSC 11
// (xterm ctlseqs, "Operating System Commands": OSC 11 sets the default
// background colour, OSC 111 resets it). terminfo has no capability for
// these, so they are the one escape sequence written by hand. Pure.

#include <string>

#include "sentinel/core/display/statusline.hpp"

namespace sentinel {

/// The bytes that set the terminal's background to a dark shade of
/// palette colour `index` (the tint_of shade, core/display/tmux.hpp):
/// `ESC ] 11 ; rgb:RR/GG/BB ESC \`. "" for -1.
std::string osc_tint(PaletteIndex index);

/// The bytes that give the terminal its own background back: `ESC ] 111 ESC \`.
std::string osc_restore();

/// Remembers whether this terminal is tinted and says what to write when
/// the tier changes: the tint on entering a production-ranked tier (or when
/// its colour changes), the restore on leaving it, nothing otherwise. Off
/// (`enabled` false, the default of `[display] osc_tint`) it writes nothing
/// except a restore if it was tinted before being turned off.
class OscTint {
public:
    explicit OscTint(bool enabled) : enabled_(enabled) {}

    /// Bytes to write for the new state. `dangerous`: production_ranked();
    /// `color`: the tier's palette index.
    std::string update(bool dangerous, PaletteIndex color);
    /// Bytes to write when the session ends or the sink is turned off.
    std::string release();
    /// Turns the tint on or off; returns the bytes to write (a restore).
    std::string set_enabled(bool enabled);

private:
    bool enabled_;
    PaletteIndex shown_ = -1;  ///< the colour currently tinted, -1 for none
};

}  // namespace sentinel
