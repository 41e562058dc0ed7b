#pragma once
// The prompt segment a shell receives, escaped for that shell, and the
// STATE frame that carries it (core/agent/protocol.hpp). Pure.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
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
/// - fish: SGR sequences are kept as they are. fish prints what fish_prompt
///   writes without expanding it, and counts the width of a prompt without
///   its SGR sequences.
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

/// The fields a shell also receives with every full state (shell protocol
/// version 3, io/agent_relay.hpp), after state_fields(): what its prompt
/// shows when the next answer is stale or missing (View::stale_*):
/// stale-tier, stale-label, stale-segment (escaped for the shell, the
/// target names included) and stale-label-segment (the label alone, for a
/// change of the shell's own variables). The agent sends them in AHEAD
/// frames, not in STATE: the agent protocol's STATE frame is unchanged.
/// Each shell file lists their variables after those of state_fields() on
/// its `_sentinel_fields` line.
std::span<const StateField> stale_fields();

/// What the agent pushes ahead of a shell's prompts to a relay that said
/// it can use it (capability "ahead" in HELLO, core/agent/protocol.hpp):
/// the state the next prompt shows if nothing changes, so that the relay
/// answers that prompt alone, without a round trip through the agent.
struct Ahead {
    std::string token;          ///< gen_token() of that state
    bool once = false;          ///< holds a "changed from" mark: answer one prompt with it, then ask
    bool ask = false;           ///< never answer from it: ask the agent (an evaluation is under way,
                                ///< or the state depends on more than files)
    /// How many REPORT frames of the session the agent had applied: a relay
    /// that has sent more waits for a newer AHEAD (the shell's own change
    /// must be answered for the prompt it made it at).
    std::uint64_t reports = 0;
    int rows = 0, cols = 0;     ///< the terminal size `bytes` were made for (0 x 0: no terminal)
    std::string bytes;          ///< what to write to the terminal before that prompt (status line, tint)
    /// Every file the state depends on, with identity_text() of the version
    /// it was read from ("-" for a file that did not exist): a relay that
    /// finds another identity asks the agent.
    std::vector<std::pair<std::string, std::string>> files;
    std::vector<std::string> fields;  ///< state_fields() then stale_fields() values

    bool operator==(const Ahead&) const = default;
};

/// `AHEAD <token> <flags> <reports> <rows> <cols> <bytes> <file-count>
/// (<path> <identity>)... <field>...`; flags: "o" once, "a" ask, "-" neither.
Frame encode_ahead(const Ahead& ahead);

/// The Ahead of an AHEAD frame. Errors: too few fields, a bad number, a
/// file count beyond the frame, another number of fields than
/// state_fields() and stale_fields() together.
Result<Ahead> decode_ahead(const Frame& frame);

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
