#include "sentinel/core/display/statusline.hpp"

#include <algorithm>

#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

// The short form of a target, sanitized: what a person recognises.
std::string item_of(const Target& t) {
    switch (t.kind) {
        case Kind::kube: {
            std::string ctx = t.get("context").empty() ? "(no context)" : sanitize(t.get("context"));
            std::string ns = t.get("namespace");
            return "kube " + ctx + (ns.empty() ? "" : "/" + sanitize(ns));
        }
        case Kind::pg: {
            if (!t.get("service").empty()) return "pg " + sanitize(t.get("service"));
            std::string host = t.get("host").empty() ? t.get("hostaddr") : t.get("host");
            std::string out = "pg " + sanitize(t.get("dbname")) + "@" + sanitize(host);
            if (!t.get("port").empty() && t.get("port") != "5432") out += ":" + sanitize(t.get("port"));
            return out;
        }
        case Kind::env:
            return sanitize(t.get("name")) + "=" + sanitize(t.get("value"));
    }
    return {};
}

void add(StatusLine& line, std::string text, Style style) {
    std::size_t w = display_width(text);
    if (w == 0) return;
    line.segments.push_back({std::move(text), style, w});
    line.width += w;
}

}  // namespace

LineContent line_content(const Snapshot& s) {
    LineContent c;
    c.tier = sanitize(s.tier.name());
    if (const TierSpec* tier = s.config.spec(s.tier)) {
        c.label = sanitize(tier->label);
        c.color = tier->color;
    } else if (s.tier != Tier::none()) {
        c.label = sanitize(s.tier.name());
    }
    c.production = s.config.production_ranked(s.tier);
    for (const Target& t : s.targets) {
        std::string item = item_of(t);
        if (std::find(c.items.begin(), c.items.end(), item) == c.items.end()) c.items.push_back(std::move(item));
    }
    return c;
}

std::string StatusLine::text() const {
    std::string out;
    for (const Segment& s : segments) out += s.text;
    return out;
}

StatusLine layout_status_line(const LineContent& c, std::size_t width, bool no_color) {
    StatusLine line;
    if (width == 0) return line;
    if (c.label.empty() && c.items.empty()) {
        add(line, elide_middle("sentinel: no target", width), Style{});
        return line;
    }
    PaletteIndex color = no_color ? -1 : c.color.palette();
    Style label_style = color < 0 ? Style{.bold = true, .reverse = true} : Style{.fg = color, .bold = true, .reverse = true};
    Style rest_style = color < 0 ? Style{} : Style{.fg = color};

    std::string label = " " + (c.label.empty() ? c.tier : c.label) + " ";
    if (display_width(label) >= width) {
        add(line, elide_middle(label, width), label_style);
        return line;
    }
    add(line, label, label_style);

    std::string rest;
    for (const std::string& item : c.items) rest += (rest.empty() ? "" : " \u00b7 ") + item;
    if (!c.note.empty()) rest += (rest.empty() ? "" : " \u00b7 ") + c.note;
    if (rest.empty()) return line;
    std::size_t room = width - line.width;
    if (room < 2) return line;
    add(line, " " + elide_middle(rest, room - 1), rest_style);
    return line;
}

}  // namespace sentinel
