#include "sentinel/core/config/screen.hpp"

#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

bool is_bare_key_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

class Screen {
public:
    Screen(std::string_view text, const std::string& path) : s_(text), path_(path) {}

    std::optional<Error> run() {
        if (s_.size() > kMaxConfigBytes)
            return Error{path_, 0, 0, "larger than " + std::to_string(kMaxConfigBytes >> 10) + " KiB"};
        if (auto e = characters()) return e;
        return structure();
    }

private:
    Error at(std::size_t i, std::string message) const {
        int line = 1, col = 1;
        for (std::size_t k = 0; k < i && k < s_.size(); ++k) {
            if (s_[k] == '\n') ++line, col = 1;
            else if ((static_cast<unsigned char>(s_[k]) & 0xC0) != 0x80) ++col;
        }
        return Error{path_, line, col, std::move(message)};
    }

    // Encoding and control characters, wherever they stand.
    std::optional<Error> characters() const {
        for (std::size_t i = 0; i < s_.size();) {
            unsigned char c = static_cast<unsigned char>(s_[i]);
            char32_t cp = 0;
            std::size_t len = decode_utf8(s_, i, cp);
            if (len == 0) return at(i, "not UTF-8 text");
            if (c == 0) return at(i, "NUL byte: not a text file");
            bool crlf = c == '\r' && i + 1 < s_.size() && s_[i + 1] == '\n';
            if ((c < 0x20 && c != '\t' && c != '\n' && !crlf) || c == 0x7F)
                return at(i, "control character (TOML allows only tab and line breaks)");
            i += len;
        }
        return std::nullopt;
    }

    bool starts(std::size_t i, std::string_view what) const { return s_.compare(i, what.size(), what) == 0; }

    // Skips a string starting at `i` (its opening quote); sets `i` past it.
    std::optional<Error> string(std::size_t& i) {
        char q = s_[i];
        bool multi = starts(i, q == '"' ? "\"\"\"" : "'''");
        i += multi ? 3 : 1;
        bool trimming = false;  // after a line-ending backslash in """
        while (i < s_.size()) {
            char c = s_[i];
            auto u = static_cast<unsigned char>(c);
            if (!multi && c == '\n') return std::nullopt;  // toml++ reports the unterminated string
            if (multi && starts(i, q == '"' ? "\"\"\"" : "'''")) {
                i += 3;
                while (i < s_.size() && s_[i] == q) ++i;  // up to two more quotes belong to the string
                return std::nullopt;
            }
            if (!multi && c == q) {
                ++i;
                return std::nullopt;
            }
            if (trimming && u >= 0x80) return at(i, "non-ASCII character after a line-ending backslash");
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') trimming = false;
            if (q == '"' && c == '\\') {
                if (i + 1 < s_.size() && static_cast<unsigned char>(s_[i + 1]) >= 0x80)
                    return at(i + 1, "non-ASCII character after a backslash");
                if (multi) {
                    std::size_t k = i + 1;
                    while (k < s_.size() && (s_[k] == ' ' || s_[k] == '\t')) ++k;
                    if (k < s_.size() && (s_[k] == '\n' || s_[k] == '\r')) trimming = true;
                }
                i += 2;
                continue;
            }
            ++i;
        }
        return std::nullopt;
    }

    // Strings, comments, values and table headers.
    std::optional<Error> structure() {
        int depth = 0;           // [ and { open inside a value
        bool line_start = true;  // only whitespace so far on this line
        for (std::size_t i = 0; i < s_.size();) {
            char c = s_[i];
            if (c == '\n') {
                line_start = true;
                ++i;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                ++i;
                continue;
            }
            bool header = line_start && depth == 0 && c == '[';
            line_start = false;
            if (c == '#') {
                while (i < s_.size() && s_[i] != '\n') ++i;
            } else if (c == '"' || c == '\'') {
                if (auto e = string(i)) return e;
            } else if (header) {
                std::size_t k = i + 1;
                while (k < s_.size() && (s_[k] == ' ' || s_[k] == '\t')) ++k;
                if (k < s_.size() && s_[k] == '[' && k == i + 1) {
                    ++k;
                    while (k < s_.size() && (s_[k] == ' ' || s_[k] == '\t')) ++k;
                }
                if (k >= s_.size() || !(is_bare_key_char(s_[k]) || s_[k] == '"' || s_[k] == '\''))
                    return at(k, "a table header must start with a key");
                i = k;
            } else if (static_cast<unsigned char>(c) >= 0x80) {
                return at(i, "non-ASCII character outside a string or comment");
            } else {
                if (c == '[' || c == '{') ++depth;
                if ((c == ']' || c == '}') && depth > 0) --depth;
                ++i;
            }
        }
        return std::nullopt;
    }

    std::string_view s_;
    const std::string& path_;
};

}  // namespace

std::optional<Error> screen_toml(std::string_view text, const std::string& path) {
    return Screen(text, path).run();
}

}  // namespace sentinel
