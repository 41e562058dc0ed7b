#pragma once
// What the guard shows a person: the question's banner and the refusal
// messages. Every name passes through sanitize().

#include <string>
#include <vector>

#include "sentinel/core/display/model.hpp"
#include "sentinel/core/guard/guard.hpp"

namespace sentinel {

/// A line the guard learnt before asking, shown under the action as
/// `  LABEL   text`: "preview" (what a statement will touch), "undo" (what
/// copy will be kept). Raw: the banner sanitizes and elides it.
struct QuestionNote {
    std::string label;
    std::string text;
};

/// The banner shown on the terminal before asking: the overall label in
/// its colour from `display` (make_display(snapshot); ANSI SGR when
/// `color`, "[LABEL]" otherwise), the target (kind and every non-empty
/// field: context, cluster, namespace, server, user; or service, host,
/// hostaddr, port, dbname, user), what it reaches when it has a chain
/// (chain_text) and its extra lines, why the tier applies (the rule, or
/// the problems that make the target unknown), config errors, then the
/// action (tool, verb, risk, and Action::detail when set, e.g. a
/// destructive statement, elided to 300 columns), then `notes` in order.
/// Lines end with "\n".
std::string format_question(const Snapshot& snapshot, const Display& display, const Decision& decision,
                            const Action& action, bool color, const std::vector<QuestionNote>& notes = {});

/// The line that asks for the answer, without a newline:
/// `Type the target name "prod" to go ahead: ` or `Type "yes" to go ahead: `.
std::string format_answer_prompt(const Decision& decision);

/// The one-line message printed to stderr for a refusal without a
/// question: `sentinel: refused: ...`. With no terminal it names the
/// override, e.g. `... run again with SENTINEL_CONFIRM='prod-eu' for this
/// one call`; the name is shell-quoted and sanitized.
std::string format_refusal(const Decision& decision, const Action& action);

/// `value` quoted for a POSIX shell in single quotes ('it'\''s').
std::string shell_quote(const std::string& value);

}  // namespace sentinel
