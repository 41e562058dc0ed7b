#pragma once
// What a terraform command line does: its -chdir, its subcommand and
// whether it only reads, and how the guard pins the confirmed workspace.

#include <cstddef>
#include <string>
#include <vector>

#include "sentinel/core/guard/action.hpp"

namespace sentinel {

/// A terraform command line (arguments without the program name), as the
/// guard sees it.
struct TerraformCommand {
    std::string chdir;          ///< `-chdir=DIR` before the subcommand (the last one wins), "" when absent
    std::string verb;           ///< "apply", "state rm", "workspace delete", ...; "" when there is none
    Risk risk = Risk::read;
    std::string workspace_arg;  ///< `workspace delete NAME`: NAME, the workspace acted on
    bool pin_workspace = false; ///< run with TF_WORKSPACE set to the confirmed workspace
};

/// Parses terraform's arguments. Global options stand before the
/// subcommand (`-chdir=DIR`, `-help`, `-version`); the subcommand is the
/// first argument not starting with '-', and `state`, `workspace`,
/// `providers` and `metadata` take the next one as theirs. Reads (run
/// without a question on every tier): no subcommand, -help or -version
/// anywhere, plan (also -destroy), show, output, validate, fmt, version,
/// providers, graph, console, get, modules, metadata, login, logout,
/// `state list|show|pull`, `workspace list|show|select|new`, init (unless
/// -migrate-state or -force-copy, which move state). Writes (ask on a
/// guarded tier): apply, destroy, import, refresh, taint, untaint,
/// force-unlock, test, `state rm|mv|push|replace-provider` and any other
/// state subcommand, `workspace delete`, init -migrate-state/-force-copy,
/// and every unknown subcommand. Writes are pinned with TF_WORKSPACE except
/// the `workspace` subcommands (terraform refuses TF_WORKSPACE there, and
/// `workspace delete NAME` acts on NAME). Source: `terraform -help` and
/// command/meta.go of terraform 1.5.
TerraformCommand parse_terraform_command(const std::vector<std::string>& args);

}  // namespace sentinel
