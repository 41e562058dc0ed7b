#include "sentinel/core/display/statusline.hpp"

#include <algorithm>

#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

void add(StatusLine& line, std::string text, Style style) {
    std::size_t w = display_width(text);
    if (w == 0) return;
    line.segments.push_back({std::move(text), style, w});
    line.width += w;
}

}  // namespace

std::string StatusLine::text() const {
    std::string out;
    for (const Segment& s : segments) out += s.text;
    return out;
}

std::string line_text(const Display& d) {
    std::string out;
    for (const std::string& item : line_items(d)) out += (out.empty() ? "" : " \u00b7 ") + item;
    if (!d.note.empty()) out += (out.empty() ? "" : " \u00b7 ") + d.note;
    return out;
}

StatusLine layout_status_line(const Display& c, std::size_t width, bool no_color) {
    StatusLine line;
    if (width == 0) return line;
    if (c.label.empty() && c.targets.empty() && c.note.empty()) {
        add(line, elide_middle("sentinel: no target", width), Style{});
        return line;
    }
    PaletteIndex color = no_color ? -1 : c.color.palette();
    Style label_style = color < 0 ? Style{.bold = true, .reverse = true} : Style{.fg = color, .bold = true, .reverse = true};
    Style rest_style = color < 0 ? Style{} : Style{.fg = color};

    std::string label = " " + c.shown_label() + " ";
    if (display_width(label) >= width) {
        add(line, elide_middle(label, width), label_style);
        return line;
    }
    add(line, label, label_style);

    std::string rest = line_text(c);
    if (rest.empty()) return line;
    std::size_t room = width - line.width;
    if (room < 2) return line;
    add(line, " " + elide_middle(rest, room - 1), rest_style);
    return line;
}

}  // namespace sentinel
