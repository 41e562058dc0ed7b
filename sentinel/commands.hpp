#pragma once
// Entry points of the subcommands (one cmd_*.cpp file each).

#include "sentinel/cli.hpp"

namespace sentinel {

/// `sentinel status`: prints this terminal's (or a command's) snapshot.
int run_status(const Invocation& inv);

/// `sentinel explain`: prints which files, variables, flags and rules
/// decided the snapshot.
int run_explain(const Invocation& inv);

}  // namespace sentinel
