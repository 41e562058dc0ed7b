#pragma once
// The parts of a kubectl or helm command line that change its target.

#include <optional>
#include <string>
#include <vector>

namespace sentinel {

/// Target-changing flags found on a kubectl command line. Unset members were
/// not given (or given empty, which kubectl ignores).
struct KubeOverrides {
    std::optional<std::string> kubeconfig;  ///< --kubeconfig
    std::optional<std::string> context;     ///< --context (helm: --kube-context)
    std::optional<std::string> cluster;     ///< --cluster
    std::optional<std::string> user;        ///< --user
    std::optional<std::string> namespace_;  ///< -n, --namespace
    std::optional<std::string> server;      ///< -s, --server

    /// The flags that were given, as "--context", "-n", ... in argv order.
    std::vector<std::string> given;
};

/// Scans `args` (the arguments after the program name) for the overrides,
/// wherever they stand, in the forms pflag accepts: `--flag value`,
/// `--flag=value`, and for shorthands `-n value`, `-n=value`, `-nvalue` and
/// inside a cluster (`-wn prod`). The values of other flags that take one
/// (`-l`, `--selector`, `-o`, ...) are skipped, never read as flags. The last
/// occurrence wins; an empty value means "not given". Scanning stops at
/// `--`, after which arguments belong to another program
/// (`kubectl exec pod -- cmd`). With `helm`, helm's spellings apply
/// (`--kube-context`, `--kubeconfig`, `-n`; no `-s` or `--context`).
/// Source of the rule: kubectl's global flags (`kubectl options`), helm's
/// global flags (`helm --help`) and spf13/pflag parsing.
KubeOverrides parse_kube_args(const std::vector<std::string>& args, bool helm = false);

}  // namespace sentinel
