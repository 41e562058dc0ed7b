#pragma once
// Everything sentinel knows about one terminal (or one command) at once.

#include <string>
#include <vector>

#include "sentinel/core/config/config.hpp"
#include "sentinel/core/kube/kubeconfig.hpp"
#include "sentinel/core/target.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// Which tool a command line runs, from the base name of its argv[0].
enum class Tool { none, kubectl, helm, psql, other };

/// Tool of `command` (kubectl, helm, psql; "other" for anything else,
/// "none" when empty).
Tool tool_of(const std::vector<std::string>& command);

/// The targets of one terminal or command, classified.
struct Snapshot {
    std::vector<Target> targets;
    std::vector<std::string> warnings;  ///< file:line:col problems and notes, raw (sanitize to print)
    Tier tier;                          ///< overall_tier(); unknown until evaluated
    Config config;                      ///< the configuration that classified it
};

/// Resolves and classifies. `vars` is the terminal's environment, `files`
/// the file system, `command` an optional command line (program and
/// arguments) whose own target is wanted:
/// - kubectl or helm: only the kube target, with the command's flags;
/// - psql: only the pg targets, with the command's connection options;
/// - none or another program: every target of the terminal (kube when a
///   current context is set, pg when PG* variables or PGSERVICE are set,
///   DATABASE_URL, the configured env variables).
/// Config errors are added to `warnings` and make the tier "unknown".
/// `kube_loader` supplies parsed kubeconfigs (default: parse each file read
/// through `files`).
Snapshot evaluate(const Vars& vars, const FileReader& files, const std::vector<std::string>& command,
                  const KubeconfigLoader* kube_loader = nullptr);

}  // namespace sentinel
