#pragma once
// Asking a person on the controlling terminal (/dev/tty), never on stdin,
// so that piped input (`yes |`) cannot answer (BAD_INPUTS.md row 25).

#include <functional>
#include <optional>
#include <string>

#include "sentinel/cmd/cli.hpp"
#include "sentinel/core/guard/guard.hpp"
#include "sentinel/core/result.hpp"

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

/// One evaluation for the confirmation loop: the snapshot, and a string
/// standing for anything else the command is pinned to (the settled psql
/// connection), compared before and after the question.
struct Evaluated {
    Snapshot snapshot;
    std::string pin;
};

/// What the confirmation loop needs.
struct ConfirmRequest {
    Action action;
    std::function<Result<Evaluated>()> evaluate;  ///< fresh each call; an error ends with 78
    std::optional<std::string> override_value;    ///< SENTINEL_CONFIRM, when set and non-empty
    int timeout_seconds = 60;
    bool color = true;                             ///< banner colours on the terminal
    Vars vars;                                     ///< for the audit log's location and policy
};

/// A ConfirmRequest for a command run in environment `vars` (the whole
/// process environment): override_value from SENTINEL_CONFIRM when set and
/// not empty; colour unless NO_COLOR is set and not empty (no-color.org) or
/// TERM is "dumb"; `vars` kept for the audit log and grace keys. The caller
/// sets action, evaluate and timeout_seconds.
ConfirmRequest confirm_request(const Vars& vars);

/// The `--timeout=SECONDS` of `sentinel guard` and `sentinel confirm`: 60
/// when absent, else 1 to 86400; anything else prints an error to stderr
/// and gives nullopt (exit 64).
std::optional<int> question_timeout(const Invocation& inv);

/// How the loop ended. `go` means run; otherwise exit with `exit_code`.
struct ConfirmOutcome {
    bool go = false;
    int exit_code = 77;
    Evaluated evaluated;  ///< the evaluation the person confirmed (or that decided)
    Decision decision;
};

/// The guard's question loop (DESIGN.md Guard, issue 5 item 2): evaluates,
/// decides (decide()), and when asking shows the banner on /dev/tty, reads
/// the answer, evaluates again and compares fingerprint() and the pin: a
/// target that changed while asking is refused (audited) and asked again,
/// up to three times. With a grace period for the tier (its `grace` in
/// config.toml; core/guard/grace.hpp), a confirmation stored for the same uid,
/// terminal, session and exact target within the period skips the question
/// (audited as confirmed, reason "grace period"). Audits every question,
/// confirmation, refusal and override (io_audit); a record that cannot be
/// written refuses when config.toml says `audit = "required"`. Refusals print `sentinel: refused: ...` on
/// stderr and give 77; an evaluation error prints `sentinel: error: ...`
/// and gives 78.
ConfirmOutcome run_confirmation(const ConfirmRequest& request);

}  // namespace sentinel
