#pragma once
// The guard's fast path: ask a running agent whether a command runs without
// a question (EVAL, core/agent/protocol.hpp). The agent has libpq loaded and the
// kubeconfigs parsed; the guard then need not load either.

#include <optional>
#include <string>
#include <vector>

#include "sentinel/core/vars.hpp"

namespace sentinel {

/// Asks the agent of this user (agent_socket_path, io/runtime_dir.hpp) for
/// runs_unasked (core/guard/describe.hpp) of `command` (program name first,
/// normalised to psql/kubectl/helm) under `vars` (the caller's whole
/// environment; only the variables a shell would report under the config
/// are sent, never a secret one) and the current directory.
/// Returns true (run without asking) or false (look closer), or nullopt
/// when no answer came within `timeout_ms` milliseconds: no agent, a
/// stopped or busy one, another protocol version, a socket not owned by
/// this uid (SO_PEERCRED), a config with errors, a request over kMaxFrame,
/// or a value that might hold a password (then nothing is sent at all).
std::optional<bool> agent_runs_unasked(const std::vector<std::string>& command, const Vars& vars, int timeout_ms);

}  // namespace sentinel
