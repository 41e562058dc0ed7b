#include "sentinel/core/kube/verbs.hpp"

#include <set>
#include <string_view>

namespace sentinel {
namespace {

using Names = std::set<std::string, std::less<>>;

// kubectl's global flags that take a value (`kubectl options`).
const Names kKubectlValueFlags = {
    "as",       "as-group",   "as-uid",       "cache-dir",      "certificate-authority", "client-certificate",
    "client-key", "cluster",  "context",      "kubeconfig",     "log-backtrace-at",      "log-dir",
    "log-file", "log-file-max-size", "log-flush-frequency", "namespace", "password",      "profile",
    "profile-output", "request-timeout", "server", "stderrthreshold", "tls-server-name",  "token",
    "user",     "username",   "v",            "vmodule",
};
const Names kKubectlValueShort = {"n", "s", "v"};

const Names kHelmValueFlags = {
    "kube-context",  "kubeconfig",   "namespace",        "kube-apiserver",   "kube-as-user",
    "kube-as-group", "kube-ca-file", "kube-token",       "kube-tls-server-name", "registry-config",
    "repository-cache", "repository-config", "burst-limit", "qps",
};
const Names kHelmValueShort = {"n"};

const Names kKubectlReads = {
    "get",     "describe", "logs",       "top",        "explain", "diff",   "api-resources", "api-versions",
    "version", "cluster-info", "events", "wait",       "completion", "kustomize", "plugin", "help",
    "options", "config",
};

const Names kHelmReads = {
    "list", "ls",      "status", "get",  "history", "hist",  "show",       "inspect",  "search",     "repo",
    "template", "lint", "version", "env", "help",   "completion", "dependency", "dep", "package", "pull",
    "fetch", "verify", "plugin", "registry", "create",
};

// Positions of the words that are neither flags nor flag values, before "--".
std::vector<std::size_t> words(const std::vector<std::string>& args, const Names& value_flags,
                               const Names& value_short) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view a = args[i];
        if (a == "--") break;
        if (a.size() > 2 && a.substr(0, 2) == "--") {
            std::string_view name = a.substr(2);
            if (name.find('=') != std::string_view::npos) continue;
            if (value_flags.count(name)) ++i;  // the value is the next argument
            continue;
        }
        if (a.size() > 1 && a[0] == '-') {
            // -n prod, -nprod, -n=prod: only a bare shorthand takes the next argument.
            if (a.size() == 2 && value_short.count(a.substr(1))) ++i;
            continue;
        }
        out.push_back(i);
    }
    return out;
}

bool has_flag(const std::vector<std::string>& args, std::string_view flag) {
    for (const std::string& a : args) {
        if (a == "--") return false;
        if (a == flag) return true;
    }
    return false;
}

// --dry-run, --dry-run=client, --dry-run=server (not --dry-run=none).
bool dry_run(const std::vector<std::string>& args) {
    for (const std::string& a : args) {
        if (a == "--") return false;
        if (a == "--dry-run" || a == "--dry-run=client" || a == "--dry-run=server" || a == "--dry-run=true")
            return true;
    }
    return false;
}

bool help_asked(const std::vector<std::string>& args) { return has_flag(args, "--help") || has_flag(args, "-h"); }

// The verb is the first word (`w`: positions from words()); with no word it
// is empty at args.size(). Read until the caller knows better: no verb, or
// --help, acts on nothing.
KubeVerb first_word(const std::vector<std::string>& args, const std::vector<std::size_t>& w) {
    KubeVerb v;
    v.index = w.empty() ? args.size() : w[0];
    if (!w.empty()) v.verb = args[w[0]];
    v.risk = Risk::read;
    return v;
}

}  // namespace

KubeVerb find_kubectl_verb(const std::vector<std::string>& args) {
    std::vector<std::size_t> w = words(args, kKubectlValueFlags, kKubectlValueShort);
    KubeVerb v = first_word(args, w);
    if (w.empty() || help_asked(args)) return v;
    std::string sub = w.size() > 1 ? args[w[1]] : "";
    if (!sub.empty() && (v.verb == "rollout" || v.verb == "auth" || v.verb == "config" || v.verb == "certificate"))
        v.verb += " " + sub;
    if (kKubectlReads.count(args[w[0]])) v.risk = Risk::read;
    else if (args[w[0]] == "rollout") v.risk = (sub == "status" || sub == "history") ? Risk::read : Risk::write;
    else if (args[w[0]] == "auth") v.risk = (sub == "can-i" || sub == "whoami") ? Risk::read : Risk::write;
    else v.risk = Risk::write;
    if (v.risk == Risk::write && dry_run(args)) v.risk = Risk::read;
    return v;
}

KubeVerb find_helm_verb(const std::vector<std::string>& args) {
    std::vector<std::size_t> w = words(args, kHelmValueFlags, kHelmValueShort);
    KubeVerb v = first_word(args, w);
    if (w.empty() || help_asked(args)) return v;
    v.risk = kHelmReads.count(v.verb) ? Risk::read : Risk::write;
    if (v.risk == Risk::write && dry_run(args)) v.risk = Risk::read;
    return v;
}

}  // namespace sentinel
