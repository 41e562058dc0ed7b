#pragma once
// `.env` files as python-dotenv (0.21) reads them: its grammar, escapes and
// `${VAR}` expansion, nothing more. No command substitution, ever: `$(...)`
// and backquotes are text.
//
// What parse_dotenv() returns holds every value of the file, secrets
// included: only core/dotenv/resolve.cpp and tests call it, and what leaves
// that unit is the configured variables, passwords removed.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/vars.hpp"

namespace sentinel {

/// One `KEY=value` statement of a dotenv file.
struct DotenvBinding {
    std::string key;
    std::optional<std::string> value;  ///< nullopt for a bare `KEY` (no '='): python-dotenv sets nothing
    int line = 0;                      ///< 1-based line of the key
};

/// A parsed dotenv file.
struct DotenvFile {
    std::vector<DotenvBinding> bindings;  ///< in file order, repeated keys included
    std::vector<int> error_lines;         ///< statements python-dotenv "could not parse" (skipped to their line's end)
};

/// Parses `text` (UTF-8) with python-dotenv's grammar (dotenv/parser.py):
/// - blank lines and whitespace between statements are skipped; `#` starts
///   a comment line; an optional `export ` prefix;
/// - the key: `'quoted'` or a run of characters other than '=', '#' and
///   whitespace;
/// - `=` then the value: `'single quoted'` (only \\\\ and \\' are escapes),
///   `"double quoted"` (\\\\ \\' \\" \\a \\b \\f \\n \\r \\t \\v are
///   escapes; both quoted forms may span lines), or unquoted to the end of
///   the line, cut at the first whitespace followed by '#', right-stripped;
/// - after the value only spaces and a `# comment` may follow on the line;
///   anything else makes the statement an error, skipped to the end of the
///   line (its key is not set).
DotenvFile parse_dotenv(std::string_view text);

/// The value of each binding after python-dotenv's interpolation as
/// `load_dotenv()` does it (interpolate=True, override=False): in each
/// value, `${NAME}` and `${NAME:-default}` become the variable from `env`
/// (the shell's environment wins), else from an earlier binding of the file
/// (a bare `KEY` counts as set and empty), else the default, else "". Other
/// `$` forms (`$NAME`, `$(cmd)`) stay as they are. A repeated key: the
/// last binding wins. Returns (key, value, line) for every key with a
/// value, in order of first appearance.
std::vector<DotenvBinding> dotenv_values(const DotenvFile& file, const Vars& env);

/// The variable names that `${...}` references in the values of `file`, in
/// order, without repeats (so that a shell can report them).
std::vector<std::string> dotenv_references(const DotenvFile& file);

}  // namespace sentinel
