#pragma once
// What a kubectl or helm command line does: its verb, found wherever it
// stands among the global flags, and whether it only reads.

#include <cstddef>
#include <string>
#include <vector>

#include "sentinel/core/guard/action.hpp"

namespace sentinel {

/// The verb of a kubectl or helm command line and its risk.
struct KubeVerb {
    std::string verb;     ///< "get", "rollout restart", "config use-context", "upgrade"; "" when there is none
    Risk risk = Risk::write;
    std::size_t index = 0;  ///< position of the verb in the arguments (args.size() when there is none)
};

/// Finds the verb of kubectl's arguments (without the program name): the
/// first word that is not a flag or a flag's value, skipping kubectl's
/// global flags with values (`-n prod`, `--context x`, `--kubeconfig=x`,
/// `-s`, `--as`, `--token`, `-v`, ...). Reads: get, describe, logs, top,
/// explain, diff, api-resources, api-versions, version, cluster-info,
/// events, wait, completion, kustomize, plugin, help, `config` (it edits
/// only the local kubeconfig), `auth can-i|whoami`, `rollout
/// status|history`, `certificate` never; no verb at all, `--help` or `-h`.
/// A mutation verb with `--dry-run=client|server` is a read. Everything
/// else, including unknown verbs and plugins, is a write (asks on
/// production). Source: `kubectl help` of kubectl 1.28.
KubeVerb find_kubectl_verb(const std::vector<std::string>& args);

/// The same for helm: reads are list, status, get, history, show, inspect,
/// search, repo, template, lint, version, env, help, completion,
/// dependency, package, pull, fetch, verify, plugin, registry, create;
/// writes are install, upgrade, uninstall, delete, rollback, test and
/// anything unknown. `--dry-run` makes install/upgrade a read. Global
/// flags skipped: --kube-context, --kubeconfig, -n, --kube-apiserver,
/// --kube-as-user, --kube-as-group, --kube-ca-file, --kube-token,
/// --kube-tls-server-name, --registry-config, --repository-cache,
/// --repository-config, --burst-limit, --qps. Source: `helm help` (3.x).
KubeVerb find_helm_verb(const std::vector<std::string>& args);

}  // namespace sentinel
