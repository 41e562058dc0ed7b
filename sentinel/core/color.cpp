#include "sentinel/core/color.hpp"

#include <algorithm>
#include <cstdlib>

namespace sentinel {
namespace {

constexpr std::string_view kAnsiNames[] = {"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"};

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

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int hex2(std::string_view s) {
    int hi = hex_digit(s[0]), lo = hex_digit(s[1]);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

}  // namespace

std::optional<Color> Color::parse(std::string_view text) {
    Color c;
    if (text == "default") return c;
    for (int i = 0; i < 8; ++i) {
        if (text == kAnsiNames[i]) return ansi(i);
        if (text.size() == 7 + kAnsiNames[i].size() && text.substr(0, 7) == "bright-" && text.substr(7) == kAnsiNames[i])
            return ansi(i + 8);
    }
    if (!text.empty() && text.size() <= 3 && std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
        int n = std::atoi(std::string(text).c_str());
        if (n > 255) return std::nullopt;
        c.type_ = Type::indexed;
        c.index_ = n;
        return c;
    }
    if (text.size() == 7 && text[0] == '#') {
        int r = hex2(text.substr(1, 2)), g = hex2(text.substr(3, 2)), b = hex2(text.substr(5, 2));
        if (r < 0 || g < 0 || b < 0) return std::nullopt;
        c.type_ = Type::rgb;
        c.r_ = r, c.g_ = g, c.b_ = b;
        return c;
    }
    return std::nullopt;
}

Color Color::ansi(int index) {
    Color c;
    c.type_ = Type::ansi;
    c.index_ = std::clamp(index, 0, 15);
    return c;
}

std::string Color::text() const {
    switch (type_) {
        case Type::none: break;
        case Type::ansi:
            return (index_ >= 8 ? "bright-" : "") + std::string(kAnsiNames[index_ % 8]);
        case Type::indexed:
            return std::to_string(index_);
        case Type::rgb: {
            static const char kHex[] = "0123456789abcdef";
            std::string out = "#";
            for (int v : {r_, g_, b_}) out += {kHex[v / 16], kHex[v % 16]};
            return out;
        }
    }
    return "default";
}

std::string Color::sgr(bool background) const {
    std::string kind = background ? "48" : "38";
    switch (type_) {
        case Type::none: break;
        case Type::ansi:
            return std::to_string((background ? 40 : 30) + (index_ >= 8 ? 60 : 0) + index_ % 8);
        case Type::indexed:
            return kind + ";5;" + std::to_string(index_);
        case Type::rgb:
            return kind + ";2;" + std::to_string(r_) + ";" + std::to_string(g_) + ";" + std::to_string(b_);
    }
    return {};
}

PaletteIndex Color::palette() const {
    switch (type_) {
        case Type::none: break;
        case Type::ansi:
        case Type::indexed:
            return index_;
        case Type::rgb: {
            int cr = nearest_cube_level(r_), cg = nearest_cube_level(g_), cb = nearest_cube_level(b_);
            int cube = 16 + 36 * cr + 6 * cg + cb;
            int grey_step = std::clamp(((r_ + g_ + b_) / 3 - 8 + 5) / 10, 0, 23);
            int grey = 8 + 10 * grey_step;
            bool grey_wins = dist2(r_, g_, b_, grey, grey, grey) < dist2(r_, g_, b_, kCube[cr], kCube[cg], kCube[cb]);
            return grey_wins ? 232 + grey_step : cube;
        }
    }
    return -1;
}

Rgb palette_rgb(PaletteIndex index) {
    static const Rgb kAnsi[16] = {{0, 0, 0},       {205, 0, 0},   {0, 205, 0},   {205, 205, 0},
                                  {0, 0, 238},     {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
                                  {127, 127, 127}, {255, 0, 0},   {0, 255, 0},   {255, 255, 0},
                                  {92, 92, 255},   {255, 0, 255}, {0, 255, 255}, {255, 255, 255}};
    if (index < 16) return kAnsi[std::max(index, 0)];
    if (index >= 232) {
        int v = 8 + 10 * (std::min(index, 255) - 232);
        return {v, v, v};
    }
    int n = index - 16;
    return {kCube[n / 36], kCube[(n / 6) % 6], kCube[n % 6]};
}

PaletteIndex downgrade_to_8(PaletteIndex index) {
    if (index < 8) return index;
    if (index < 16) return index - 8;
    Rgb c = palette_rgb(index);
    // The ANSI colour whose on/off pattern is closest: a channel is "on"
    // from half intensity.
    int bits = (c.r >= 128 ? 1 : 0) | (c.g >= 128 ? 2 : 0) | (c.b >= 128 ? 4 : 0);
    if (bits == 0 && std::max({c.r, c.g, c.b}) >= 80) {
        // Dark but coloured (a dark red tint): keep the hue.
        int m = std::max({c.r, c.g, c.b});
        bits = (c.r == m ? 1 : 0) | (c.g == m ? 2 : 0) | (c.b == m ? 4 : 0);
    }
    return bits;
}

}  // namespace sentinel
