#include "sentinel/core/kube/args.hpp"

#include <algorithm>
#include <string_view>

namespace sentinel {
namespace {

struct FlagSpec {
    std::string_view long_name;  // without "--"
    char shorthand;              // 0 when none
    bool helm;                   // also (or only) a helm flag
    bool kubectl;
    std::optional<std::string> KubeOverrides::*slot;
};

constexpr FlagSpec kFlags[] = {
    {"kubeconfig", 0, true, true, &KubeOverrides::kubeconfig},
    {"context", 0, false, true, &KubeOverrides::context},
    {"kube-context", 0, true, false, &KubeOverrides::context},
    {"cluster", 0, false, true, &KubeOverrides::cluster},
    {"user", 0, false, true, &KubeOverrides::user},
    {"namespace", 'n', true, true, &KubeOverrides::namespace_},
    {"server", 's', false, true, &KubeOverrides::server},
};

// Other flags that take a value (kubectl's and helm's common ones), so that
// their value is never read as a flag: in `kubectl get -l --context=x`,
// "--context=x" is the label selector.
constexpr std::string_view kLongWithValue[] = {
    "as", "as-group", "as-uid", "cache-dir", "certificate-authority", "client-certificate", "client-key",
    "container", "field-selector", "filename", "kustomize", "label-columns", "log-dir", "log-file", "output",
    "password", "profile", "profile-output", "request-timeout", "selector", "sort-by", "template", "timeout",
    "tls-server-name", "token", "username", "v", "vmodule", "since", "since-time", "tail", "image", "replicas",
    "type", "port", "target-port", "overrides", "patch", "subresource", "chunk-size", "field-manager",
    "grace-period", "cascade", "raw", "values", "set", "set-string", "set-file", "version", "repo",
    "kube-apiserver", "kube-token", "kube-as-user", "registry-config", "repository-cache", "repository-config",
};
constexpr std::string_view kShortWithValue = "cfklLov";  // -c -f -k -l -L -o -v (and -n, -s above)

template <class T>
bool contains(const T& list, std::string_view value) {
    return std::find(std::begin(list), std::end(list), value) != std::end(list);
}

}  // namespace

KubeOverrides parse_kube_args(const std::vector<std::string>& args, bool helm) {
    KubeOverrides out;
    auto applies = [&](const FlagSpec& spec) { return helm ? spec.helm : spec.kubectl; };
    auto store = [&](const FlagSpec& spec, std::string value, std::string spelled) {
        out.given.push_back(std::move(spelled));
        if (value.empty()) out.*spec.slot = std::nullopt;  // kubectl ignores an empty value
        else out.*spec.slot = std::move(value);
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (arg == "--") break;
        if (arg.size() > 2 && arg.substr(0, 2) == "--") {
            std::string_view body = arg.substr(2);
            auto eq = body.find('=');
            std::string_view name = body.substr(0, eq);
            const FlagSpec* spec = nullptr;
            for (const FlagSpec& f : kFlags)
                if (f.long_name == name && applies(f)) spec = &f;
            if (spec) {
                std::string spelled = "--" + std::string(name);
                if (eq != std::string_view::npos) store(*spec, std::string(body.substr(eq + 1)), spelled);
                else if (i + 1 < args.size()) store(*spec, args[++i], spelled);
            } else if (eq == std::string_view::npos && contains(kLongWithValue, name)) {
                ++i;  // skip its value
            }
        } else if (arg.size() >= 2 && arg[0] == '-' && arg[1] != '-') {
            // A pflag cluster: `-wn kube-system` is -w then -n kube-system.
            for (std::size_t k = 1; k < arg.size(); ++k) {
                const FlagSpec* spec = nullptr;
                for (const FlagSpec& f : kFlags)
                    if (f.shorthand && f.shorthand == arg[k] && applies(f)) spec = &f;
                std::string_view rest = arg.substr(k + 1);
                if (spec) {
                    std::string spelled = std::string("-") + spec->shorthand;
                    if (!rest.empty() && rest[0] == '=') rest.remove_prefix(1);
                    if (k + 1 < arg.size()) store(*spec, std::string(rest), spelled);
                    else if (i + 1 < args.size()) store(*spec, args[++i], spelled);
                    break;
                }
                if (kShortWithValue.find(arg[k]) != std::string_view::npos) {
                    if (rest.empty()) ++i;  // its value is the next argument
                    break;
                }
            }
        }
    }
    return out;
}

}  // namespace sentinel
