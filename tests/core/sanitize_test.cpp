#include "sentinel/core/sanitize.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

using sentinel::display_width;
using sentinel::elide_middle;
using sentinel::is_suspicious_name;
using sentinel::sanitize;
using sentinel::sanitize_rule;

namespace {

// The output of sanitize() is valid UTF-8 with no C0, DEL, or C1 code point.
bool printable_utf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7F) return false;
        if (c < 0x80) { ++i; continue; }
        std::size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        char32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
        for (std::size_t k = 1; k < len; ++k) {
            auto b = static_cast<unsigned char>(s[i + k]);
            if ((b & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (b & 0x3F);
        }
        char32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        if (cp >= 0x80 && cp <= 0x9F) return false;                      // C1
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) return false;  // bidi
        if (cp >= 0x200B && cp <= 0x200F) return false;                  // zero-width
        i += len;
    }
    return true;
}

}  // namespace

TEST_CASE("sanitize: named escapes for the usual control bytes") {
    CHECK(sanitize("\x1b") == "\\e");
    CHECK(sanitize("\a") == "\\a");
    CHECK(sanitize("\b") == "\\b");
    CHECK(sanitize("\t") == "\\t");
    CHECK(sanitize("\n") == "\\n");
    CHECK(sanitize("\r") == "\\r");
    CHECK(sanitize("\x1b]0;pwn\a") == "\\e]0;pwn\\a");
    CHECK(sanitize("a\x1b[2Jb") == "a\\e[2Jb");
}

TEST_CASE("sanitize: other C0 bytes, NUL and DEL as \\xNN") {
    CHECK(sanitize(std::string("\0", 1)) == "\\x00");
    CHECK(sanitize("\x01") == "\\x01");
    CHECK(sanitize("\x1f") == "\\x1f");
    CHECK(sanitize("\x7f") == "\\x7f");
    CHECK(sanitize(std::string("a\0b", 3)) == "a\\x00b");
}

TEST_CASE("sanitize: C1, bidi and zero-width characters as \\u{NNNN}") {
    CHECK(sanitize("\u0085") == "\\u{0085}");
    CHECK(sanitize("a\u009bb") == "a\\u{009b}b");
    CHECK(sanitize("\u202e") == "\\u{202e}");
    CHECK(sanitize("dev\u202eprod") == "dev\\u{202e}prod");
    CHECK(sanitize("\u2067") == "\\u{2067}");
    CHECK(sanitize("pr\u200bod") == "pr\\u{200b}od");
    CHECK(sanitize("\ufeff") == "\\u{feff}");
}

