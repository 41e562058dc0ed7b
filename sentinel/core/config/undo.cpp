#include "sentinel/core/config/undo.hpp"

#include <toml++/toml.h>


namespace sentinel {
namespace {

std::string where(const std::string& path, const toml::node& node) {
    const auto& b = node.source().begin;
    return path + ":" + std::to_string(b.line) + ":" + std::to_string(b.column) + ": ";
}

}  // namespace

std::string_view undo_mode_name(UndoMode mode) {
    switch (mode) {
        case UndoMode::required:
            return "required";
        case UndoMode::best_effort:
            return "best-effort";
        case UndoMode::off:
            break;
    }
    return "off";
}

void apply_undo_config(std::string_view text, const std::string& path, UndoSettings& settings) {
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error&) {
        return;
    }
    if (const toml::node* n = root.get("undo")) {
        auto s = n->value<std::string>();
        if (s && *s == "required")
            settings.mode = UndoMode::required;
        else if (s && *s == "best-effort")
            settings.mode = UndoMode::best_effort;
        else if (s && *s == "off")
            settings.mode = UndoMode::off;
        else
            settings.errors.push_back(where(path, *n) + "undo must be \"required\", \"best-effort\" or \"off\"");
    }
    if (const toml::node* n = root.get("undo_max_bytes")) {
        auto v = n->value<std::int64_t>();
        if (v && *v >= 0)
            settings.max_bytes = *v;
        else
            settings.errors.push_back(where(path, *n) + "undo_max_bytes must be a number of bytes (0 or more)");
    }
    if (const toml::node* n = root.get("undo_keep_days")) {
        auto v = n->value<std::int64_t>();
        if (v && *v >= 1 && *v <= 36500)
            settings.keep_days = static_cast<int>(*v);
        else
            settings.errors.push_back(where(path, *n) + "undo_keep_days must be a number of days from 1 to 36500");
    }
    if (const toml::node* n = root.get("preview_timeout")) {
        auto v = n->value<double>();
        if (v && *v >= 0 && *v <= 600)
            settings.preview_timeout_ms = static_cast<int>(*v * 1000 + 0.5);
        else
            settings.errors.push_back(where(path, *n) + "preview_timeout must be seconds from 0 to 600");
    }
}

UndoSettings load_undo_settings(const Vars& vars, const FileReader& files) {
    UndoSettings settings;
    ConfigPaths paths = config_paths(vars);
    const std::string& user_path = paths.user;
    const std::string& system_path = paths.system;
    FileRead system = files.read(system_path);
    if (system.status == FileRead::Status::ok) apply_undo_config(system.data, system_path, settings);
    bool locked = settings.mode == UndoMode::required;
    if (user_path.empty()) return settings;
    FileRead user = files.read(user_path);
    if (user.status != FileRead::Status::ok) return settings;
    apply_undo_config(user.data, user_path, settings);
    if (locked && settings.mode != UndoMode::required) {
        settings.mode = UndoMode::required;
        settings.errors.push_back(user_path + ": undo = \"required\" is set by the system configuration; kept");
    }
    return settings;
}

UndoMode undo_mode_for(const UndoSettings& settings, const Config& config, const Tier& tier) {
    if (settings.mode) return *settings.mode;
    return config.production_ranked(tier) ? UndoMode::required : UndoMode::best_effort;
}

}  // namespace sentinel
