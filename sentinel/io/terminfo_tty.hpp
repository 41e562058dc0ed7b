#pragma once
// The terminal device a status line is painted on: its size and a write that
// never blocks the caller (the agent paints many terminals from one thread).

#include <optional>
#include <string>

#include "sentinel/io/terminfo.hpp"
#include "sentinel/core/result.hpp"

namespace sentinel {

/// The size of the terminal open on `fd` (TIOCGWINSZ), nullopt when `fd` is
/// not a terminal or reports 0×0.
std::optional<ScreenSize> terminal_size(int fd);

/// The size of the terminal device `tty_path`, under the same checks as
/// write_to_tty; nullopt when it cannot be opened or is not a terminal.
std::optional<ScreenSize> tty_size(const std::string& tty_path);

/// Opens the terminal device `tty_path` for painting, as write_to_tty does
/// (write-only, O_NOCTTY|O_NONBLOCK|O_CLOEXEC, a character device owned by
/// this user): for a process that paints the same terminal at every prompt
/// and keeps the descriptor (the relay, io/agent_relay.hpp).
Result<int> open_tty_for_paint(const std::string& tty_path);

/// Writes `bytes` to the terminal device `tty_path` ("/dev/pts/3"): opened
/// write-only with O_NOCTTY|O_NONBLOCK|O_CLOEXEC, only when it is a
/// character device owned by this user; when the terminal's buffer is full
/// the rest is dropped rather than block. Errors name the path and reason.
Result<bool> write_to_tty(const std::string& tty_path, const std::string& bytes);

}  // namespace sentinel
