#pragma once
// A config file's text is screened before toml++ reads it. toml++ 3.3.0
// asserts in parse_key on `[\0` and `[[[1]]]` (undefined behaviour when
// assertions are compiled out) and reaches TOML_UNREACHABLE when it asks
// whether some non-ASCII characters (a bare `ö`) are whitespace. What the
// screen refuses is not valid TOML 1.0 either, so no valid file is lost.
// Pure.

#include <optional>
#include <string>
#include <string_view>

#include "sentinel/core/result.hpp"

namespace sentinel {

/// Largest config file, bytes: a file this large is a mistake, and toml++
/// spends about 6 KB of memory per rule (100,000 rules: 580 MB, 3.9 s).
inline constexpr std::size_t kMaxConfigBytes = 256u << 10;

/// The first problem of `text` (read from `path`) that toml++ must not see,
/// as `path:line:col: message` (never quoting the text), or nullopt:
/// - more than kMaxConfigBytes;
/// - bytes that are not UTF-8, NUL and other control characters but TAB,
///   LF and CR before LF (TOML forbids them everywhere);
/// - a non-ASCII character outside strings and comments (TOML 1.0 bare
///   keys and whitespace are ASCII);
/// - in a multi-line basic string (`"""`), a non-ASCII character right
///   after a backslash or where a line-ending backslash trims whitespace;
/// - a table header (`[` or `[[` at the start of a line, outside any value)
///   whose key does not start with a bare-key character or a quote.
/// Columns count characters from 1, as toml++ does.
std::optional<Error> screen_toml(std::string_view text, const std::string& path);

}  // namespace sentinel
