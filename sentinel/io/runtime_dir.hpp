#pragma once
// Where the agent's socket, lock and the relays' FIFOs live, created and
// verified so that no other user can reach or replace them.

#include <string>

#include "sentinel/core/result.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// The private runtime directory: `$XDG_RUNTIME_DIR/sentinel` when
/// XDG_RUNTIME_DIR is set and absolute, else `${TMPDIR:-/tmp}/sentinel-<uid>`.
/// Creates it with mode 0700 if missing, then verifies with lstat that it is
/// a real directory (not a symlink), owned by the current uid, with no
/// group or other permission bits. Errors name the path and the fix
/// ("... is mode 0755; run: chmod 700 /run/user/1000/sentinel").
Result<std::string> runtime_dir(const Vars& vars);

/// `<runtime_dir>/agent.sock`.
Result<std::string> agent_socket_path(const Vars& vars);

/// Verifies an existing directory as runtime_dir() does (for tests).
Result<std::string> verify_private_dir(const std::string& path);

}  // namespace sentinel
