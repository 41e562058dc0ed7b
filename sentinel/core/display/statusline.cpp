#include "sentinel/core/display/statusline.hpp"

#include <algorithm>
#include <cstdlib>

#include "sentinel/core/sanitize.hpp"
#include "sentinel/core/config/display.hpp"

namespace sentinel {
namespace {

const char* const kAnsiNames[] = {"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"};

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

// xterm's 6x6x6 cube levels.
constexpr int kCube[] = {0, 95, 135, 175, 215, 255};

int nearest_cube_level(int v) {
    int best = 0;
    for (int i = 1; i < 6; ++i)
        if (std::abs(kCube[i] - v) < std::abs(kCube[best] - v)) best = i;
    return best;
}

int dist2(int r1, int g1, int b1, int r2, int g2, int b2) {
    return (r1 - r2) * (r1 - r2) + (g1 - g2) * (g1 - g2) + (b1 - b2) * (b1 - b2);
}

int hex2(std::string_view s) {
    int v = 0;
    for (char c : s) {
        v *= 16;
        if (c >= '0' && c <= '9') v += c - '0';
        else if (c >= 'a' && c <= 'f') v += c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v += c - 'A' + 10;
        else return -1;
    }
    return v;
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
    c.tier = sanitize(s.tier);
    if (const Tier* tier = s.config.tier(s.tier)) {
        c.label = sanitize(tier->label);
        c.color = tier->color;
    } else if (s.tier != "none") {
        c.label = sanitize(s.tier);
    }
    c.production = production_ranked(s.config, s.tier);
    for (const Target& t : s.targets) {
        std::string item = item_of(t);
        if (std::find(c.items.begin(), c.items.end(), item) == c.items.end()) c.items.push_back(std::move(item));
    }
    return c;
}

PaletteIndex palette_index(std::string_view color) {
    for (int i = 0; i < 8; ++i) {
        if (color == kAnsiNames[i]) return i;
        if (color.size() == 7 + std::string_view(kAnsiNames[i]).size() && color.substr(0, 7) == "bright-" &&
            color.substr(7) == kAnsiNames[i])
            return i + 8;
    }
    if (!color.empty() && color.size() <= 3 &&
        std::all_of(color.begin(), color.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
        int n = std::atoi(std::string(color).c_str());
        return n <= 255 ? n : -1;
    }
    if (color.size() == 7 && color[0] == '#') {
        int r = hex2(color.substr(1, 2)), g = hex2(color.substr(3, 2)), b = hex2(color.substr(5, 2));
        if (r < 0 || g < 0 || b < 0) return -1;
        int cr = nearest_cube_level(r), cg = nearest_cube_level(g), cb = nearest_cube_level(b);
        int cube = 16 + 36 * cr + 6 * cg + cb;
        int grey_step = std::clamp(((r + g + b) / 3 - 8 + 5) / 10, 0, 23);
        int grey = 8 + 10 * grey_step;
        bool grey_wins = dist2(r, g, b, grey, grey, grey) < dist2(r, g, b, kCube[cr], kCube[cg], kCube[cb]);
        return grey_wins ? 232 + grey_step : cube;
    }
    return -1;
}

PaletteIndex downgrade_to_8(PaletteIndex index) {
    if (index < 8) return index;
    if (index < 16) return index - 8;
    int r, g, b;
    if (index >= 232) {
        r = g = b = 8 + 10 * (index - 232);
    } else {
        int n = index - 16;
        r = kCube[n / 36];
        g = kCube[(n / 6) % 6];
        b = kCube[n % 6];
    }
    // The ANSI colour whose on/off pattern is closest: a channel is "on"
    // from half intensity.
    int bits = (r >= 128 ? 1 : 0) | (g >= 128 ? 2 : 0) | (b >= 128 ? 4 : 0);
    if (bits == 0 && std::max({r, g, b}) >= 80) {
        // Dark but coloured (a dark red tint): keep the hue.
        int m = std::max({r, g, b});
        bits = (r == m ? 1 : 0) | (g == m ? 2 : 0) | (b == m ? 4 : 0);
    }
    return bits;
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
    PaletteIndex color = no_color ? -1 : palette_index(c.color);
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
