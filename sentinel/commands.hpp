#pragma once
// The subcommands. Each cmd_*.cpp defines its CommandSpec (options, help and
// entry point together); main.cpp lists them.

#include "sentinel/cli.hpp"

namespace sentinel {

/// `sentinel status`: this terminal's (or a command's) snapshot. cmd_status.cpp
extern const CommandSpec kStatusCommand;
/// `sentinel explain`: which files, variables, flags and rules decided. cmd_status.cpp
extern const CommandSpec kExplainCommand;

}  // namespace sentinel
