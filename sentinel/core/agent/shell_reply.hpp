#pragma once
// The relay's replies to its shell (io/agent_relay.hpp describes the
// shell<->relay protocol), as text: shared by the relay of every shell and by
// fish's per-prompt asker (io/fish_relay.hpp), which prints the same lines.

#include <string>
#include <vector>

namespace sentinel {

/// The field separator of the shell<->relay protocol (ASCII unit separator).
inline constexpr char kShellSep = '\x1f';

/// `s` with every control byte other than ESC, 0x01 and 0x02 (kept for the
/// prompt segment's escapes) and DEL replaced by '?': a field can neither end
/// a line nor split into two fields.
std::string clean_field(const std::string& s);

/// Largest reply body, bytes: a whole reply stays under PIPE_BUF (4,096),
/// written at once.
inline constexpr std::size_t kMaxShellReplyBody = 3000;

/// One reply to the shell (without the line's LF for zsh and fish):
/// `status` is "same", "new", "stale", "down", "run" or "ask"; `fields`
/// follow the status (new: gen, tier, ...; down: reason), each passed
/// through clean_field() and shortened in its middle (fit_frame) until the
/// body takes at most kMaxShellReplyBody bytes, so that no field is lost. For bash, a 16-byte
/// header `<status char><seq, 7 digits><body length, 8 digits>` and the
/// body; otherwise `<seq><SEP><status><SEP field>...`.
std::string shell_reply(bool bash, const std::string& seq, const std::string& status,
                        const std::vector<std::string>& fields);

}  // namespace sentinel