TEST_CASE("sanitize: bytes that are not UTF-8 as \\xNN") {
    CHECK(sanitize("\x9b") == "\\x9b");            // 8-bit CSI, a raw byte
    CHECK(sanitize("\x9b" "2J") == "\\x9b2J");
    CHECK(sanitize("\xff\xfe") == "\\xff\\xfe");
    CHECK(sanitize("\xc3") == "\\xc3");             // truncated sequence
    CHECK(sanitize("\xc0\xaf") == "\\xc0\\xaf");    // overlong '/'
    CHECK(sanitize("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // surrogate
    CHECK(sanitize("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
}

TEST_CASE("sanitize: backslash doubled, so an escape cannot be forged") {
    CHECK(sanitize("\\") == "\\\\");
    CHECK(sanitize("\\e") == "\\\\e");
    CHECK(sanitize("a\\x1b") == "a\\\\x1b");
    CHECK(sanitize("\\\x1b") == "\\\\\\e");
}

TEST_CASE("sanitize: printable text, ASCII and UTF-8, kept as is") {
    CHECK(sanitize("") == "");
    CHECK(sanitize("prod-eu/payments $(id) `x` %F{red} #(rm)") == "prod-eu/payments $(id) `x` %F{red} #(rm)");
    CHECK(sanitize("café") == "café");
    CHECK(sanitize("прод") == "прод");
    CHECK(sanitize("東京") == "東京");
    CHECK(sanitize("\U0001F525") == "\U0001F525");
    CHECK(sanitize("\u00a0") == "\u00a0");  // first code point after C1
}

TEST_CASE("sanitize: 20,000 random byte strings come out printable UTF-8") {
    std::mt19937 rng(20240611);
    // Bias towards interesting bytes: C0, DEL, C1 lead bytes, UTF-8 leads.
    const unsigned char interesting[] = {0x00, 0x07, 0x1b, 0x0a, 0x7f, 0x80, 0x85, 0x9b, 0xc2, 0xe2, 0x80, 0xae,
                                         0xf0, 0xf4, 0xed, 0xff, '\\', 'a'};
    int failures = 0;
    for (int n = 0; n < 20000; ++n) {
        std::string raw(rng() % 24, '\0');
        for (char& c : raw)
            c = static_cast<char>(rng() % 2 ? rng() % 256 : interesting[rng() % sizeof interesting]);
        std::string out = sanitize(raw);
        if (!printable_utf8(out)) {
            ++failures;
            if (failures == 1) FAIL_CHECK("not printable UTF-8 for input of " << raw.size() << " bytes");
        }
    }
    CHECK(failures == 0);
}

TEST_CASE("is_suspicious_name: look-alikes, controls and invisible characters") {
    CHECK(is_suspicious_name("pr\u043ed"));       // Cyrillic о
    CHECK(is_suspicious_name("dev\u202eprod"));
    CHECK(is_suspicious_name("pr\u200bod"));
    CHECK(is_suspicious_name("prod\x1b"));
    CHECK(is_suspicious_name("prod\x7f"));
    CHECK(is_suspicious_name("prod\xff"));        // not UTF-8
    CHECK(is_suspicious_name(std::string("dev\0prod", 8)));
}

TEST_CASE("is_suspicious_name: ordinary names are not suspicious") {
    CHECK_FALSE(is_suspicious_name("prod-eu"));
    CHECK_FALSE(is_suspicious_name("gke_my-project_europe-west1_prod-1"));
    CHECK_FALSE(is_suspicious_name("https://10.0.0.1:6443"));
    CHECK_FALSE(is_suspicious_name(""));
    CHECK_FALSE(is_suspicious_name("\u043f\u0440\u043e\u0434"));  // all Cyrillic: no ASCII letter to imitate
    CHECK_FALSE(is_suspicious_name("db-1 \u00b7 \u00a9"));       // Latin-1 punctuation and symbols
}

TEST_CASE("display_width: one column per code point") {
    CHECK(display_width("") == 0);
    CHECK(display_width("prod") == 4);
    CHECK(display_width("caf\u00e9") == 4);
    CHECK(display_width("\u2026") == 1);
    CHECK(display_width("\U0001F525x") == 2);
}

TEST_CASE("elide_middle: exact outputs") {
    CHECK(elide_middle("abcdefghij", 0) == "");
    CHECK(elide_middle("abcdefghij", 1) == "\u2026");
    CHECK(elide_middle("abcdefghij", 2) == "a\u2026");
    CHECK(elide_middle("abcdefghij", 3) == "a\u2026j");
    CHECK(elide_middle("abcdefghij", 4) == "ab\u2026j");
    CHECK(elide_middle("abcdefghij", 5) == "ab\u2026ij");
    CHECK(elide_middle("abcdefghij", 9) == "abcd\u2026ghij");
    CHECK(elide_middle("abcdefghij", 10) == "abcdefghij");
    CHECK(elide_middle("abcdefghij", 80) == "abcdefghij");
    CHECK(elide_middle("", 0) == "");
    CHECK(elide_middle("gke_project_region_prod-cluster", 15) == "gke_pro\u2026cluster");
}

TEST_CASE("elide_middle: never splits a multi-byte character") {
    std::string s = "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9";  // six two-byte letters
    CHECK(elide_middle(s, 4) == "\u00e9\u00e9\u2026\u00e9");
    CHECK(display_width(elide_middle(s, 4)) == 4);
    std::string big(100000, 'x');
    CHECK(display_width(elide_middle(big, 40)) == 40);
}

TEST_CASE("sanitize: line separators, soft hyphens and tag characters are escaped") {
    CHECK(sentinel::sanitize("a\u2028b") == "a\\u{2028}b");
    CHECK(sentinel::sanitize("a\u00adb") == "a\\u{00ad}b");
    CHECK(sentinel::sanitize("a\U000E0041b") == "a\\u{e0041}b");
}

TEST_CASE("is_suspicious_name: scripts are mixed inside a word, not across words (bug: prod-東京)") {
    CHECK(sentinel::is_suspicious_name("pr\u043ed"));
    CHECK_FALSE(sentinel::is_suspicious_name("prod-\u6771\u4eac"));
    CHECK_FALSE(sentinel::is_suspicious_name("caf\u00e9"));  // é looks like no ASCII letter
    CHECK(sentinel::is_suspicious_name("pr\u03bfd"));        // Greek omicron
    CHECK(sentinel::is_suspicious_name("\uff50rod"));        // fullwidth p
    CHECK(sentinel::is_suspicious_name("adm\u0131n"));       // dotless i
}

TEST_CASE("sanitize: invisible characters that made dev-prod look like a safe name (bug: dev-pro\\u206Ad)") {
    // Each displayed as "dev-prod" and was classified development.
    CHECK(sanitize("dev-pro\u206Ad") == "dev-pro\\u{206a}d");
    CHECK(sanitize("dev-pro\uFE0Fd") == "dev-pro\\u{fe0f}d");
    CHECK(sanitize("dev-pr\u3164od") == "dev-pr\\u{3164}od");
    CHECK(sanitize("a\u180Bb\u180Fc") == "a\\u{180b}b\\u{180f}c");
    CHECK(sanitize("a\u17B4b\u17B5c") == "a\\u{17b4}b\\u{17b5}c");
    CHECK(sanitize("a\U000E0100b") == "a\\u{e0100}b");   // variation selector supplement
    CHECK(sanitize("a\u115Fb\uFFA0c") == "a\\u{115f}b\\u{ffa0}c");  // Hangul fillers
    CHECK(sanitize("a\u0600b") == "a\\u{0600}b");         // a format character (Cf)
    CHECK(sanitize("a\U0001D173b") == "a\\u{1d173}b");
    for (const char* name : {"dev-pro\u206Ad", "dev-pro\uFE0Fd", "dev-pr\u3164od", "dev\U000E01EFprod"})
        CHECK(is_suspicious_name(name));
    CHECK_FALSE(is_suspicious_name("dev-prod"));
}

TEST_CASE("sanitize_rule: a regex reads as written, control bytes are still escaped") {
    CHECK(sanitize_rule("server ~ /^https://k8s\\.eu\\.example\\.com$/") == "server ~ /^https://k8s\\.eu\\.example\\.com$/");
    CHECK(sanitize_rule("host = \"db\x1b]0;x\x07\"") == "host = \"db\\e]0;x\\a\"");
    CHECK(sanitize_rule("a\\") == "a\\");
    CHECK(sanitize_rule("\xe2\x80\xae") == sanitize("\xe2\x80\xae"));
}
