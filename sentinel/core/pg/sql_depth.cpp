#include "sentinel/core/pg/sql_depth.hpp"

#include <algorithm>
#include <vector>

namespace sentinel {
namespace {

bool is_word(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// End of the literal or comment starting at `i`, or `i` when none starts there.
std::size_t skip_quoted(std::string_view s, std::size_t i) {
    std::size_t n = s.size();
    if (s.compare(i, 2, "--") == 0) {
        std::size_t nl = s.find('\n', i);
        return nl == std::string_view::npos ? n : nl;
    }
    if (s.compare(i, 2, "/*") == 0) {  // PostgreSQL's block comments nest
        int depth = 0;
        for (std::size_t k = i; k + 1 < n; ++k) {
            if (s[k] == '/' && s[k + 1] == '*') ++depth, ++k;
            else if (s[k] == '*' && s[k + 1] == '/' && --depth == 0) return k + 2;
            else if (s[k] == '*' && s[k + 1] == '/') ++k;
        }
        return n;
    }
    char q = s[i];
    if (q == '\'' || q == '"') {
        // E'...' takes backslash escapes: the E must be a token of its own.
        bool backslash = q == '\'' && i > 0 && (s[i - 1] == 'e' || s[i - 1] == 'E') && (i < 2 || !is_word(s[i - 2]));
        for (std::size_t k = i + 1; k < n; ++k) {
            if (backslash && s[k] == '\\') ++k;
            else if (s[k] == q && k + 1 < n && s[k + 1] == q) ++k;  // '' or ""
            else if (s[k] == q) return k + 1;
        }
        return n;
    }
    if (q == '$') {  // $tag$ ... $tag$, the tag an identifier or empty
        std::size_t k = i + 1;
        while (k < n && is_word(s[k]) && s[k] != '$') ++k;
        if (k >= n || s[k] != '$' || (k > i + 1 && s[i + 1] >= '0' && s[i + 1] <= '9')) return i;
        std::string_view tag = s.substr(i, k - i + 1);
        std::size_t end = s.find(tag, k + 1);
        return end == std::string_view::npos ? n : end + tag.size();
    }
    return i;
}

bool is_set_operation(std::string_view word) {
    auto same = [&](std::string_view k) {
        if (word.size() != k.size()) return false;
        for (std::size_t i = 0; i < k.size(); ++i)
            if ((word[i] | 0x20) != k[i]) return false;
        return true;
    };
    return same("union") || same("intersect") || same("except");
}

// One open parenthesis level (or a statement at the top).
struct Level {
    std::size_t set_operations = 0;  // UNION, INTERSECT, EXCEPT: each nests the statement before it
    std::size_t item = 0;            // tokens of the current comma-separated item
    std::size_t widest_item = 0;
    std::size_t inner = 0;           // the deepest level closed inside this one

    std::size_t depth() const { return set_operations + std::max(item, widest_item) + inner + 1; }
};

}  // namespace

std::size_t sql_nesting_bound(std::string_view s) {
    std::vector<Level> open(1);
    std::size_t best = 0;
    auto close = [&] {
        std::size_t depth = open.back().depth();
        open.pop_back();
        if (open.empty()) best = std::max(best, depth);
        else open.back().inner = std::max(open.back().inner, depth);
    };
    std::size_t i = 0, n = s.size();
    while (i < n) {
        char c = s[i];
        Level& level = open.back();
        if (is_space(c)) {
            ++i;
        } else if (c == ',') {
            level.widest_item = std::max(level.widest_item, level.item);
            level.item = 0;
            ++i;
        } else if (c == '(' || c == '[') {
            open.emplace_back();
            ++i;
        } else if (c == ')' || c == ']') {
            if (open.size() > 1) close();
            ++i;
        } else if (c == ';' && open.size() == 1) {
            if (level.item || level.widest_item || level.set_operations || level.inner) close();
            if (open.empty()) open.emplace_back();
            ++i;
        } else if (s.compare(i, 2, "--") == 0 || s.compare(i, 2, "/*") == 0) {
            i = skip_quoted(s, i);  // a comment is no token
        } else if (std::size_t end = skip_quoted(s, i); end != i) {
            ++level.item;
            i = end;
        } else if (is_word(c)) {
            std::size_t start = i;
            while (i < n && is_word(s[i])) ++i;
            if (is_set_operation(s.substr(start, i - start))) {
                // The statements a set operation joins are items of their own.
                ++level.set_operations;
                level.widest_item = std::max(level.widest_item, level.item);
                level.item = 0;
            } else {
                ++level.item;
            }
        } else {
            ++level.item;  // one operator character: `::` counts twice, which errs high
            ++i;
        }
    }
    while (open.size() > 1) close();  // unclosed parentheses
    const Level& top = open.back();
    if (top.item || top.widest_item || top.set_operations || top.inner) best = std::max(best, top.depth());
    return best;
}

}  // namespace sentinel
