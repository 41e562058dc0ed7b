#pragma once
// The prompt segment a shell receives, escaped for that shell, and the
// STATE frame that carries it (core/agent/protocol.hpp). Pure.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/agent/protocol.hpp"
#include "sentinel/core/agent/session.hpp"

namespace sentinel {

/// Makes sanitized text holding sentinel's own SGR sequences (ESC [ ... m)
/// safe and width-correct in a prompt:
/// - bash: each SGR sequence is wrapped in \001 … \002 (readline's
///   invisible-text markers). Nothing else needs escaping because the
///   segment reaches PS1 as `${SENTINEL_SEGMENT}`, and bash does not expand
///   the value of a parameter again (promptvars expands PS1 once).
/// - zsh: every `%` becomes `%%` and each SGR sequence is wrapped in
///   `%{ … %}`. zsh runs prompt-escape processing on the result of
///   `${SENTINEL_SEGMENT}` under PROMPT_SUBST, but never a second
///   parameter or command substitution.
/// - other: SGR sequences are removed.
/// Any ESC not starting an SGR sequence is dropped (sanitized input has
/// none).
std::string escape_for_prompt(std::string_view text, Shell shell);

/// The segment for `session`: its coloured view and, when marked, " (changed
/// from X)", escaped for its shell. "" when the view has no text.
std::string prompt_segment(const Session& session);

/// What a STATE field is drawn from.
struct StateSource {
    const Session& session;
    std::string_view token;                 ///< gen_token()
    const std::vector<std::string>& names;  ///< the variables to report (reported_names)
};

/// One field of a full STATE frame, after `STATE <seq>`: what it carries
/// and the shell variable the integration sets from it.
struct StateField {
    std::string_view name;      ///< for documentation and tests
    std::string_view variable;  ///< the shell variable (bash, zsh and fish alike)
    std::string (*value)(const StateSource&);
};

/// The fields of a full STATE frame, in order; the one definition of their
/// order. The relay forwards them to the shell in the same order (io/agent_relay.hpp),
/// and each shell file lists the variables on one line, checked against
/// this table by a unit test (tests/cmd/shell_files_test.cpp):
///   bash, zsh:  _sentinel_fields=(_sentinel_gen SENTINEL_TIER ...)
///   fish:       set -g _sentinel_fields _sentinel_gen SENTINEL_TIER ...
/// Changing the table changes the STATE frame of the agent protocol and the
/// replies of the shell protocol: raise kProtocolVersion and
/// kShellProtocolVersion (core/agent/protocol.hpp) with it, so that a shell
/// or relay of the old layout is refused instead of misreading it.
std::span<const StateField> state_fields();

/// The reply to `PROMPT <seq> <known>`: `STATE <seq> <token>` when `known`
/// equals the session's token, else the full frame `STATE <seq>` followed
/// by state_fields(): token, tier, label, segment, changed-from,
/// kube-context, kube-namespace, pg, env and names (the space-separated
/// list of variables to report, reported_names).
Frame state_frame(std::string_view seq, std::string_view known, std::string_view instance, const Session& session,
                  const std::vector<std::string>& names);

/// The mark a shell shows instead of a target when it runs an older shell
/// integration than the relay it started (a binary upgraded under a running
/// shell): "[sentinel: restart your shell]" in reverse magenta, escaped for
/// `shell` as escape_for_prompt does.
std::string restart_mark(Shell shell);

/// The fields of a full STATE (state_fields(), after its seq) that the relay
/// sends its shell when it could not read the agent's answer (a frame cut
/// to fit kMaxFrame): an empty token (the next PROMPT asks for everything
/// again), tier unknown with the built-in unknown tier's label and colour
/// (the relay reads no config), the segment "UNKNOWN (`why`)" escaped for
/// `shell`, no names, and `names` (the space-separated variables to report)
/// kept as the shell had them.
std::vector<std::string> unknown_state(Shell shell, std::string_view why, const std::string& names);

/// A SESSION frame describing `session` for subscribers (core/agent/protocol.hpp):
/// after changed-from, the display's colour (Color::text), "1" when it is
/// production-ranked, and its targets as one field of lines
/// "<kind> TAB <chain_text>", so that `sentinel bar` draws the same line.
Frame session_frame(std::string_view instance, const Session& session);

}  // namespace sentinel
