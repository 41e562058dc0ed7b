#include "sentinel/core/dotenv/parse.hpp"

#include <algorithm>
#include <map>

namespace sentinel {
namespace {

// Byte length of the whitespace character at `pos` as Python's `\s`
// (Unicode) sees it, 0 when there is none. `line_ends` says whether '\r'
// and '\n' count (python-dotenv's `[^\S\r\n]` excludes them).
std::size_t space_at(std::string_view s, std::size_t pos, bool line_ends) {
    if (pos >= s.size()) return 0;
    unsigned char c = static_cast<unsigned char>(s[pos]);
    if (c == '\r' || c == '\n') return line_ends ? 1 : 0;
    if (c == ' ' || c == '\t' || c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1f)) return 1;
    auto at = [&](std::size_t k) { return pos + k < s.size() ? static_cast<unsigned char>(s[pos + k]) : 0; };
    if (c == 0xC2 && (at(1) == 0x85 || at(1) == 0xA0)) return 2;                    // U+0085, U+00A0
    if (c == 0xE1 && at(1) == 0x9A && at(2) == 0x80) return 3;                       // U+1680
    if (c == 0xE2 && at(1) == 0x80 && (at(2) <= 0x8A || at(2) == 0xA8 || at(2) == 0xA9 || at(2) == 0xAF))
        return at(2) >= 0x80 ? 3 : 0;                                                // U+2000-200A, 2028, 2029, 202F
    if (c == 0xE2 && at(1) == 0x81 && at(2) == 0x9F) return 3;                       // U+205F
    if (c == 0xE3 && at(1) == 0x80 && at(2) == 0x80) return 3;                       // U+3000
    return 0;
}

class Reader {
public:
    explicit Reader(std::string_view text) : s_(text) {}

    bool has_next() const { return pos_ < s_.size(); }
    char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
    std::size_t pos() const { return pos_; }
    int line() const { return line_; }

    void skip_spaces(bool line_ends) {
        while (std::size_t n = space_at(s_, pos_, line_ends)) advance(n);
    }
    void advance(std::size_t n) {
        for (std::size_t i = pos_; i < pos_ + n && i < s_.size(); ++i) {
            // "\r\n" counts once, as python-dotenv's _newline does.
            if (s_[i] == '\n' && !(i > 0 && s_[i - 1] == '\r')) ++line_;
            else if (s_[i] == '\r') ++line_;
        }
        pos_ = std::min(pos_ + n, s_.size());
    }
    // The text up to the next line end (not included).
    std::string_view rest_of_line() const {
        std::size_t end = s_.find_first_of("\r\n", pos_);
        return s_.substr(pos_, end == std::string_view::npos ? std::string_view::npos : end - pos_);
    }
    // The closing quote of a quoted run opened at pos() as python-dotenv's
    // `q((?:\\q|[^q])*)q` finds it: the first quote not taken by a "\q"
    // pair, or, when there is none, the quote of the last "\q" pair (the
    // regex backtracks to it); npos when there is no quote at all.
    std::size_t closing_quote(char q) const {
        std::size_t last_pair = std::string_view::npos;
        for (std::size_t i = pos_ + 1; i < s_.size(); ++i) {
            if (s_[i] == '\\' && i + 1 < s_.size() && s_[i + 1] == q) {
                last_pair = ++i;
                continue;
            }
            if (s_[i] == q) return i;
        }
        return last_pair;
    }
    // The next `c` at or after `from`, npos if none.
    std::size_t find(char c, std::size_t from) const { return s_.find(c, from); }
    std::string_view slice(std::size_t from, std::size_t to) const { return s_.substr(from, to - from); }

private:
    std::string_view s_;
    std::size_t pos_ = 0;
    int line_ = 1;
};

// Escapes of python-dotenv's decode_escapes: `\\` + one of `allowed`.
std::string decode_escapes(std::string_view raw, std::string_view allowed) {
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 1 < raw.size() && allowed.find(raw[i + 1]) != std::string_view::npos) {
            char c = raw[++i];
            switch (c) {
                case 'a': out += '\a'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'v': out += '\v'; break;
                default: out += c;
            }
            continue;
        }
        out += raw[i];
    }
    return out;
}

// `[^\r\n]*` with everything from the first "\s+#" removed, right-stripped.
std::string unquoted_value(std::string_view part) {
    for (std::size_t i = 0; i < part.size();) {
        std::size_t n = space_at(part, i, true);
        if (!n) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (std::size_t m = space_at(part, j, true)) j += m;
        if (j < part.size() && part[j] == '#') {
            part = part.substr(0, i);
            break;
        }
        i = j;
    }
    std::size_t end = part.size();
    for (;;) {
        std::size_t k = end;
        // Step back over one whitespace character (1 to 3 bytes).
        bool found = false;
        for (std::size_t len = 1; len <= 3 && len <= k; ++len)
            if (space_at(part, k - len, true) == len) {
                end = k - len;
                found = true;
                break;
            }
        if (!found) break;
    }
    return std::string(part.substr(0, end));
}

