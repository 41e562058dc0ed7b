#pragma once
// The preview and undo settings of config.toml, read with their own toml++
// pass over the files load_config reads (config_paths), so the core parser
// stays the one place for tiers and rules. Pure.
//
//   undo = "required"          # "required", "best-effort" or "off"; default: required on
//                              # production-ranked tiers (and unknown), best-effort elsewhere
//   undo_max_bytes = 1073741824  # above this (estimated) no copy is kept, and the person is asked again
//   undo_keep_days = 30        # copies older than this are removed when a new one is written
//   preview_timeout = 2        # seconds (decimals allowed) for each preview query; 0 turns the preview off

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/config/config.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// What happens when the undo copy cannot be written.
enum class UndoMode {
    required,     ///< the statement does not run (exit 77)
    best_effort,  ///< a warning, and the statement runs
    off,          ///< no copy is made
};

/// "required", "best-effort" or "off".
std::string_view undo_mode_name(UndoMode mode);

/// The settings, with their defaults.
struct UndoSettings {
    std::optional<UndoMode> mode;             ///< `undo`; unset: by tier (undo_mode_for)
    std::int64_t max_bytes = 1LL << 30;       ///< `undo_max_bytes`
    int keep_days = 30;                       ///< `undo_keep_days`
    int preview_timeout_ms = 2000;            ///< `preview_timeout` in seconds, kept in ms; 0: no preview
    std::vector<std::string> errors;          ///< "path:line:col: message" for bad values (defaults kept)
};

/// Applies the keys of one file's text (absent keys keep their value). A
/// file that is not valid TOML is load_config's to report.
void apply_undo_config(std::string_view text, const std::string& path, UndoSettings& settings);

/// The settings from the system file, then the user file (load_config's
/// paths). The user file cannot turn a system `undo = "required"` into
/// anything weaker (ignored, with an error noted).
UndoSettings load_undo_settings(const Vars& vars, const FileReader& files);

/// The mode for a target of `tier`: the configured `undo`, else required
/// for tiers ranked like production (production, unknown and above),
/// best-effort for the others.
UndoMode undo_mode_for(const UndoSettings& settings, const Config& config, const Tier& tier);

}  // namespace sentinel
