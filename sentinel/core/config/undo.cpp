#include "sentinel/core/config/undo.hpp"

namespace sentinel {

std::string_view undo_mode_name(UndoMode mode) {
    switch (mode) {
        case UndoMode::required: return "required";
        case UndoMode::best_effort: return "best-effort";
        case UndoMode::off: break;
    }
    return "off";
}

void apply_undo_patch(const UndoPatch& patch, const std::string& path, bool system, UndoSettings& settings) {
    if (patch.mode) {
        if (!system && settings.mode == UndoMode::required && *patch.mode != UndoMode::required)
            settings.errors.push_back(path + ": undo = \"required\" is set by the system configuration; kept");
        else settings.mode = patch.mode;
    }
    if (patch.max_bytes) settings.max_bytes = *patch.max_bytes;
    if (patch.keep_days) settings.keep_days = *patch.keep_days;
    if (patch.preview_timeout_ms) settings.preview_timeout_ms = *patch.preview_timeout_ms;
}

UndoMode undo_mode_for(const UndoSettings& settings, bool production_ranked) {
    if (settings.mode) return *settings.mode;
    return production_ranked ? UndoMode::required : UndoMode::best_effort;
}

}  // namespace sentinel
