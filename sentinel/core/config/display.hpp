#pragma once
// The `[display]` table of config.toml: where the status line goes and
// which tints are on. Read here with its own toml++ pass over the same files
// load_config reads (core/config/config.hpp), so the core config parser stays the one
// place for tiers and rules. Pure: files come through a FileReader.
//
//   [display]
//   statusline = "bottom"   # "bottom" (default), "top" or "off": the line reserved in the terminal
//   tmux_tint = true        # tint production panes' background in tmux (default on)
//   osc_tint = false        # tint the terminal's background (OSC 11) on production outside tmux (default off)

#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/config/config.hpp"
#include "sentinel/core/result.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// Where the reserved status line sits.
enum class Placement { bottom, top, off };

/// "bottom", "top" or "off".
std::string_view placement_name(Placement placement);

/// The display settings, with their defaults.
struct DisplaySettings {
    Placement statusline = Placement::bottom;  ///< `statusline`
    bool tmux_tint = true;                     ///< `tmux_tint`
    bool osc_tint = false;                     ///< `osc_tint`
    std::vector<std::string> errors;           ///< "path:line:col: message" for bad values (defaults kept)
};

/// Applies the `[display]` table of one config file's text to `settings`
/// (keys absent keep their value). A file that is not valid TOML is left to
/// load_config to report and changes nothing; a bad `[display]` value or an
/// unknown key inside it adds "path:line:col: message" to errors.
void apply_display_config(std::string_view text, const std::string& path, DisplaySettings& settings);

/// The settings from the system file then the user file (the same paths as
/// load_config: `$SENTINEL_SYSTEM_CONFIG` or /etc/sentinel/config.toml, then
/// `$XDG_CONFIG_HOME/sentinel/config.toml` or `~/.config/...`).
DisplaySettings load_display_settings(const Vars& vars, const FileReader& files);

/// True when `NO_COLOR` is set to a non-empty value (https://no-color.org).
bool no_color(const Vars& vars);

}  // namespace sentinel
