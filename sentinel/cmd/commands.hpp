#pragma once
// The subcommands. Each cmd/*.cpp defines its CommandSpec (options, help and
// entry point together); main.cpp lists them.

#include <span>

#include "sentinel/cmd/cli.hpp"

namespace sentinel {

/// `sentinel status`: this terminal's (or a command's) snapshot. cmd/status.cpp
extern const CommandSpec kStatusCommand;
/// `sentinel explain`: which files, variables, flags and rules decided. cmd/status.cpp
extern const CommandSpec kExplainCommand;
/// `sentinel guard -- CMD`: decide, ask on /dev/tty when needed, exec CMD pinned
/// to the confirmed target; 77 refused, 78 config error, else CMD's code. cmd/guard.cpp
extern const CommandSpec kGuardCommand;
/// `sentinel confirm --action TEXT`: the guard's decision for scripts; 0 means go
/// ahead, 77 refused, 78 config error. cmd/confirm.cpp
extern const CommandSpec kConfirmCommand;
/// `sentinel probe [--kube] [--pin TIER] [-- psql|kubectl ARGS]`: ask the server
/// behind the pg (or kube) target who it is; remember the answer; optionally pin
/// its identity in config.toml. 69 when it cannot be reached. cmd/probe.cpp
extern const CommandSpec kProbeCommand;
/// `sentinel audit`: recent entries of the guard's audit log. cmd/audit.cpp
extern const CommandSpec kAuditCommand;
/// `sentinel undo list|show|restore`: the copies the guard keeps of what
/// confirmed destructive statements changed, and putting them back. cmd/undo.cpp
extern const CommandSpec kUndoCommand;
/// `sentinel agent`: the per-user resident agent (socket, sessions, inotify);
/// exits 0 at once when one already runs, 78 in an unsafe runtime dir. cmd/agent.cpp
extern const CommandSpec kAgentCommand;
/// `sentinel relay --shell=S --pid=N`: the per-shell relay to the agent that
/// `sentinel init` starts; answers each prompt within its timeout. Also runs
/// as `sentinel client`, its earlier name. cmd/relay.cpp
extern const CommandSpec kRelayCommand;
/// `sentinel init --shell=bash|zsh`: prints shell/sentinel.{bash,zsh} with this
/// binary's path filled in; 64 for an unknown shell. cmd/init.cpp
extern const CommandSpec kInitCommand;
/// `sentinel bar [--session PID|--pane %N]`: a curses status line for a pane,
/// repainted on change (inotify or agent push, never a timer); 0 on q/SIGTERM,
/// 1 without a usable terminal, 64 for usage. cmd/bar.cpp
extern const CommandSpec kBarCommand;
/// `sentinel doctor [--json]`: checks the integration, agent, runtime directory,
/// config, terminal, tmux, wrappers and audit log of this terminal; 0 when all
/// is well, 1 otherwise. cmd/doctor.cpp
extern const CommandSpec kDoctorCommand;
/// `sentinel completion bash|zsh|fish`: prints the completion script made
/// from these tables; 64 for another shell. cmd/completion.cpp
extern const CommandSpec kCompletionCommand;

/// Every subcommand, in the order `sentinel --help` lists them. cmd/commands.cpp
std::span<const CommandSpec* const> all_commands();

/// `sentinel --version`: sentinel's version, then one line per library
/// (io/versions.hpp). Returns the exit code. cmd/version.cpp
int print_version();

}  // namespace sentinel
