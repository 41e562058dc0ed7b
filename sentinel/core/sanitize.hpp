#pragma once
// Names come from files and variables other people control. Every sink
// (terminal, prompt, tmux, JSON, logs) prints them only through here.

#include <cstddef>
#include <string>
#include <string_view>

namespace sentinel {

/// Decodes the UTF-8 sequence at `s[i]` (i < s.size()) into `cp`. Returns its
/// length in bytes, or 0 when the bytes there are not well-formed UTF-8
/// (truncated, overlong, a surrogate, past U+10FFFF).
std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp);

/// Returns `raw` made safe to print anywhere: valid UTF-8 with no C0 or C1
/// control character and no invisible character: no format character
/// (General_Category Cf: bidi controls, zero-width characters, tags...), no
/// Default_Ignorable_Code_Point (variation selectors, Hangul fillers,
/// U+180B-180F, U+17B4-17B5...) of Unicode 15.0, no line or paragraph
/// separator. Each such byte or character becomes a visible escape: `\e`,
/// `\a`, `\b`, `\t`, `\n`, `\r`, `\xNN` for other C0 bytes, DEL and bytes
/// that are not UTF-8, `\u{NNNN}` for the characters.
/// A backslash becomes `\\` so that an escape cannot be forged.
std::string sanitize(std::string_view raw);

/// sanitize() with backslashes kept single, for a rule's text (from the
/// config files): a regex reads as the file wrote it (`k8s\.eu\.`), while
/// control, bidi and invisible characters are still escaped.
std::string sanitize_rule(std::string_view rule);

/// True when `raw` holds a control, bidi or invisible character or bytes
/// that are not UTF-8 (everything sanitize() escapes except the backslash),
/// or a word mixing ASCII letters with letters of a script that imitates
/// them (Cyrillic "о" in "prоd"; Greek, Armenian, Cherokee, IPA, fullwidth,
/// mathematical letters, the dotless i; not "café"). Words are split at
/// ASCII punctuation, digits and spaces. Source: Unicode TR39 confusables. Such names are treated as production (BAD_INPUTS.md rows 3-4).
bool is_suspicious_name(std::string_view raw);

/// Number of terminal columns `text` takes, counting one per code point
/// (input must be sanitized UTF-8; East Asian wide characters count as one).
std::size_t display_width(std::string_view text);

/// Shortens sanitized `text` to at most `width` columns by replacing its
/// middle with "…" (U+2026), keeping the start and the end, which carry the
/// most meaning in names like "gke_project_region_prod-cluster". Returns
/// `text` unchanged when it fits; an empty string for width 0.
std::string elide_middle(std::string_view text, std::size_t width);

}  // namespace sentinel
