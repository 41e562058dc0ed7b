// The sanitiser's table of invisible characters against ICU, for every code
// point: escaped (and suspicious) exactly when ICU says the character is a
// control (Cc), a format character (Cf), a line or paragraph separator (Zl,
// Zp) or Default_Ignorable_Code_Point. Built when ICU is installed
// (libicu-dev, contrib/debian-deps.sh --test); ICU 72 implements Unicode 15.0,
// the version the table follows.

#include <unicode/uchar.h>
#include <unicode/uversion.h>

#include <doctest/doctest.h>

#include <ios>
#include <string>

#include "sentinel/core/sanitize.hpp"

namespace {

std::string utf8(char32_t cp) {
    std::string out;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return out;
}

bool icu_invisible(char32_t cp) {
    auto c = static_cast<UChar32>(cp);
    int8_t type = u_charType(c);
    return type == U_CONTROL_CHAR || type == U_FORMAT_CHAR || type == U_LINE_SEPARATOR ||
           type == U_PARAGRAPH_SEPARATOR || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

}  // namespace

TEST_CASE("sanitize: every invisible code point of Unicode 15.0 is escaped, and only those") {
    UVersionInfo unicode;
    u_getUnicodeVersion(unicode);
    REQUIRE(unicode[0] >= 15);
    int wrong = 0;
    for (char32_t cp = 0x20; cp <= 0x10FFFF; ++cp) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;  // surrogates are not UTF-8
        if (cp == '\\' || cp == 0x7F) continue;       // escaped for other reasons
        std::string text = utf8(cp);
        bool escaped = sentinel::sanitize(text) != text;
        bool suspicious = sentinel::is_suspicious_name(text);
        if (escaped != icu_invisible(cp) || (escaped && !suspicious)) {
            if (++wrong <= 20) MESSAGE("U+" << std::hex << static_cast<unsigned>(cp) << " escaped=" << escaped
                                            << " suspicious=" << suspicious << " icu=" << icu_invisible(cp));
        }
    }
    CHECK(wrong == 0);
}
