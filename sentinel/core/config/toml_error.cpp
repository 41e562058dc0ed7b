#include "sentinel/core/config/toml_error.hpp"

namespace sentinel {
namespace {

bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

// Line `line` (1-based) of `text`, without its end.
std::string_view line_of(std::string_view text, int line) {
    std::size_t start = 0;
    for (int i = 1; i < line && start != std::string_view::npos; ++i) {
        start = text.find('\n', start);
        if (start != std::string_view::npos) ++start;
    }
    if (start == std::string_view::npos || start > text.size()) return {};
    std::size_t end = text.find('\n', start);
    return text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

// The column (1-based) of the quote that opens the string still open before
// `column` on `line`; `column` when none is found.
int opening_quote(std::string_view line, int column) {
    char open = 0;
    int at = column;
    std::size_t limit = std::min<std::size_t>(line.size(), static_cast<std::size_t>(column > 0 ? column - 1 : 0));
    for (std::size_t i = 0; i < limit; ++i) {
        char c = line[i];
        if (open == '"' && c == '\\') {
            ++i;  // an escaped character inside a basic string
        } else if (open && c == open) {
            open = 0;
        } else if (!open && (c == '"' || c == '\'')) {
            open = c;
            at = static_cast<int>(i) + 1;
        } else if (!open && c == '#') {
            break;
        }
    }
    return open ? at : column;
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

}  // namespace

TomlError reword_toml_error(std::string_view text, int line, int column, std::string_view description) {
    TomlError e{line, column, {}};
    bool in_string = contains(description, "parsing string");
    if (in_string && (contains(description, "control characters") || contains(description, "end-of-file"))) {
        e.column = opening_quote(line_of(text, line), column);
        e.message = "unterminated string: the closing quote is missing";
    } else if (contains(description, "end-of-file") && contains(description, "parsing array")) {
        e.message = "unterminated array: the closing ] is missing";
    } else if (contains(description, "end-of-file") && contains(description, "inline table")) {
        e.message = "unterminated inline table: the closing } is missing";
    } else if (contains(description, "table header")) {
        e.message = "unterminated table header: the closing ] is missing";
    } else if (contains(description, "expected value")) {
        e.message = "a value is missing after =";
    } else if (contains(description, "unknown escape sequence")) {
        e.message = "unknown escape sequence in a string (write \\\\ for a backslash, or use a 'literal string')";
    } else {
        std::string words(description);
        if (words.rfind("Error while parsing ", 0) == 0) words.erase(0, 20);
        words = replace_all(words, "saw '\\n'", "found the end of the line");
        e.message = words;
    }
    return e;
}

}  // namespace sentinel
