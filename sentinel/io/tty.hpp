#pragma once
// Asking a person on the controlling terminal (/dev/tty), never on stdin,
// so that piped input (`yes |`) cannot answer (BAD_INPUTS.md row 25).

#include <optional>
#include <string>

namespace sentinel {

/// How a question ended.
struct TtyAnswer {
    enum class Status {
        line,         ///< a line was typed; `line` holds it without the newline
        end_of_input, ///< Ctrl-D or the terminal went away
        timeout,      ///< nothing complete within the time limit
        interrupted,  ///< Ctrl-C (SIGINT), SIGTERM, SIGHUP or SIGQUIT
        error,        ///< reading failed
    };
    Status status = Status::error;
    std::string line;  ///< raw; may be anything, even a password typed by mistake: never print or log it
};

/// "answered", "end of input", "timeout", "interrupted", "read error".
const char* answer_status_name(TtyAnswer::Status status);

/// The controlling terminal, opened read-write on /dev/tty (O_NOCTTY).
class Tty {
public:
    /// Opens /dev/tty; nullopt when the process has no controlling terminal.
    static std::optional<Tty> open();
    Tty(Tty&& other) noexcept;
    Tty& operator=(Tty&&) = delete;
    Tty(const Tty&) = delete;
    ~Tty();

    /// Writes `text` to the terminal (not stdout or stderr, which may be
    /// redirected). Returns false when the write failed.
    bool write(const std::string& text) const;

    /// Prints `prompt`, discards typeahead (input typed before the question
    /// cannot answer it), and reads one line in canonical mode with echo,
    /// within `timeout_seconds` (whole question). SIGINT, SIGTERM, SIGHUP
    /// and SIGQUIT end it as interrupted; the previous terminal modes and
    /// signal handlers are restored before returning.
    TtyAnswer ask(const std::string& prompt, int timeout_seconds) const;

    /// The terminal's device path (ttyname), "" when unknown.
    std::string name() const;

private:
    explicit Tty(int fd) : fd_(fd) {}
    int fd_ = -1;
};

/// The controlling terminal's path for audit records (ttyname of stdin,
/// stdout or stderr, else of /dev/tty), "" when there is none.
std::string controlling_tty_name();

/// True when standard input is a terminal.
bool stdin_is_tty();

}  // namespace sentinel
