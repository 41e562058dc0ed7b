#pragma once
// The preview and undo settings of config.toml (read by parse_config with
// the rest of the file, combined by build_config into Config::undo):
//
//   undo = "required"            # "required", "best-effort" or "off"; default: required on
//                                # production-ranked tiers (and unknown), best-effort elsewhere
//   undo_max_bytes = 1073741824  # above this (estimated) no copy is kept, and the person is asked again
//   undo_keep_days = 30          # copies older than this are removed when a new one is written
//   preview_timeout = 2          # seconds (decimals allowed) for each preview query; 0 turns the preview off

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sentinel {

/// What happens when the undo copy cannot be written.
enum class UndoMode {
    required,     ///< the statement does not run (exit 77)
    best_effort,  ///< a warning, and the statement runs
    off,          ///< no copy is made
};

/// "required", "best-effort" or "off".
std::string_view undo_mode_name(UndoMode mode);

/// The keys one file sets.
struct UndoPatch {
    std::optional<UndoMode> mode;
    std::optional<std::int64_t> max_bytes;
    std::optional<int> keep_days;
    std::optional<int> preview_timeout_ms;
};

/// The effective settings, with their defaults.
struct UndoSettings {
    std::optional<UndoMode> mode;        ///< `undo`; unset: by tier (undo_mode_for)
    std::int64_t max_bytes = 1LL << 30;  ///< `undo_max_bytes`
    int keep_days = 30;                  ///< `undo_keep_days`
    int preview_timeout_ms = 2000;       ///< `preview_timeout` in seconds, kept in ms; 0: no preview
    /// "path: message" for a user file trying to weaken the system's
    /// `undo = "required"` (ignored). A bad value is not here: it is an
    /// error of its file (Config::errors), like any other.
    std::vector<std::string> errors;
};

/// Applies `patch` (from the file at `path`) over `settings`. A user file
/// (`system` false) cannot weaken a `required` the system file set.
void apply_undo_patch(const UndoPatch& patch, const std::string& path, bool system, UndoSettings& settings);

/// The mode for a target whose tier is `production_ranked`
/// (Config::production_ranked): the configured `undo`, else required for
/// production, unknown and tiers ranked as high, best-effort for the others.
UndoMode undo_mode_for(const UndoSettings& settings, bool production_ranked);

}  // namespace sentinel
