#pragma once
// Which context, cluster, server, namespace and user a kubectl command would
// use, by kubectl's own rules.

#include <optional>
#include <string>
#include <vector>

#include "sentinel/core/kube/args.hpp"
#include "sentinel/core/kube/kubeconfig.hpp"
#include "sentinel/core/target.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// How many KUBECONFIG entries are read at most; past this the target is
/// unknown (BAD_INPUTS.md row 14).
inline constexpr std::size_t kMaxKubeconfigFiles = 256;

/// The kubeconfig files kubectl would load, in precedence order: the
/// --kubeconfig flag alone if given; else the `KUBECONFIG` colon list with
/// empty entries dropped and repeats removed (first kept); else
/// `$HOME/.kube/config`. Stops after kMaxKubeconfigFiles + 1 entries.
/// Source: client-go clientcmd loading rules.
std::vector<std::string> kubeconfig_paths(const Vars& vars, const KubeOverrides& overrides);

/// Resolves the kube target. `vars` supplies KUBECONFIG and HOME, `loader`
/// the parsed kubeconfig files, `overrides` the flags of a kubectl command line.
/// Merge rule (client-go): the first file to set `current-context` wins;
/// each context, cluster and user is taken whole from the first file that
/// names it. Namespace defaults to "default".
/// Missing files in KUBECONFIG are skipped with a warning; unreadable or
/// malformed files, a dangling context, a missing cluster or user, or a
/// cluster without server add a problem (the target becomes unknown) and a
/// warning carrying `file:line:col`.
/// With `command_given` false (a terminal, not a command), returns nullopt
/// when there is no kubeconfig or no current context, after adding a note to
/// `warnings`; with `command_given` true a target is always returned.
std::optional<Target> resolve_kube(const Vars& vars, const KubeconfigLoader& loader, const KubeOverrides& overrides,
                                   bool command_given, std::vector<std::string>& warnings);

}  // namespace sentinel
