#pragma once
// Pattern matching for rules: shell globs and POSIX extended regular
// expressions, both case-insensitive.

#include <memory>
#include <string>
#include <string_view>

#include "sentinel/core/result.hpp"

namespace sentinel {

/// A compiled pattern. Matching is on the raw bytes of the value, never on
/// its sanitized display form, and is case-insensitive (a rule written for
/// "prod" also catches "PROD").
class Pattern {
public:
    enum class Type { glob, regex };

    /// Compiles `text`. Globs follow fnmatch(3) (`*`, `?`, `[...]`; `*`
    /// also matches `/`) and must match the whole value; regexes are POSIX
    /// extended (regcomp(3), REG_EXTENDED) and match anywhere unless
    /// anchored. Errors: an invalid regex, with regerror's text.
    static Result<Pattern> compile(Type type, std::string text);

    /// True when `value` matches.
    bool matches(std::string_view value) const;

    Type type() const { return type_; }
    const std::string& text() const { return text_; }

private:
    struct Regex;
    Type type_ = Type::glob;
    std::string text_;
    std::shared_ptr<Regex> regex_;
};

}  // namespace sentinel
