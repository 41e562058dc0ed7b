#pragma once
// Turning a snapshot into text. Every name passes through sanitize() here;
// nothing raw from a file or variable reaches the output.

#include <string>

#include "sentinel/core/snapshot.hpp"

namespace sentinel {

/// The snapshot as one line of JSON (the public `sentinel status --json`
/// interface), ASCII-only (`\uXXXX` escapes), names sanitized:
/// {"version":1,"tier","label","targets":[{"kind", <fields>, "files",
/// "sources", "tier", "rule", "problems"}...],"warnings":[...]}.
std::string format_json(const Snapshot& snapshot);

/// Human-readable lines: the overall tier, then one line per target with
/// its fields, tier and rule, then warnings. With `color`, ANSI SGR colours
/// from the tier's colour.
std::string format_plain(const Snapshot& snapshot, bool color);

/// A one-line prompt segment: the tier label and the short name of each
/// target ("PROD prod-eu/payments orders@db1"), elided to `width` columns
/// (0: no limit). Without targets, an empty string.
std::string format_prompt(const Snapshot& snapshot, bool color, std::size_t width = 0);

/// `sentinel explain`: for each target, every field with the file, line,
/// variable or flag it came from, the files and variables that took part,
/// and the rule that decided its tier; then config files and warnings.
std::string format_explain(const Snapshot& snapshot, bool color);

}  // namespace sentinel
