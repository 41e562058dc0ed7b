#include "sentinel/kube_args.hpp"

#include <string_view>

namespace sentinel {
namespace {

struct FlagSpec {
    std::string_view long_name;   // without "--"
    char shorthand;               // 0 when none
    std::optional<std::string> KubeOverrides::*slot;
};

constexpr FlagSpec kFlags[] = {
    {"kubeconfig", 0, &KubeOverrides::kubeconfig},
    {"context", 0, &KubeOverrides::context},
    {"kube-context", 0, &KubeOverrides::context},  // helm's spelling
    {"cluster", 0, &KubeOverrides::cluster},
    {"user", 0, &KubeOverrides::user},
    {"namespace", 'n', &KubeOverrides::namespace_},
    {"server", 's', &KubeOverrides::server},
};

void store(KubeOverrides& out, const FlagSpec& spec, std::string value, std::string_view spelled) {
    out.given.emplace_back(spelled);
    if (value.empty()) out.*spec.slot = std::nullopt;
    else out.*spec.slot = std::move(value);
}

}  // namespace

KubeOverrides parse_kube_args(const std::vector<std::string>& args) {
    KubeOverrides out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (arg == "--") break;
        if (arg.size() > 2 && arg.substr(0, 2) == "--") {
            std::string_view body = arg.substr(2);
            auto eq = body.find('=');
            std::string_view name = body.substr(0, eq);
            for (const FlagSpec& spec : kFlags) {
                if (name != spec.long_name) continue;
                std::string spelled = "--" + std::string(name);
                if (eq != std::string_view::npos) store(out, spec, std::string(body.substr(eq + 1)), spelled);
                else if (i + 1 < args.size()) store(out, spec, args[++i], spelled);
                break;
            }
        } else if (arg.size() >= 2 && arg[0] == '-' && arg[1] != '-') {
            for (const FlagSpec& spec : kFlags) {
                if (!spec.shorthand || arg[1] != spec.shorthand) continue;
                std::string spelled = std::string("-") + spec.shorthand;
                std::string_view rest = arg.substr(2);
                if (!rest.empty() && rest[0] == '=') rest.remove_prefix(1);
                if (arg.size() > 2) store(out, spec, std::string(rest), spelled);
                else if (i + 1 < args.size()) store(out, spec, args[++i], spelled);
                break;
            }
        }
    }
    return out;
}

}  // namespace sentinel
