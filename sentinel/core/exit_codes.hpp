#pragma once
// The exit codes every command uses (README.md "Exit codes"), sysexits(3)
// where one fits. Here, below every layer, so that the guard's
// confirmation and the commands name them alike.

namespace sentinel {

/// sysexits(3) codes used by every command.
enum ExitCode : int {
    kExitOk = 0,
    kExitUsage = 64,    ///< EX_USAGE: bad command line
    kExitUnavailable = 69,  ///< EX_UNAVAILABLE: `sentinel probe` could not reach the server
    kExitRefused = 77,  ///< EX_NOPERM: the guard refused
    kExitConfig = 78,   ///< EX_CONFIG: a config file has errors, or libpq cannot settle a psql connection
};

}  // namespace sentinel
