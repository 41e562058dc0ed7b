// The sanitiser's contract on any bytes: the output is valid UTF-8 with no
// C0 or C1 control and no invisible character (General_Category Cf,
// Default_Ignorable_Code_Point, line and paragraph separators; checked
// against ICU when the build has it); a name sanitize() changes for any
// other reason than a backslash is suspicious; eliding keeps valid UTF-8
// and the width.

#include <string>

#include "sentinel/core/sanitize.hpp"
#include "tests/fuzz/fuzz.hpp"

#ifdef SENTINEL_FUZZ_ICU
#include <unicode/uchar.h>
#endif

namespace {

bool visible(char32_t cp) {
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return false;
#ifdef SENTINEL_FUZZ_ICU
    auto c = static_cast<UChar32>(cp);
    int8_t type = u_charType(c);
    if (type == U_FORMAT_CHAR || type == U_LINE_SEPARATOR || type == U_PARAGRAPH_SEPARATOR ||
        u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
        return false;
#endif
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string raw(reinterpret_cast<const char*>(data), size);
    std::string out = sentinel::sanitize(raw);
    for (std::size_t i = 0; i < out.size();) {
        char32_t cp = 0;
        std::size_t len = sentinel::decode_utf8(out, i, cp);
        FUZZ_CHECK(len > 0);
        FUZZ_CHECK(visible(cp));
        i += len;
    }
    std::string without_backslashes;
    for (char c : raw)
        if (c != '\\') without_backslashes += c;
    if (sentinel::sanitize(without_backslashes) != without_backslashes)
        FUZZ_CHECK(sentinel::is_suspicious_name(raw));
    for (std::size_t width : {0, 1, 2, 7, 40}) {
        std::string e = sentinel::elide_middle(out, width);
        FUZZ_CHECK(sentinel::display_width(e) <= width);
        FUZZ_CHECK(sentinel::display_width(e) == std::min(width, sentinel::display_width(out)));
        FUZZ_CHECK(sentinel::sanitize(e) == e || e.find('\\') != std::string::npos);
    }
    return 0;
}
