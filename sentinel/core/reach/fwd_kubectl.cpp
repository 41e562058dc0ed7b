// kubectl port-forward and kubectl proxy, read from their command line.

#include <set>

#include "sentinel/core/reach/endpoint.hpp"
#include "sentinel/core/reach/forwarder.hpp"

namespace sentinel {
namespace {

using Names = std::set<std::string, std::less<>>;

// Flags of kubectl (global) and of port-forward and proxy that take a value
// (`kubectl options`, `kubectl port-forward --help`, `kubectl proxy --help`).
const Names kValueFlags = {
    "as", "as-group", "as-uid", "cache-dir", "certificate-authority", "client-certificate", "client-key",
    "cluster", "context", "kubeconfig", "log-backtrace-at", "log-dir", "log-file", "log-file-max-size",
    "log-flush-frequency", "namespace", "password", "profile", "profile-output", "request-timeout", "server",
    "stderrthreshold", "tls-server-name", "token", "user", "username", "v", "vmodule",
    // port-forward
    "address", "pod-running-timeout",
    // proxy
    "accept-hosts", "accept-paths", "api-prefix", "append-server-path", "keepalive", "port", "reject-methods",
    "reject-paths", "unix-socket", "www", "www-prefix",
};
const Names kValueShort = {"n", "s", "v", "p", "u", "w", "P"};

// The words of `args` that are neither flags nor flag values, before "--".
std::vector<std::string> positionals(const std::vector<std::string>& args) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view a = args[i];
        if (a == "--") break;
        if (a.size() > 2 && a.substr(0, 2) == "--") {
            std::string_view name = a.substr(2);
            if (name.find('=') == std::string_view::npos && kValueFlags.count(name)) ++i;
            continue;
        }
        if (a.size() > 1 && a[0] == '-') {
            if (a.size() == 2 && kValueShort.count(a.substr(1))) ++i;
            continue;
        }
        out.emplace_back(a);
    }
    return out;
}

// `[LOCAL:]REMOTE` of port-forward: {local ("" random), remote}.
std::pair<std::string, std::string> split_mapping(const std::string& spec) {
    std::size_t colon = spec.find(':');
    if (colon == std::string::npos) return {spec, spec};
    return {spec.substr(0, colon), spec.substr(colon + 1)};
}

}  // namespace

Forward kubectl_forward(const std::string& program, const std::vector<std::string>& args, int port) {
    Forward f;
    f.program = "kubectl";
    std::vector<std::string> words = positionals(args);
    std::string verb = words.empty() ? "" : words[0];
    f.kube = parse_kube_args(args);
    if (verb == "proxy") {
        f.goal = Forward::Goal::kube;
        f.kind = program + " proxy";
        f.command = program + " proxy";
        return f;
    }
    if (verb != "port-forward") {
        f.kind = program + (verb.empty() ? "" : " " + verb);
        f.command = f.kind;
        f.problems.push_back(program + " " + (verb.empty() ? std::string("without a verb") : verb) +
                             " is not a port-forward or proxy");
        f.kube.reset();
        return f;
    }
    f.goal = Forward::Goal::kube;
    f.kind = program + " port-forward";
    f.command = f.kind;
    if (words.size() < 2) {
        f.problems.push_back("port-forward without a resource");
        return f;
    }
    std::string resource = words[1];
    if (resource.find('/') == std::string::npos) resource = "pod/" + resource;
    f.set("resource", resource);
    f.command += " " + words[1];
    std::vector<std::pair<std::string, std::string>> mappings;
    for (std::size_t i = 2; i < words.size(); ++i) mappings.push_back(split_mapping(words[i]));
    const std::pair<std::string, std::string>* chosen = nullptr;
    for (const auto& m : mappings)
        if (parse_port(m.first) == port && port != 0) chosen = &m;
    if (!chosen && mappings.size() == 1) chosen = &mappings[0];
    if (chosen) {
        f.set("remote_port", chosen->second);
        f.command += " " + (chosen->first == chosen->second ? chosen->first : chosen->first + ":" + chosen->second);
    }
    return f;
}

}  // namespace sentinel
