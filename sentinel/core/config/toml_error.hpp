#pragma once
// toml++'s parse errors in words a person editing a config file knows, at
// the place to look. Pure.

#include <string>
#include <string_view>

namespace sentinel {

/// Where a TOML parse error is and what it says.
struct TomlError {
    int line = 0;         ///< 1-based
    int column = 0;       ///< 1-based
    std::string message;  ///< never quotes the line (a secret may be on it)
};

/// Rewords toml++'s error `description` at `line`:`column` of `text`:
/// - a string that runs to the end of its line ("unescaped control
///   characters ..." at a line end, or the end of input inside a string):
///   `unterminated string: the closing " is missing`, at its opening quote;
/// - the end of the file inside an array, an inline table or a table
///   header: `unterminated array: the closing ] is missing` (or }, ]);
/// - "expected value": `a value is missing after =`;
/// - "unknown escape sequence": `unknown escape sequence in a string (write
///   \\ for a backslash, or use a 'literal string')`;
/// - anything else: toml++'s words without "Error while parsing ", `saw
///   '\n'` said as "found the end of the line".
TomlError reword_toml_error(std::string_view text, int line, int column, std::string_view description);

}  // namespace sentinel
