#include "sentinel/core/config/display.hpp"

#include <toml++/toml.h>

namespace sentinel {
namespace {

std::string where(const std::string& path, const toml::source_region& source) {
    return path + ":" + std::to_string(source.begin.line) + ":" + std::to_string(source.begin.column) + ": ";
}

}  // namespace

std::string_view placement_name(Placement placement) {
    switch (placement) {
        case Placement::bottom: return "bottom";
        case Placement::top: return "top";
        case Placement::off: break;
    }
    return "off";
}

void apply_display_config(std::string_view text, const std::string& path, DisplaySettings& settings) {
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error&) {
        return;  // load_config reports it, with its position
    }
    const toml::node* node = root.get("display");
    if (!node) return;
    const toml::table* display = node->as_table();
    if (!display) {
        settings.errors.push_back(where(path, node->source()) + "\"display\" must be a table");
        return;
    }
    // toml++ keeps a table's keys sorted; errors come in that order.
    for (const auto& [key, value] : *display) {
        std::string_view k = key.str();
        if (k == "statusline") {
            auto s = value.is_string() ? value.value<std::string>() : std::nullopt;
            if (s && *s == "bottom") settings.statusline = Placement::bottom;
            else if (s && *s == "top") settings.statusline = Placement::top;
            else if (s && *s == "off") settings.statusline = Placement::off;
            else settings.errors.push_back(where(path, value.source()) + "statusline must be \"bottom\", \"top\" or \"off\"");
        } else if (k == "tmux_tint" || k == "osc_tint") {
            auto b = value.is_boolean() ? value.value<bool>() : std::nullopt;
            if (!b) settings.errors.push_back(where(path, value.source()) + std::string(k) + " must be true or false");
            else (k == "tmux_tint" ? settings.tmux_tint : settings.osc_tint) = *b;
        } else {
            settings.errors.push_back(where(path, key.source()) + "unknown key \"" + std::string(k) +
                                      "\" in [display] (expected statusline, tmux_tint, osc_tint)");
        }
    }
}

DisplaySettings load_display_settings(const Vars& vars, const FileReader& files) {
    DisplaySettings settings;
    std::string user_path;
    if (auto xdg = get(vars, "XDG_CONFIG_HOME"); xdg && !xdg->empty() && (*xdg)[0] == '/')
        user_path = *xdg + "/sentinel/config.toml";
    else if (auto home = get(vars, "HOME"); home && !home->empty())
        user_path = *home + "/.config/sentinel/config.toml";
    for (const std::string& path :
         {get(vars, "SENTINEL_SYSTEM_CONFIG").value_or("/etc/sentinel/config.toml"), user_path}) {
        if (path.empty()) continue;
        FileRead file = files.read(path);
        if (file.status == FileRead::Status::ok) apply_display_config(file.data, path, settings);
    }
    return settings;
}

bool no_color(const Vars& vars) {
    auto value = get(vars, "NO_COLOR");
    return value && !value->empty();
}

}  // namespace sentinel
