#pragma once
// `sentinel status` and `sentinel explain` as text: the snapshot's fields
// and where they came from, drawn with the display model's labels, colours
// and names (core/display/model.hpp). Every name passes through sanitize();
// nothing raw from a file or variable reaches the output.

#include <string>

#include "sentinel/core/display/model.hpp"
#include "sentinel/core/snapshot.hpp"

namespace sentinel {

/// The snapshot as one line of JSON (the public `sentinel status --json`
/// interface), ASCII-only (`\uXXXX` escapes), names sanitized:
/// {"version":1,"tier","label","targets":[{"kind", <fields>, "files",
/// "sources", "tier", "rule", "problems"}...],"warnings":[...]}.
/// `display` is make_display(snapshot).
std::string format_json(const Snapshot& snapshot, const Display& display);

/// Human-readable lines: the overall tier, then one line per target with
/// its fields, tier and rule (then its chain and extra lines, when it has
/// them), then warnings other than config errors (the command prints those
/// once, on stderr). With `color`, ANSI SGR colours from the tier's colour.
/// `display` is make_display(snapshot).
std::string format_plain(const Snapshot& snapshot, const Display& display, bool color);

/// A one-line prompt segment: the tier label and each target's name with
/// its chain, each once ("PROD prod-eu/payments orders@db1"), elided to
/// `width` columns (0: no limit). Without targets, an empty string (unless
/// the tier is unknown: a broken configuration shows).
std::string format_prompt(const Display& display, bool color, std::size_t width = 0);

/// The tier label of format_prompt() alone, in its colour with `color`.
std::string format_label(const Display& display, bool color);

/// `sentinel explain`: for each target, every field with the file, line,
/// variable or flag it came from, the files and variables that took part,
/// and the rule that decided its tier (its text as written: a regex's
/// backslashes single, other control bytes escaped); then config files and
/// warnings. `display` is make_display(snapshot). `command`: the snapshot
/// is a command's (`explain -- CMD`), and the first line speaks of the
/// command's target, not of the terminal.
std::string format_explain(const Snapshot& snapshot, const Display& display, bool color, bool command = false);

}  // namespace sentinel
