#include "sentinel/core/sanitize.hpp"

#include <cstdint>
#include <cstdio>
#include <iterator>

namespace sentinel {
namespace {

// Characters that show as nothing or change how other text shows: C1
// controls, every format character (General_Category Cf) and every
// Default_Ignorable_Code_Point of Unicode 15.0 (DerivedCoreProperties.txt:
// zero-width and joiner characters, bidi controls, variation selectors,
// Hangul fillers, Mongolian free variation selectors, Khmer inherent vowels,
// tags), and the line and paragraph separators. "dev-pro\u206Ad" must not
// pass for "dev-prod". Sorted; tests/core/sanitize_unicode_test.cpp checks it
// against ICU for every code point.
struct Range {
    char32_t first, last;
};
constexpr Range kInvisible[] = {
    {0x0080, 0x009F},    // C1 controls
    {0x00AD, 0x00AD},    // soft hyphen
    {0x034F, 0x034F},    // combining grapheme joiner
    {0x0600, 0x0605},    // Arabic number signs (Cf)
    {0x061C, 0x061C},    // Arabic letter mark
    {0x06DD, 0x06DD},    // Arabic end of ayah (Cf)
    {0x070F, 0x070F},    // Syriac abbreviation mark (Cf)
    {0x0890, 0x0891},    // Arabic pound and piastre marks above (Cf)
    {0x08E2, 0x08E2},    // Arabic disputed end of ayah (Cf)
    {0x115F, 0x1160},    // Hangul choseong and jungseong fillers
    {0x17B4, 0x17B5},    // Khmer inherent vowels
    {0x180B, 0x180F},    // Mongolian free variation selectors, vowel separator
    {0x200B, 0x200F},    // zero-width space, joiners, LRM, RLM
    {0x2028, 0x202E},    // line and paragraph separators, bidi embeddings and overrides
    {0x2060, 0x206F},    // word joiner, invisible operators, bidi isolates, deprecated formats
    {0x3164, 0x3164},    // Hangul filler
    {0xFE00, 0xFE0F},    // variation selectors
    {0xFEFF, 0xFEFF},    // zero-width no-break space (BOM)
    {0xFFA0, 0xFFA0},    // halfwidth Hangul filler
    {0xFFF0, 0xFFFB},    // reserved default-ignorables, interlinear annotation
    {0x110BD, 0x110BD},  // Kaithi number sign (Cf)
    {0x110CD, 0x110CD},  // Kaithi number sign above (Cf)
    {0x13430, 0x1343F},  // Egyptian hieroglyph format controls (Cf)
    {0x1BCA0, 0x1BCA3},  // shorthand format controls
    {0x1D173, 0x1D17A},  // musical symbol beam and slur formats
    {0xE0000, 0xE0FFF},  // tags, variation selectors supplement, reserved
};

bool is_invisible_format(char32_t cp) {
    if (cp < 0x80) return false;
    std::size_t lo = 0, hi = std::size(kInvisible);
    while (lo < hi) {
        std::size_t mid = (lo + hi) / 2;
        if (cp > kInvisible[mid].last) lo = mid + 1;
        else if (cp < kInvisible[mid].first) hi = mid;
        else return true;
    }
    return false;
}

void append_hex_byte(std::string& out, unsigned char c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", c);
    out += buf;
}

void append_codepoint_escape(std::string& out, char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "\\u{%04x}", static_cast<unsigned>(cp));
    out += buf;
}

// Scripts and blocks whose letters pass for ASCII ones (Unicode TR39's
// confusables come mostly from these): IPA, Greek, Cyrillic, Armenian,
// Cherokee, letterlike symbols (the Kelvin sign), fullwidth forms,
// mathematical alphanumerics, and the dotless i and j.
bool is_ascii_look_alike_script(char32_t cp) {
    return (cp >= 0x0250 && cp <= 0x02AF) || (cp >= 0x0370 && cp <= 0x058F) || (cp >= 0x13A0 && cp <= 0x13FF) ||
           (cp >= 0x2100 && cp <= 0x214F) || (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x1D400 && cp <= 0x1D7FF) ||
           cp == 0x0131 || cp == 0x0237;
}

bool is_ascii_letter(char32_t cp) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

}  // namespace

std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    unsigned char c = b(0);
    std::size_t len;
    char32_t min;
    if (c < 0x80) { cp = c; return 1; }
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        if ((b(k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(k) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

std::string sanitize(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size();) {
        char32_t cp = 0;
        std::size_t len = decode_utf8(raw, i, cp);
        if (len == 0) {
            append_hex_byte(out, static_cast<unsigned char>(raw[i]));
            ++i;
            continue;
        }
        if (len == 1) {
            switch (cp) {
                case '\\': out += "\\\\"; break;
                case 0x1B: out += "\\e"; break;
                case 0x07: out += "\\a"; break;
                case 0x08: out += "\\b"; break;
                case '\t': out += "\\t"; break;
                case '\n': out += "\\n"; break;
                case '\r': out += "\\r"; break;
                default:
                    if (cp < 0x20 || cp == 0x7F) append_hex_byte(out, static_cast<unsigned char>(cp));
                    else out += static_cast<char>(cp);
            }
        } else if (is_invisible_format(cp)) {
            append_codepoint_escape(out, cp);
        } else {
            out.append(raw.substr(i, len));
        }
        i += len;
    }
    return out;
}

bool is_suspicious_name(std::string_view raw) {
    // Per word (a run between ASCII punctuation, digits and spaces): "prоd"
    // with a Cyrillic о mixes scripts inside a word; "prod-東京" does not.
    bool ascii_letter = false;
    bool other_letter = false;
    for (std::size_t i = 0; i < raw.size();) {
        char32_t cp = 0;
        std::size_t len = decode_utf8(raw, i, cp);
        if (len == 0) return true;
        if (cp < 0x20 || cp == 0x7F || is_invisible_format(cp)) return true;
        if (is_ascii_letter(cp)) {
            ascii_letter = true;
        } else if (cp < 0x80) {
            if (ascii_letter && other_letter) return true;
            ascii_letter = other_letter = false;
        } else if (is_ascii_look_alike_script(cp)) {
            other_letter = true;
        }
        i += len;
    }
    return ascii_letter && other_letter;
}

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80) ++width;
    return width;
}

std::string elide_middle(std::string_view text, std::size_t width) {
    std::size_t total = display_width(text);
    if (total <= width) return std::string(text);
    if (width == 0) return {};
    if (width == 1) return "\u2026";
    // Byte offset where code point number `n` starts.
    auto offset_of = [&](std::size_t n) {
        std::size_t seen = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
            if (seen == n) return i;
            ++seen;
        }
        return text.size();
    };
    std::size_t keep = width - 1;
    std::size_t head = (keep + 1) / 2;
    std::size_t tail = keep - head;
    std::string out(text.substr(0, offset_of(head)));
    out += "\u2026";
    out += text.substr(offset_of(total - tail));
    return out;
}

std::string sanitize_rule(std::string_view rule) {
    std::string out;
    std::size_t start = 0;
    for (std::size_t at = rule.find('\\'); at != std::string_view::npos; at = rule.find('\\', start)) {
        out += sanitize(rule.substr(start, at - start)) + "\\";
        start = at + 1;
    }
    return out + sanitize(rule.substr(start));
}

}  // namespace sentinel
