#pragma once
// The prompt segment a shell receives, escaped for that shell, and the
// STATE frame that carries it (core/agent/protocol.hpp). Pure.

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

/// The reply to `PROMPT <seq> <known>`: `STATE <seq> <token>` when `known`
/// equals the session's token, else the full frame
/// `STATE seq token tier label segment changed-from kube-context
/// kube-namespace pg env names` where `names` is the space-separated list
/// of variables to report (reported_names).
Frame state_frame(std::string_view seq, std::string_view known, std::string_view instance, const Session& session,
                  const std::vector<std::string>& names);

/// A SESSION frame describing `session` for subscribers (core/agent/protocol.hpp):
/// after changed-from, the display's colour (Color::text), "1" when it is
/// production-ranked, and its targets as one field of lines
/// "<kind> TAB <chain_text>", so that `sentinel bar` draws the same line.
Frame session_frame(std::string_view instance, const Session& session);

}  // namespace sentinel
