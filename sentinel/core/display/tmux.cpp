#include "sentinel/core/display/tmux.hpp"

#include "sentinel/core/sanitize.hpp"

namespace sentinel {

std::string tmux_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        out += c;
        if (c == '#') out += '#';
    }
    return out;
}

std::string tmux_colour(PaletteIndex index) {
    if (index < 0 || index > 255) return "default";
    return "colour" + std::to_string(index);
}

std::string tmux_style(const Style& style) {
    std::string out;
    auto add = [&](const std::string& part) { out += (out.empty() ? "" : ",") + part; };
    if (style.fg >= 0) add("fg=" + tmux_colour(style.fg));
    if (style.bg >= 0) add("bg=" + tmux_colour(style.bg));
    if (style.bold) add("bold");
    if (style.reverse) add("reverse");
    return out.empty() ? "default" : out;
}

PaletteIndex tint_of(PaletteIndex index) {
    if (index < 0) return -1;
    // The ANSI colour's on/off channels (bright and dark alike), then the
    // cube's darkest non-zero level (95/255) on each channel that is on.
    int bits = downgrade_to_8(index);
    if (bits == 0) return 233;  // black: a dark grey
    int r = bits & 1, g = (bits >> 1) & 1, b = (bits >> 2) & 1;
    return 16 + 36 * r + 6 * g + b;
}

std::vector<TmuxOption> tmux_pane_options(const Display& c, const TmuxSettings& settings) {
    std::vector<TmuxOption> out;
    StatusLine line = layout_status_line(c, std::string::npos / 2, settings.no_color);
    std::string text = elide_middle(line_text(c), settings.max_width);
    Style label_style = line.segments.empty() ? Style{} : line.segments.front().style;
    if (c.label.empty()) label_style = Style{};

    out.push_back({"@sentinel_tier", tmux_escape(sanitize(c.tier.name()))});
    out.push_back({"@sentinel_label", tmux_escape(c.label)});
    out.push_back({"@sentinel_text", tmux_escape(text)});
    out.push_back({"@sentinel_fg", tmux_colour(settings.no_color ? -1 : c.color.palette())});
    out.push_back({"@sentinel_style", tmux_style(label_style)});
    PaletteIndex tint = tint_of(c.color.palette());
    if (settings.tint && !settings.no_color && c.dangerous && tint >= 0)
        out.push_back({"window-style", "bg=" + tmux_colour(tint)});
    else
        out.push_back({"window-style", "", true});
    return out;
}

std::string tmux_argv_value(std::string_view value) {
    std::string out(value);
    if (!out.empty() && out.back() == ';') {
        out.pop_back();
        out += "\\;";
    }
    return out;
}

std::string tmux_quote(std::string_view value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

std::string tmux_set_commands(const std::string& pane, const std::vector<TmuxOption>& options) {
    std::string out;
    for (const TmuxOption& o : options) {
        if (o.unset) out += "set-option -p -q -u -t " + tmux_quote(pane) + " " + tmux_quote(o.name) + "\n";
        else out += "set-option -p -q -t " + tmux_quote(pane) + " " + tmux_quote(o.name) + " " + tmux_quote(o.value) + "\n";
    }
    return out;
}

}  // namespace sentinel
