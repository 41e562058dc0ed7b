#pragma once
// Asking a Kubernetes cluster who it is: the kube-system namespace through
// the real kubectl (core/reach/server_word.hpp kube_server_word).

#include <string>

#include "sentinel/core/reach/server_word.hpp"

namespace sentinel {

/// Runs `KUBECTL get --raw /api/v1/namespaces/kube-system
/// --request-timeout=3s` pinned to `target`'s context, cluster and user
/// (and its kubeconfig when one file defined it), in this process's
/// environment, and reads the namespace's UID and `sentinel/tier` label or
/// annotation. `kubectl` is the program to run (the real kubectl, not a
/// wrapper that would guard it again). Errors: kubectl missing, failing
/// (its first stderr line, sanitized) or silent for 10 s.
Result<ServerWord> probe_kube(const std::string& kubectl, const Target& target);

}  // namespace sentinel
