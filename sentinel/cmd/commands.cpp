// The table of subcommands main.cpp dispatches on and `sentinel completion`
// describes.

#include "sentinel/cmd/commands.hpp"

namespace sentinel {
namespace {

// In the order `sentinel --help` lists them.
const CommandSpec* const kCommands[] = {
    &kStatusCommand, &kExplainCommand, &kGuardCommand, &kConfirmCommand, &kProbeCommand, &kAuditCommand, &kUndoCommand, &kInitCommand,
    &kDoctorCommand, &kAgentCommand,   &kRelayCommand, &kBarCommand,    &kCompletionCommand,
};

}  // namespace

std::span<const CommandSpec* const> all_commands() { return kCommands; }

}  // namespace sentinel
