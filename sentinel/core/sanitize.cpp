#include "sentinel/core/sanitize.hpp"

#include <cstdint>
#include <cstdio>

namespace sentinel {
namespace {

// Decodes one UTF-8 sequence at s[i]. Returns its length, or 0 when the
// bytes there are not well-formed UTF-8 (overlong forms, surrogates and
// values past U+10FFFF count as malformed).
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) {
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

bool is_invisible_format(char32_t cp) {
    return (cp >= 0x80 && cp <= 0x9F)                  // C1 controls
        || (cp >= 0x200B && cp <= 0x200F)              // zero-width, LRM, RLM
        || (cp >= 0x2028 && cp <= 0x202E)              // line/paragraph separators, bidi overrides
        || (cp >= 0x2060 && cp <= 0x2069)              // word joiner, bidi isolates
        || (cp >= 0xE0000 && cp <= 0xE007F)            // tag characters
        || cp == 0x00AD || cp == 0x034F                // soft hyphen, grapheme joiner
        || cp == 0x061C || cp == 0xFEFF || cp == 0x180E;
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

std::string sanitize(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size();) {
        char32_t cp = 0;
        std::size_t len = decode(raw, i, cp);
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
        std::size_t len = decode(raw, i, cp);
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

}  // namespace sentinel
