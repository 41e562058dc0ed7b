#pragma once
// Running the guarded command: exec with the pinned environment, and
// capturing SQL piped on stdin so it can be classified and still reach psql.

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sentinel {

/// Replaces the process with `argv` (PATH search as execvp), after
/// unsetting `unset_env` and setting `set_env`. Returns only on failure:
/// 127 when the program is not found, 126 otherwise, after printing
/// `sentinel: error: cannot run NAME: REASON` (name sanitized).
int exec_command(const std::vector<std::string>& argv, const std::vector<std::pair<std::string, std::string>>& set_env,
                 const std::vector<std::string>& unset_env);

/// Reads all of standard input (at most `limit` bytes) into `data` and
/// puts an anonymous file (memfd) with the same bytes in its place, so the
/// command exec'd later reads exactly what was classified. Returns false
/// (leaving `data` with what was read) when stdin holds more than `limit`
/// bytes or cannot be read; stdin is then no longer usable.
bool capture_stdin(std::string& data, std::size_t limit);

}  // namespace sentinel
