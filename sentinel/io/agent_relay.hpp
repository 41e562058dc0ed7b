#pragma once
// The per-shell relay (`sentinel relay`): one long-lived process per
// interactive shell, started once by the shell integration, so that a
// prompt costs one write and one read on descriptors the shell keeps open
// and never a fork. The relay owns the agent connection: it says hello,
// registers the session, reconnects to a restarted agent, starts the agent
// when none runs, and answers every prompt within its timeout even when the
// agent is stopped or gone.
//
// Shell to relay, on a FIFO the relay creates in the runtime directory and
// unlinks once the shell has opened it: agent frames (core/agent/protocol.hpp)
//   REPORT <cwd> <NAME=VALUE>...       forwarded (and replayed on reconnect)
//   PROMPT <seq> <known-gen> <timeout-ms>   answered within timeout-ms
//   GUARD <seq> <timeout-ms> <argc> <arg>...  a wrapped tool (SENTINEL_WRAP):
//                                      may it run without `sentinel guard`?
//   BUSY                               forwarded
// Relay to shell, on the relay's standard output (a pipe the shell reads),
// fields separated by 0x1F (no field can hold 0x1F or LF: values are
// sanitized and the relay replaces any other control byte). The shell
// starts the relay with `--protocol=N`, the version it speaks; the relay
// opens with one line:
//   HELLO <version> <path>              its own version (kShellProtocolVersion,
//                                       core/agent/protocol.hpp) and where to write;
//                                       without <path>, and the relay exits, when
//                                       the shell spoke another version: the shell
//                                       shows "restart your shell"
//   ERROR <message>                     instead, when it cannot run
// Then one reply per PROMPT:
//   <seq> same                          nothing changed
//   <seq> new <field>...                the fields of state_fields() in order
//                                       (core/display/prompt.hpp): gen, tier, label,
//                                       segment, changed-from, kube-context,
//                                       kube-namespace, pg, env, names
//   <seq> stale                         the agent did not answer in time
//   <seq> down <reason>                 no agent (it is being started)
// and one per GUARD (or stale/down as above):
//   <seq> run <tier>                    run the tool directly: policy none or a read
//   <seq> ask <tier>                    run it through `sentinel guard`
// For zsh each reply is a line. For bash each reply is a 16-byte header
// `<status char><seq, 7 digits><body length, 8 digits>` (status `=` same,
// `N` new, `S` stale, `D` down, `R` run, `A` ask) followed by the body `<gen> <tier> ...` or
// `<reason>`: bash reads a pipe one byte per read(2) unless it is told how
// many bytes to read (`read -N`), so each reply costs it two reads. A reply
// is written with one write(2) of less than PIPE_BUF bytes, so a shell that
// gave up waiting never finds half of one.
//
// Version 1, the shells started before versions existed (no --protocol, and
// `sentinel client`): the relay opens with `FIFO <path>` and answers every
// PROMPT with the version 1 layout of `new` (the same fields as version 2)
// holding tier unknown and the restart mark (restart_mark) as the segment,
// and every GUARD with `ask`; it never contacts the agent.

#include <string>
#include <vector>

namespace sentinel {

/// How the relay runs.
struct RelayOptions {
    long shell_pid = 0;        ///< the shell it serves; the relay exits with it
    std::string shell;         ///< "bash" or "zsh"
    bool autostart = true;     ///< start `sentinel agent` when none answers
    int protocol = 1;          ///< the shell's protocol version (`--protocol`; 1 when it gave none)
};

/// Runs the relay until its shell exits. Returns the exit code.
int run_relay(const RelayOptions& options);

/// One reply to the shell in the form above (without the line's LF for
/// zsh): `status` is "same", "new", "stale", "down", "run" or "ask"; `fields` follow the
/// status (new: gen, tier, ...; down: reason). Control bytes other than ESC,
/// 0x01 and 0x02 (used by the prompt segment) become '?'; fields are
/// shortened in their middle (fit_frame) until the body takes at most 3,000
/// bytes, so that no field is lost.
std::string shell_reply(bool bash, const std::string& seq, const std::string& status,
                        const std::vector<std::string>& fields);

}  // namespace sentinel
