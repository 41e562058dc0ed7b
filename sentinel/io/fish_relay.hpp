#pragma once
// fish and its relay. fish cannot keep a descriptor open between commands,
// so a fish shell's relay (`sentinel relay --shell=fish --pid=P`, the same
// relay as bash's and zsh's, io/agent_relay.hpp) is reached through two
// FIFOs with fixed names in the runtime directory, which the relay holds
// open read-write for its whole life:
//   fish.<P>.in    the relay reads frames from it (REPORT, PROMPT, BUSY)
//   fish.<P>.out   the relay writes its replies to it, one line each
//   fish.<P>.lock  held (flock) by the one relay of shell P
// Each fish prompt runs one short process, `sentinel relay --shell=fish
// --pid=P --protocol=N --prompt=SEQ --gen=TOKEN --timeout=MS`, which sends
// the shell's REPORT (built from its own environment, which is the shell's
// exported one) and PROMPT, prints the relay's reply line and exits; each
// command line runs `sentinel relay ... --busy`. Every open is
// non-blocking, so a relay that is gone (its FIFO has no reader: ENXIO)
// never hangs the prompt: the asker starts a new relay instead. The asker
// checks the shell's protocol version itself: the relay it would talk to is
// of its own version.

#include <optional>
#include <string>

#include "sentinel/core/result.hpp"

namespace sentinel {

/// The paths of shell `pid`'s FIFOs and lock in `runtime_dir`.
struct FishChannel {
    std::string in;
    std::string out;
    std::string lock;
};

/// The channel of the fish shell `pid`.
FishChannel fish_channel(const std::string& runtime_dir, long pid);

/// The relay's side, opened: read frames from `in`, write replies to `out`.
struct FishRelayFds {
    int in = -1;    ///< O_RDWR | O_NONBLOCK (its own writer: never EOF)
    int out = -1;   ///< O_RDWR | O_NONBLOCK (its own reader: never EPIPE)
    int lock = -1;  ///< the flock'ed lock file
};

/// Takes the lock of `channel` (flock, non-blocking) and, under it,
/// creates both FIFOs afresh (mode 0600) and opens them. Returns nullopt
/// when another relay holds the lock (it serves that shell already).
/// Errors: the lock or a FIFO cannot be created or opened.
Result<std::optional<FishRelayFds>> open_fish_relay(const FishChannel& channel);

/// Removes the FIFOs and the lock file (the relay is ending, lock held).
void close_fish_relay(const FishChannel& channel, const FishRelayFds& fds);

/// What one fish asker does.
struct FishAsk {
    long shell_pid = 0;
    bool busy = false;       ///< --busy: send BUSY and exit (never starts a relay)
    std::string seq;         ///< --prompt: the prompt's sequence number
    std::string gen;         ///< --gen: the token the shell shows now
    long timeout_ms = 10;    ///< --timeout: how long the relay waits for the agent
    bool autostart = true;   ///< the relay it starts may start the agent
    int protocol = 0;        ///< --protocol: the version the shell file speaks
};

/// Runs one asker: for a prompt, prints one line, the relay's reply
/// (`<seq> same`, `<seq> new <field>...` in the order of state_fields(),
/// `<seq> stale`, `<seq> down <reason>`, fields separated by 0x1F,
/// io/agent_relay.hpp), or `<seq> stale` when none came within the timeout
/// plus 50 ms, or `<seq> down <reason>` when no relay could be reached (one
/// is started for the next prompt). When `protocol` is not
/// kShellProtocolVersion (a shell that loaded an older or newer fish file
/// than this binary), prints `HELLO <kShellProtocolVersion>` instead and
/// contacts nothing: the shell shows "restart your shell". Returns the exit
/// code (0; 64 without --pid).
int run_fish_ask(const FishAsk& ask);

}  // namespace sentinel
