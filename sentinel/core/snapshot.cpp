#include "sentinel/core/snapshot.hpp"

#include "sentinel/core/classify.hpp"
#include "sentinel/core/kube/args.hpp"
#include "sentinel/core/pg/args.hpp"
#include "sentinel/core/env/resolve.hpp"
#include "sentinel/core/kube/resolve.hpp"
#include "sentinel/core/pg/resolve.hpp"

namespace sentinel {

Tool tool_of(const std::vector<std::string>& command) {
    if (command.empty()) return Tool::none;
    std::string base = command[0].substr(command[0].rfind('/') + 1);
    if (base == "kubectl" || base == "oc") return Tool::kubectl;
    if (base == "helm") return Tool::helm;
    if (base == "psql") return Tool::psql;
    return Tool::other;
}

Snapshot evaluate(const Vars& vars, const FileReader& files, const std::vector<std::string>& command,
                  const KubeconfigLoader* kube_loader) {
    ParsingKubeconfigLoader parsing(files);
    const KubeconfigLoader& kubeconfigs = kube_loader ? *kube_loader : parsing;
    Snapshot s;
    s.config = load_config(vars, files);
    for (const std::string& e : s.config.errors) s.warnings.push_back(e);
    for (const std::string& n : s.config.notes) s.warnings.push_back(n);

    Tool tool = tool_of(command);
    std::vector<std::string> args;
    if (!command.empty()) args.assign(command.begin() + 1, command.end());

    auto append = [&](std::vector<Target> more) {
        for (Target& t : more) s.targets.push_back(std::move(t));
    };
    switch (tool) {
        case Tool::kubectl:
        case Tool::helm:
            if (auto kube = resolve_kube(vars, kubeconfigs, parse_kube_args(args, tool == Tool::helm), true, s.warnings)) append({*kube});
            break;
        case Tool::psql: {
            PsqlConnArgs psql = parse_psql_args(args);
            append(resolve_pg(vars, psql_params(psql), "psql", psql.given, s.warnings));
            break;
        }
        case Tool::none:
        case Tool::other: {
            std::vector<std::string> quiet;  // "no kubeconfig" is normal for a terminal
            if (auto kube = resolve_kube(vars, kubeconfigs, {}, false, quiet)) append({*kube});
            for (const std::string& w : quiet)
                if (w.rfind("kube: no ", 0) != 0) s.warnings.push_back(w);
            if (has_pg_environment(vars)) append(resolve_pg(vars, {}, "environment", {}, s.warnings));
            append(resolve_database_url(vars, s.warnings));
            append(resolve_env(vars, s.config.env));
            break;
        }
    }
    for (Target& t : s.targets) classify(t, s.config);
    s.tier = overall_tier(s.targets, s.config);
    return s;
}

}  // namespace sentinel
