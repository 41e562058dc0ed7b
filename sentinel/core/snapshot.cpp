#include "sentinel/core/snapshot.hpp"

#include <algorithm>

#include "sentinel/core/classify.hpp"
#include "sentinel/core/kube/args.hpp"
#include "sentinel/core/pg/args.hpp"
#include "sentinel/core/env/resolve.hpp"
#include "sentinel/core/kube/resolve.hpp"
#include "sentinel/core/pg/resolve.hpp"
#include "sentinel/core/aws/resolve.hpp"
#include "sentinel/core/dotenv/resolve.hpp"
#include "sentinel/core/gcloud/resolve.hpp"
#include "sentinel/core/terraform/resolve.hpp"
#include "sentinel/core/terraform/verbs.hpp"
#include "sentinel/core/reach/probe_cache.hpp"
#include "sentinel/core/reach/trace.hpp"

namespace sentinel {

Tool tool_of(const std::vector<std::string>& command) {
    if (command.empty()) return Tool::none;
    std::string base = command[0].substr(command[0].rfind('/') + 1);
    if (base == "kubectl" || base == "oc") return Tool::kubectl;
    if (base == "helm") return Tool::helm;
    if (base == "psql") return Tool::psql;
    if (base == "terraform") return Tool::terraform;
    return Tool::other;
}

namespace {

// The targets that live in the project directory and the cloud CLIs' files
// (issue 15): dotenv values as if exported, terraform, aws, gcloud.
void project_targets(Snapshot& s, const Vars& vars, const FileReader& files, const std::string& cwd,
                     std::vector<Target>& out) {
    std::vector<std::string> wanted = s.config.env;
    wanted.push_back("DATABASE_URL");
    DotenvOverlay overlay = resolve_dotenv(vars, cwd, s.config.dotenv, wanted, files, s.warnings);
    s.referenced = overlay.references;
    Vars merged = vars;
    for (const DotenvValue& v : overlay.values) merged[v.name] = v.value;
    std::vector<Target> env = resolve_database_url(merged, s.warnings, &files);
    for (Target& t : resolve_env(merged, s.config.env)) env.push_back(std::move(t));
    for (const DotenvValue& v : overlay.values) attribute_dotenv(env, v);
    for (Target& t : env) out.push_back(std::move(t));
    for (Target& t : overlay.unreadable) out.push_back(std::move(t));
    if (!cwd.empty() && cwd[0] == '/')
        if (auto tf = resolve_terraform(vars, cwd, true, files, s.warnings)) out.push_back(*tf);
    if (auto aws = resolve_aws(vars, cwd, files, s.warnings)) out.push_back(*aws);
    if (auto gcloud = resolve_gcloud(vars, cwd, files, s.warnings)) out.push_back(*gcloud);
}

// The terraform target of a terraform command run in `cwd`.
Target terraform_target(const Vars& vars, const FileReader& files, const std::vector<std::string>& args,
                        const std::string& cwd, std::vector<std::string>& warnings) {
    TerraformCommand cmd = parse_terraform_command(args);
    std::string dir = cwd;
    if (!cmd.chdir.empty()) dir = cmd.chdir[0] == '/' ? cmd.chdir : (cwd == "/" ? "" : cwd) + "/" + cmd.chdir;
    if (dir.empty() || dir[0] != '/') {
        Target t;
        t.kind = Kind::terraform;
        t.set("workspace", "", "");
        t.problems.push_back("the working directory of the terraform command is not known");
        return t;
    }
    Target t = *resolve_terraform(vars, dir, false, files, warnings);
    if (!cmd.chdir.empty()) {
        t.sources.push_back("-chdir");
        t.set("dir", dir, "-chdir");
    }
    if (!cmd.workspace_arg.empty()) t.set("workspace", cmd.workspace_arg, "terraform " + cmd.verb);
    return t;
}

}  // namespace

Snapshot evaluate(const Vars& vars, const FileReader& files, const std::vector<std::string>& command,
                  const KubeconfigLoader* kube_loader, const std::string& cwd, const ListenerSource* listeners) {
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
            append(resolve_pg(vars, psql_params(psql), "psql", psql.given, s.warnings, &files));
            break;
        }
        case Tool::terraform:
            append({terraform_target(vars, files, args, cwd, s.warnings)});
            break;
        case Tool::none:
        case Tool::other: {
            std::vector<std::string> quiet;  // "no kubeconfig" is normal for a terminal
            if (auto kube = resolve_kube(vars, kubeconfigs, {}, false, quiet)) append({*kube});
            for (const std::string& w : quiet)
                if (w.rfind("kube: no ", 0) != 0) s.warnings.push_back(w);
            if (has_pg_environment(vars)) append(resolve_pg(vars, {}, "environment", {}, s.warnings, &files));
            std::vector<Target> more;
            project_targets(s, vars, files, cwd, more);
            append(std::move(more));
            break;
        }
    }
    // Variables the shell could not report whole: unknown, whatever the rest says.
    if (auto cut = get(vars, kUnreportedVariables)) {
        std::size_t start = 0;
        while (start < cut->size()) {
            std::size_t space = cut->find(' ', start);
            std::string name = cut->substr(start, space == std::string::npos ? std::string::npos : space - start);
            start = space == std::string::npos ? cut->size() : space + 1;
            Target t;
            t.kind = Kind::env;
            t.set("name", name, name);
            t.set("value", "(too long to report)", name);
            t.sources.push_back(name);
            t.problems.push_back(name + " was too long for the shell to report (a REPORT is at most 64 KiB)");
            s.warnings.push_back(t.problems.back());
            s.targets.push_back(std::move(t));
        }
    }
    for (Target& t : s.targets) classify(t, s.config);
    if (listeners) {
        TraceInputs inputs{s.config, *listeners, files, kubeconfigs};
        for (Target& t : s.targets) trace_target(t, inputs, s.warnings);
    }
    bool may_be_probed = std::any_of(s.targets.begin(), s.targets.end(),
                                     [](const Target& t) { return t.kind == Kind::pg || t.kind == Kind::kube; });
    if (std::string path = probe_cache_path(vars); may_be_probed && !path.empty()) {
        FileRead cache = files.read(path);
        if (cache.status == FileRead::Status::ok)
            apply_probe_cache(s.targets, s.config, parse_probe_cache(cache.data), s.warnings);
    }
    s.tier = overall_tier(s.targets, s.config);
    return s;
}

}  // namespace sentinel