// One statement from the reader; false when it was an error (the reader is
// then past the rest of the line).
bool parse_binding(Reader& r, DotenvFile& out) {
    r.skip_spaces(true);
    if (!r.has_next()) return true;
    if (r.rest_of_line().substr(0, 6) == "export" && space_at(r.rest_of_line(), 6, false)) {
        r.advance(6);
        r.skip_spaces(false);
    }
    DotenvBinding b;
    b.line = r.line();
    bool has_key = r.peek() != '#';
    if (has_key && r.peek() == '\'') {
        // `'([^']+)'`: no escapes, may span lines, not empty.
        std::size_t close = r.find('\'', r.pos() + 1);
        if (close == std::string_view::npos || close == r.pos() + 1) return false;
        b.key = std::string(r.slice(r.pos() + 1, close));
        r.advance(close + 1 - r.pos());
    } else if (has_key) {
        // `([^=\#\s]+)`
        std::string_view line = r.rest_of_line();
        std::size_t k = 0;
        while (k < line.size() && line[k] != '=' && line[k] != '#' && !space_at(line, k, true)) ++k;
        if (k == 0) return false;
        b.key = std::string(line.substr(0, k));
        r.advance(k);
    }
    r.skip_spaces(false);
    if (r.peek() == '=') {
        r.advance(1);
        r.skip_spaces(false);
        char c = r.peek();
        if (c == '\'' || c == '"') {
            std::size_t close = r.closing_quote(c);
            if (close == std::string_view::npos) return false;
            std::string_view raw = r.slice(r.pos() + 1, close);
            b.value = decode_escapes(raw, c == '\'' ? "\\'" : "\\'\"abfnrtv");
            r.advance(close + 1 - r.pos());
        } else if (c == '\0' || c == '\n' || c == '\r') {
            b.value = std::string();
        } else {
            std::string_view part = r.rest_of_line();
            b.value = unquoted_value(part);
            r.advance(part.size());
        }
    }
    // `[^\S\r\n]*#[^\r\n]*` then `[^\S\r\n]*(\r\n|\n|\r|$)`.
    r.skip_spaces(false);
    if (r.peek() == '#') r.advance(r.rest_of_line().size());
    r.skip_spaces(false);
    char end = r.peek();
    if (r.has_next() && end != '\n' && end != '\r') return false;
    if (end == '\r') r.advance(r.slice(r.pos(), r.pos() + 2) == "\r\n" ? 2 : 1);
    else if (end == '\n') r.advance(1);
    if (has_key) out.bindings.push_back(std::move(b));
    return true;
}

}  // namespace

DotenvFile parse_dotenv(std::string_view text) {
    DotenvFile out;
    Reader r(text);
    while (r.has_next()) {
        int line = r.line();
        if (!parse_binding(r, out)) {
            out.error_lines.push_back(line);
            std::string_view rest = r.rest_of_line();
            r.advance(rest.size());
            // `[^\r\n]*(?:\r|\n|\r\n)?`: a "\r\n" ends with the "\r" alone here.
            if (r.has_next()) r.advance(1);
        }
    }
    return out;
}

}  // namespace sentinel

namespace sentinel {
namespace {

// One `${NAME}` or `${NAME:-default}` found in a value.
struct Reference {
    std::size_t start = 0, end = 0;  // [start, end) in the value
    std::string name;
    std::optional<std::string> fallback;
};

// python-dotenv's _posix_variable, `\$\{([^}:]*)(?::-([^}]*))?\}`, applied
// with finditer: non-overlapping, left to right.
std::vector<Reference> references(std::string_view v) {
    std::vector<Reference> out;
    for (std::size_t i = 0; i + 1 < v.size();) {
        if (v[i] != '$' || v[i + 1] != '{') {
            ++i;
            continue;
        }
        std::size_t j = v.find_first_of("}:", i + 2);
        Reference ref;
        ref.start = i;
        if (j != std::string_view::npos && v[j] == '}') {
            ref.name = std::string(v.substr(i + 2, j - i - 2));
            ref.end = j + 1;
        } else if (j != std::string_view::npos && j + 1 < v.size() && v[j + 1] == '-') {
            std::size_t close = v.find('}', j + 2);
            if (close == std::string_view::npos) {
                ++i;
                continue;
            }
            ref.name = std::string(v.substr(i + 2, j - i - 2));
            ref.fallback = std::string(v.substr(j + 2, close - j - 2));
            ref.end = close + 1;
        } else {
            ++i;
            continue;
        }
        i = ref.end;
        out.push_back(std::move(ref));
    }
    return out;
}

}  // namespace

std::vector<DotenvBinding> dotenv_values(const DotenvFile& file, const Vars& env) {
    std::map<std::string, std::optional<std::string>> resolved;  // new_values
    std::vector<DotenvBinding> out;
    for (const DotenvBinding& b : file.bindings) {
        std::optional<std::string> result;
        if (b.value) {
            result = std::string();
            std::size_t at = 0;
            for (const Reference& ref : references(*b.value)) {
                *result += b.value->substr(at, ref.start - at);
                if (auto shell = get(env, ref.name)) *result += *shell;
                else if (auto it = resolved.find(ref.name); it != resolved.end()) *result += it->second.value_or("");
                else *result += ref.fallback.value_or("");
                at = ref.end;
            }
            *result += b.value->substr(at);
        }
        resolved[b.key] = result;
        auto it = std::find_if(out.begin(), out.end(), [&](const DotenvBinding& o) { return o.key == b.key; });
        if (it == out.end()) out.push_back({b.key, result, b.line});
        else *it = {b.key, result, b.line};
    }
    out.erase(std::remove_if(out.begin(), out.end(), [](const DotenvBinding& b) { return !b.value; }), out.end());
    return out;
}

std::vector<std::string> dotenv_references(const DotenvFile& file) {
    std::vector<std::string> out;
    for (const DotenvBinding& b : file.bindings) {
        if (!b.value) continue;
        for (const Reference& ref : references(*b.value))
            if (std::find(out.begin(), out.end(), ref.name) == out.end()) out.push_back(ref.name);
    }
    return out;
}

}  // namespace sentinel
