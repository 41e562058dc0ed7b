#pragma once
// Everything sentinel knows about one terminal (or one command) at once.

#include <string>
#include <vector>

#include "sentinel/core/config/config.hpp"
#include "sentinel/core/kube/kubeconfig.hpp"
#include "sentinel/core/reach/listener.hpp"
#include "sentinel/core/target.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// Which tool a command line runs, from the base name of its argv[0].
enum class Tool { none, kubectl, helm, psql, terraform, other };

/// Tool of `command` (kubectl, helm, psql, terraform; "other" for anything
/// else, "none" when empty).
Tool tool_of(const std::vector<std::string>& command);

/// The targets of one terminal or command, classified.
struct Snapshot {
    std::vector<Target> targets;
    std::vector<std::string> warnings;  ///< file:line:col problems and notes, raw (sanitize to print)
    Tier tier;                          ///< overall_tier(); unknown until evaluated
    Config config;                      ///< the configuration that classified it
    std::vector<std::string> referenced;  ///< variables the dotenv files' `${...}` name: shells report them too
};

/// Resolves and classifies. `vars` is the terminal's environment, `files`
/// the file system, `command` an optional command line (program and
/// arguments) whose own target is wanted:
/// - kubectl or helm: only the kube target, with the command's flags;
/// - psql: only the pg targets, with the command's connection options;
/// - terraform: only the terraform target of `cwd` (or its -chdir), the
///   workspace a `workspace delete NAME` acts on;
/// - none or another program: every target of the terminal (kube when a
///   current context is set, pg when PG* variables or PGSERVICE are set,
///   DATABASE_URL, the configured env variables, each also from the dotenv
///   files of `cwd` when the shell does not export it; terraform when `cwd`
///   is an initialised terraform directory; aws and gcloud when their
///   files or variables name a profile or configuration).
/// Config errors are added to `warnings` and make the tier "unknown"; so
/// does each variable named in vars[kUnreportedVariables] (core/vars.hpp),
/// as an env target with a problem.
/// `kube_loader` supplies parsed kubeconfigs (default: parse each file read
/// through `files`). `cwd` is the absolute working directory of the shell
/// or command; "" when unknown (no dotenv or terraform target then). With
/// `listeners`, every target on this machine (a pg loopback host or Unix
/// socket, a kube API server on loopback) is traced to what listens there
/// (core/reach/trace.hpp) and takes the most dangerous of its own tier and
/// what it reaches; then what probed servers said (the probe cache in
/// `files`, core/reach/probe_cache.hpp) raises tiers further. Without
/// `listeners` nothing is traced.
Snapshot evaluate(const Vars& vars, const FileReader& files, const std::vector<std::string>& command,
                  const KubeconfigLoader* kube_loader = nullptr, const std::string& cwd = {},
                  const ListenerSource* listeners = nullptr);

}  // namespace sentinel
