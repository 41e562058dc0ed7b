#pragma once
// A tier's colour, parsed once from config.toml and rendered by every sink:
// ANSI SGR parameters (prompt, `status`, `explain`, the guard banner), a
// palette index (terminfo status line, curses bar, tmux) and RGB (the OSC 11
// tint). Pure.

#include <optional>
#include <string>
#include <string_view>

namespace sentinel {

/// A palette colour: 0-255 as terminfo `setaf`/`setab` and tmux `colourN`
/// number them; -1 is the terminal's default colour.
using PaletteIndex = int;

/// A colour as config.toml names it (`[tiers.NAME] color`).
class Color {
public:
    enum class Type {
        none,     ///< "default": the terminal's own colour
        ansi,     ///< "red", "bright-red": the 16 ANSI colours (index 0-15)
        indexed,  ///< "196": an entry of the 256-colour palette
        rgb,      ///< "#rrggbb"
    };

    /// The terminal's default colour.
    Color() = default;

    /// Parses `text`: "black".."white", "bright-black".."bright-white",
    /// "default", 0-255 in decimal (at most three digits), "#rrggbb" (hex,
    /// either case). nullopt for anything else (config.toml reports it).
    static std::optional<Color> parse(std::string_view text);

    /// The colour of an ANSI index 0-15 (0-7 normal, 8-15 bright).
    static Color ansi(int index);

    Type type() const { return type_; }

    /// The text config.toml spells it with ("red", "196", "#ff0000",
    /// "default"); parse(text()) gives the colour back.
    std::string text() const;

    /// The SGR parameters (without ESC [ and m) selecting it as foreground
    /// or background: "31" and "91" for red and bright-red (ECMA-48 30-37,
    /// 90-97; 40-47, 100-107), "38;5;N" for an index, "38;2;R;G;B" for RGB
    /// (ITU T.416); "" for the default colour.
    std::string sgr(bool background) const;

    /// The palette index: the ANSI index, the index itself, or for RGB the
    /// nearest entry of the xterm 256-colour cube or grey ramp (16-255); -1
    /// for the default colour.
    PaletteIndex palette() const;

    bool operator==(const Color&) const = default;

private:
    Type type_ = Type::none;
    int index_ = 0;               ///< ansi: 0-15; indexed: 0-255
    int r_ = 0, g_ = 0, b_ = 0;   ///< rgb
};

/// The nearest of the 8 ANSI colours (0-7) for a palette index, for
/// terminals with fewer colours (terminfo `colors` < 16 or < 256); -1 stays -1.
PaletteIndex downgrade_to_8(PaletteIndex index);

/// The RGB of a palette index as xterm defines the 256 colours (the 16 ANSI
/// colours at xterm's defaults, then the 6x6x6 cube and the grey ramp).
/// `index` must be 0-255.
struct Rgb {
    int r = 0, g = 0, b = 0;
};
Rgb palette_rgb(PaletteIndex index);

}  // namespace sentinel
