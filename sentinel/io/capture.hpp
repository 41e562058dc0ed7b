#pragma once
// Running a helper program and reading what it prints: `ssh -G` (tracing an
// ssh forwarder) and `kubectl get --raw` (asking a cluster who it is).

#include <string>
#include <vector>

#include <sys/types.h>

#include "sentinel/core/result.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// What a helper printed and how it ended.
struct Captured {
    int exit_code = 0;
    std::string out;  ///< standard output (at most the limit given)
    std::string err;  ///< standard error (at most 4 KiB); may quote anything the helper saw: sanitize, never log whole
};

/// Runs `argv` (posix_spawnp, the environment of this process, stdin on
/// /dev/null, in its own process group) in directory `cwd` ("" or an
/// unusable one: the current directory), reads its stdout (at most
/// `max_bytes`) and stderr, and waits at most `timeout_ms` in all; then it
/// is killed. Errors: it could not start, was killed by a signal, timed
/// out, or printed more than `max_bytes`.
Result<Captured> run_capture(const std::vector<std::string>& argv, const std::string& cwd, int timeout_ms,
                             std::size_t max_bytes);

/// Starts `argv` with exactly the environment `env`, stdin, stdout and
/// stderr on /dev/null, in its own process group, default signal handling,
/// and returns without waiting (the caller reaps it with waitpid). Errors:
/// it could not start.
Result<pid_t> spawn_background(const std::vector<std::string>& argv, const Vars& env);

}  // namespace sentinel
