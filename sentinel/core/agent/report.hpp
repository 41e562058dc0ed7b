#pragma once
// The REPORT frame a shell sends (core/agent/protocol.hpp), built in C++ for
// shells that cannot build it themselves without a process (fish: the
// per-prompt `sentinel relay --prompt` reads the shell's exported
// environment). The same redaction as shell/sentinel.bash's _sentinel_redact.

#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/agent/protocol.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// `value` with the password of a URL's userinfo (`scheme://user:secret@host`
/// becomes `scheme://user:***@host`, the last `@` ending the userinfo) and
/// the value of every `password=` word (up to a space, `&` or `;`, or a
/// single-quoted value with its quotes) replaced by `***`. Byte for byte
/// what the bash and zsh integrations send.
std::string redact_report_value(std::string_view value);

/// `REPORT <cwd> <NAME=VALUE>...` for every name of `names` set in `vars`,
/// in that order, values redacted. Names that are not variable names or
/// name a secret (core/agent/session.hpp) are left out.
Frame report_frame(const std::string& cwd, const Vars& vars, const std::vector<std::string>& names);

}  // namespace sentinel
