#include "sentinel/core/kube/resolve.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "sentinel/core/kube/kubeconfig.hpp"

namespace sentinel {
namespace {

struct Loaded {
    std::string path;
    Kubeconfig config;
};

std::string where(const std::string& path, Pos pos) {
    if (pos.line == 0) return path;
    return path + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.col);
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

// First file (in precedence order) whose `member` map has `name`.
template <class Entry>
const Loaded* first_defining(const std::vector<Loaded>& loaded, const std::string& name,
                             std::map<std::string, Entry, std::less<>> Kubeconfig::*member, const Entry** entry) {
    for (const Loaded& l : loaded) {
        auto it = (l.config.*member).find(name);
        if (it != (l.config.*member).end()) {
            *entry = &it->second;
            return &l;
        }
    }
    return nullptr;
}

// How the user spelled a flag that has two names ("-n" or "--namespace").
std::string last_spelling(const KubeOverrides& overrides, std::string_view a, std::string_view b) {
    for (auto it = overrides.given.rbegin(); it != overrides.given.rend(); ++it)
        if (*it == a || *it == b) return *it;
    return std::string(a);
}

}  // namespace

std::vector<std::string> kubeconfig_paths(const Vars& vars, const KubeOverrides& overrides) {
    if (overrides.kubeconfig) return {*overrides.kubeconfig};
    std::vector<std::string> paths;
    auto env = get(vars, "KUBECONFIG");
    if (env && !env->empty()) {
        std::unordered_set<std::string_view> seen;
        std::size_t start = 0;
        // One past the limit is enough for resolve_kube to say it is exceeded.
        while (start <= env->size() && paths.size() <= kMaxKubeconfigFiles) {
            std::size_t colon = env->find(':', start);
            if (colon == std::string::npos) colon = env->size();
            std::string_view entry = std::string_view(*env).substr(start, colon - start);
            if (!entry.empty() && seen.insert(entry).second) paths.emplace_back(entry);
            start = colon + 1;
        }
        return paths;
    }
    auto home = get(vars, "HOME");
    if (home && !home->empty()) paths.push_back(*home + "/.kube/config");
    return paths;
}

std::optional<Target> resolve_kube(const Vars& vars, const KubeconfigLoader& loader, const KubeOverrides& overrides,
                                   bool command_given, std::vector<std::string>& warnings) {
    Target t;
    t.kind = Kind::kube;
    if (overrides.kubeconfig) t.sources.push_back("--kubeconfig");
    else if (auto env = get(vars, "KUBECONFIG"); env && !env->empty()) t.sources.push_back("KUBECONFIG");
    for (const std::string& flag : overrides.given)
        if (flag != "--kubeconfig") add_unique(t.sources, flag);

    std::vector<std::string> paths = kubeconfig_paths(vars, overrides);
    if (paths.size() > kMaxKubeconfigFiles) {
        std::string why = "KUBECONFIG lists more than " + std::to_string(kMaxKubeconfigFiles) + " files";
        warnings.push_back(why);
        t.problems.push_back(why);
        paths.resize(kMaxKubeconfigFiles);
    }

    std::vector<Loaded> loaded;
    for (const std::string& path : paths) {
        LoadedKubeconfig file = loader.load(path);
        if (file.status == FileRead::Status::missing) {
            if (overrides.kubeconfig) {
                std::string why = path + ": --kubeconfig names a file that does not exist";
                warnings.push_back(why);
                t.problems.push_back(why);
            } else if (t.sources.size() && t.sources[0] == "KUBECONFIG") {
                warnings.push_back(path + ": KUBECONFIG names a file that does not exist (skipped, as kubectl does)");
            }
            continue;
        }
        if (file.status == FileRead::Status::error) {
            warnings.push_back(file.error);
            t.problems.push_back(file.error);
            continue;
        }
        loaded.push_back({path, std::move(file.config)});
    }

    if (loaded.empty() && t.problems.empty()) {
        if (!command_given) {
            warnings.push_back("kube: no kubeconfig");
            return std::nullopt;
        }
        t.problems.push_back("no kubeconfig: " + (paths.empty() ? std::string("HOME is not set") :
                             paths.size() == 1 ? paths[0] + " does not exist" : "none of the KUBECONFIG files exists"));
    }

    std::string context_name;
    std::string context_origin;
    if (overrides.context) {
        context_name = *overrides.context;
        context_origin = "--context";
    } else {
        for (const Loaded& l : loaded) {
            if (l.config.current_context) {
                context_name = l.config.current_context->value;
                context_origin = where(l.path, l.config.current_context->pos);
                add_unique(t.files, l.path);
                break;
            }
        }
    }
    // Without a context kubectl still works when --cluster and --user name
    // what it needs; otherwise it falls back to http://localhost:8080.
    bool flags_suffice = overrides.cluster && overrides.user;
    if (context_name.empty() && !flags_suffice) {
        if (!command_given && t.problems.empty()) {
            warnings.push_back("kube: no current-context");
            return std::nullopt;
        }
        if (!loaded.empty()) t.problems.push_back("no current-context is set");
        t.set("context", "", "");
        return t;
    }
    t.set("context", context_name, context_origin);

    static const KubeContext kNoContext;
    const KubeContext* context = &kNoContext;
    const Loaded* context_file = nullptr;
    if (!context_name.empty()) {
        context_file = first_defining(loaded, context_name, &Kubeconfig::contexts, &context);
        if (!context_file) {
            std::string why = "context \"" + context_name + "\" is not defined in any kubeconfig file";
            if (!loaded.empty() || t.problems.empty()) t.problems.push_back(why);
            warnings.push_back("kube: " + why + " (from " + context_origin + ")");
            return t;
        }
        add_unique(t.files, context_file->path);
    }
    std::string context_path = context_file ? context_file->path : std::string("--context");

    auto pick = [&](const std::optional<std::string>& flag, const char* flag_name, const Located& from_context) {
        if (flag) return std::pair{*flag, std::string(flag_name)};
        return std::pair{from_context.value, where(context_path, from_context.pos)};
    };
    auto [cluster_name, cluster_origin] = pick(overrides.cluster, "--cluster", context->cluster);
    auto [user_name, user_origin] = pick(overrides.user, "--user", context->user);
    auto [ns, ns_origin] = pick(overrides.namespace_, "-n", context->namespace_);
    if (overrides.namespace_) ns_origin = last_spelling(overrides, "-n", "--namespace");
    if (ns.empty()) {
        ns = "default";
        ns_origin = "default";
    }

    t.set("cluster", cluster_name, cluster_origin);
    const KubeCluster* cluster = nullptr;
    const Loaded* cluster_file = cluster_name.empty() ? nullptr
                                 : first_defining(loaded, cluster_name, &Kubeconfig::clusters, &cluster);
    std::string server;
    std::string server_origin;
    if (cluster_file) {
        add_unique(t.files, cluster_file->path);
        if (cluster->server) {
            server = cluster->server->value;
            server_origin = where(cluster_file->path, cluster->server->pos);
        }
    }
    if (overrides.server) {
        server = *overrides.server;
        server_origin = "--server";
    }
    t.set("server", server, server_origin);
    t.set("namespace", ns, ns_origin);
    t.set("user", user_name, user_origin);

    if (cluster_name.empty() && !overrides.server) {
        t.problems.push_back("context \"" + context_name + "\" names no cluster");
    } else if (!cluster_name.empty() && !cluster_file && !overrides.server) {
        t.problems.push_back("cluster \"" + cluster_name + "\" is not defined in any kubeconfig file");
        warnings.push_back(where(context_path, context->cluster.pos) + ": context \"" + context_name +
                           "\" names cluster \"" + cluster_name + "\", which is not defined");
    } else if (server.empty()) {
        t.problems.push_back("cluster \"" + cluster_name + "\" has no server");
        warnings.push_back(where(cluster_file->path, cluster->pos) + ": cluster \"" + cluster_name +
                           "\" has no server");
    }
    if (!user_name.empty()) {
        const KubeUser* user = nullptr;
        const Loaded* user_file = first_defining(loaded, user_name, &Kubeconfig::users, &user);
        if (user_file) {
            add_unique(t.files, user_file->path);
        } else {
            t.problems.push_back("user \"" + user_name + "\" is not defined in any kubeconfig file");
            warnings.push_back(where(context_path, context->user.pos) + ": context \"" + context_name +
                               "\" names user \"" + user_name + "\", which is not defined");
        }
    }
    return t;
}

}  // namespace sentinel
