#include "sentinel/core/reach/trace.hpp"

#include <algorithm>
#include <set>

#include "sentinel/core/classify.hpp"
#include "sentinel/core/kube/resolve.hpp"
#include "sentinel/core/reach/rank.hpp"

namespace sentinel {
namespace {

// The hops found from one endpoint and the most dangerous tier among them.
struct Chain {
    std::vector<Hop> hops;
    Tier tier = Tier::none();  // none when nothing listens
};

struct Walk {
    const TraceInputs& in;
    std::vector<std::string>& warnings;
    std::set<std::uint64_t> seen;  // socket inodes on the way, against loops
};

// `local` is the target whose endpoint this is: its kind is what a
// forwarder's remote side is taken to be; its dbname and user carry over.
Chain follow(Walk& walk, const Endpoint& endpoint, const Target& local, int depth);

std::string absolute(const std::string& path, const std::string& cwd) {
    if (path.empty() || path[0] == '/' || cwd.empty()) return path;
    return cwd == "/" ? "/" + path : cwd + "/" + path;
}

// The forwarder's KUBECONFIG with each relative entry made absolute against
// its working directory, as kubectl running there opens them.
Vars forwarder_vars(Vars vars, const std::string& cwd) {
    auto it = vars.find("KUBECONFIG");
    if (it == vars.end() || cwd.empty()) return vars;
    std::string out;
    std::size_t start = 0;
    for (;;) {
        std::size_t colon = it->second.find(':', start);
        out += absolute(it->second.substr(start, colon == std::string::npos ? colon : colon - start), cwd);
        if (colon == std::string::npos) break;
        out += ':';
        start = colon + 1;
    }
    it->second = out;
    return vars;
}

Hop unknown_hop(const std::string& listen, const std::string& why) {
    Hop h;
    h.kind = "unknown";
    h.listen = listen;
    h.tier = Tier::unknown();
    h.problems.push_back(why);
    h.rule = "problem: " + why;
    return h;
}

// kubectl: the forwarder's own kube target, resolved as kubectl would in its
// environment and directory. Returns the target (problems set when it
// cannot be resolved).
Target resolve_forwarder_kube(const Forward& f, const Listener& l, Walk& walk) {
    KubeOverrides overrides = f.kube.value_or(KubeOverrides{});
    if (overrides.kubeconfig) overrides.kubeconfig = absolute(*overrides.kubeconfig, l.cwd);
    std::vector<std::string> notes;
    if (!l.env_known && !overrides.kubeconfig) {
        Target t;
        t.kind = Kind::kube;
        t.problems.push_back("its environment (KUBECONFIG) cannot be read");
        return t;
    }
    Vars vars = forwarder_vars(l.env, l.cwd);
    std::optional<Target> t = resolve_kube(vars, walk.in.kubeconfigs, overrides, true, notes);
    for (const std::string& n : notes)
        walk.warnings.push_back(f.kind + " (pid " + std::to_string(l.pid) + "): " + n);
    return t ? *t : Target{};
}

// Fills what a Forward needs from outside its command line: `ssh -G`, the
// pgbouncer ini.
void complete(Forward& f, const Listener& l, const Endpoint& endpoint, const Target& local, Walk& walk) {
    if (f.program == "ssh") {
        auto config = walk.in.listeners.ssh_config(f.ssh_args, l.cwd, l.identity());
        if (config) apply_ssh_config(f, *config, l.port, endpoint.path);
        else walk.warnings.push_back("ssh (pid " + std::to_string(l.pid) + "): ssh -G: " + config.error().message);
        if (!f.problems.empty()) f.goal = Forward::Goal::unknown;
    } else if (f.program == "pgbouncer" && f.goal == Forward::Goal::remote) {
        std::string path = absolute(f.pgbouncer_ini, l.cwd);
        if (path.empty() || path[0] != '/') {
            f.goal = Forward::Goal::unknown;
            f.problems.push_back("its configuration file is relative and its directory cannot be read");
            return;
        }
        FileRead r = walk.in.files.read(path);
        if (r.status != FileRead::Status::ok) {
            f.goal = Forward::Goal::unknown;
            f.problems.push_back("its configuration file cannot be read (" +
                                 (r.status == FileRead::Status::missing ? std::string("missing") : r.reason) + ")");
            return;
        }
        apply_pgbouncer_ini(f, r.data, local.get("dbname"));
    }
}

// A forwarder reaches something that runs from this machine: its remote
// side, when on loopback, is this machine's loopback too.
bool runs_here(const Forward& f) {
    if (f.program != "ssh") return true;
    return !loopback_addresses(f.get("ssh_hostname")).empty();
}

void classify_reached(Hop& h, Target reached, const Config& config) {
    if (!h.problems.empty()) reached.problems = h.problems;
    classify(reached, config);
    h.tier = reached.tier;
    h.rule = reached.rule;
}

// What a listener's command line (or, unseen, its owner's) says it forwards to.
Forward forward_of(const Listener& l, const Endpoint& endpoint) {
    Forward f;
    switch (l.seen) {
        case Listener::Seen::process: {
            auto pgdata = l.env.find("PGDATA");
            return recognise(l.argv, l.port, endpoint.path, pgdata == l.env.end() ? "" : pgdata->second);
        }
        case Listener::Seen::hidden: return attribute_hidden(l);
        case Listener::Seen::orphan: break;
    }
    f.kind = f.program = "unknown";
    f.command = "(no visible process)";
    f.problems.push_back("no process you can see holds this socket (another PID namespace, a container or the kernel)");
    return f;
}

// Classifies what `f` reaches into `h` and says where to follow next (a
// target on this machine again), if anywhere.
std::optional<Endpoint> reach(Walk& walk, const Forward& f, const Listener& l, const Target& local, Hop& h,
                              Target& next_local) {
    switch (f.goal) {
        case Forward::Goal::local:
            h.tier = Tier("local");
            h.rule = f.program == "postgres" ? "built-in: a PostgreSQL server on this machine"
                                             : "built-in: a container on this machine (docker-proxy)";
            return std::nullopt;
        case Forward::Goal::unknown:
            h.tier = Tier::unknown();
            h.rule = "problem: " + (h.problems.empty() ? std::string("not recognised") : h.problems.front());
            return std::nullopt;
        case Forward::Goal::kube: {
            Target kube = resolve_forwarder_kube(f, l, walk);
            for (const char* key : {"context", "cluster", "server", "namespace", "user"})
                if (!kube.get(key).empty()) h.reached.push_back({key, kube.get(key), "its kubeconfig"});
            for (const std::string& p : kube.problems) h.problems.push_back(p);
            for (const Field& field : f.reached) kube.set(field.name, field.value, field.origin);
            kube.set("via", f.program, "listener");
            classify_reached(h, kube, walk.in.config);
            next_local = kube;
            return kube_endpoint(kube);
        }
        case Forward::Goal::remote: {
            next_local = reached_target(f, local);
            classify_reached(h, next_local, walk.in.config);
            if (!runs_here(f)) return std::nullopt;
            return local.kind == Kind::kube ? kube_endpoint(next_local) : pg_endpoint(next_local);
        }
    }
    return std::nullopt;
}

Chain hop_chain(Walk& walk, const Listener& l, const Endpoint& endpoint, const Target& local, int depth) {
    Forward f = forward_of(l, endpoint);
    complete(f, l, endpoint, local, walk);
    Hop h;
    h.kind = f.kind;
    h.listen = l.listen;
    h.pid = l.pid;
    h.uid = l.uid;
    h.command = f.command;
    h.identity = l.identity();
    h.problems = f.problems;
    h.reached = f.reached;
    Target next_local;
    std::optional<Endpoint> next = reach(walk, f, l, local, h, next_local);
    Chain chain;
    chain.tier = h.tier;
    chain.hops.push_back(std::move(h));
    if (next && f.goal != Forward::Goal::unknown) {
        Chain deeper = follow(walk, *next, next_local, depth + 1);
        chain.tier = more_dangerous(walk.in.config, chain.tier, deeper.tier);
        for (Hop& d : deeper.hops) chain.hops.push_back(std::move(d));
    }
    return chain;
}

Chain follow(Walk& walk, const Endpoint& endpoint, const Target& local, int depth) {
    Chain best;
    if (depth >= kMaxHops) {
        best.hops.push_back(unknown_hop(endpoint.name, "more than " + std::to_string(kMaxHops) + " forwarders in a row"));
        best.tier = Tier::unknown();
        return best;
    }
    Lookup lookup = walk.in.listeners.lookup(endpoint);
    if (!lookup.error.empty()) {
        best.hops.push_back(unknown_hop(endpoint.name, "the listening sockets cannot be read: " + lookup.error));
        best.tier = Tier::unknown();
        return best;
    }
    if (lookup.listeners.empty()) {
        walk.warnings.push_back((local.kind == Kind::kube ? "kube" : "pg") + std::string(": nothing listens on ") +
                                endpoint.name + " (its rule's tier stays)");
        return best;
    }
    for (const Listener& l : lookup.listeners) {
        Chain chain;
        if (!walk.seen.insert(l.inode).second) {
            chain.hops.push_back(unknown_hop(l.listen, "a forwarding loop"));
            chain.tier = Tier::unknown();
        } else {
            chain = hop_chain(walk, l, endpoint, local, depth);
        }
        if (best.hops.empty() || more_dangerous(walk.in.config, best.tier, chain.tier) != best.tier) best = std::move(chain);
    }
    if (lookup.listeners.size() > 1)
        walk.warnings.push_back(std::to_string(lookup.listeners.size()) + " sockets answer on " + endpoint.name +
                                "; the most dangerous of them counts");
    return best;
}

}  // namespace

Forward attribute_hidden(const Listener& l) {
    for (const ProcessCommand& c : l.owner_commands) {
        ProgramArgs p = program_of(c.argv);
        if (p.program != "docker-proxy" || l.port == 0) continue;
        for (std::size_t i = 0; i + 1 < p.args.size(); ++i) {
            std::string flag = p.args[i].rfind("--", 0) == 0 ? p.args[i].substr(1) : p.args[i];
            if (flag == "-host-port" && parse_port(p.args[i + 1]) == l.port) {
                Forward f = docker_proxy_forward(p.args);
                f.command += " (pid " + std::to_string(c.pid) + ", by its command line)";
                return f;
            }
        }
    }
    bool all_postgres = l.owner_commands_complete && !l.owner_commands.empty() &&
                        std::all_of(l.owner_commands.begin(), l.owner_commands.end(),
                                    [](const ProcessCommand& c) { return is_postgres_command(c.argv); });
    if (all_postgres) {
        Forward f = recognise({"postgres"}, l.port, "");
        f.command = "postgres (uid " + std::to_string(l.uid) + ", which runs only PostgreSQL)";
        return f;
    }
    Forward f;
    f.kind = f.program = "unknown";
    f.command = "(a process of uid " + std::to_string(l.uid) + ")";
    f.problems.push_back("the listening process (uid " + std::to_string(l.uid) +
                         ") cannot be seen: its /proc entries are closed to you");
    return f;
}

Target reached_target(const Forward& f, const Target& local) {
    Target t;
    t.kind = local.kind;
    std::string host = f.get("remote_host");
    if (f.program == "ssh" && !loopback_addresses(host).empty() && loopback_addresses(f.get("ssh_hostname")).empty())
        host = f.get("ssh_hostname");
    if (local.kind == Kind::kube) {
        std::string scheme = local.get("server").rfind("http://", 0) == 0 ? "http://" : "https://";
        if (!host.empty()) {
            std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
            t.set("server", scheme + shown + ":" + f.get("remote_port"), f.kind);
        }
    } else {
        std::string port = f.get("remote_port");
        const std::string& socket = f.get("remote_socket");
        if (!socket.empty()) {
            std::size_t slash = socket.rfind('/');
            host = slash == 0 ? "/" : socket.substr(0, slash);
            std::size_t dot = socket.rfind(".s.PGSQL.");
            port = dot == std::string::npos ? "5432" : socket.substr(dot + 9);
        }
        t.set("service", "", "");
        t.set("host", host, f.kind);
        t.set("port", port.empty() ? "5432" : port, f.kind);
        t.set("dbname", f.get("remote_dbname").empty() ? local.get("dbname") : f.get("remote_dbname"), f.kind);
        t.set("user", local.get("user"), local.find("user") ? local.find("user")->origin : "");
    }
    for (const Field& field : f.reached) t.set(field.name, field.value, field.origin);
    t.set("via", f.program, "listener");
    if (!f.problems.empty()) t.problems = f.problems;
    return t;
}

void trace_target(Target& target, const TraceInputs& inputs, std::vector<std::string>& warnings) {
    std::optional<Endpoint> endpoint = target.kind == Kind::pg ? pg_endpoint(target) : kube_endpoint(target);
    if (!endpoint) return;
    Walk walk{inputs, warnings, {}};
    Chain chain = follow(walk, *endpoint, target, 0);
    if (chain.hops.empty()) return;
    target.via = std::move(chain.hops);
    Tier combined = more_dangerous(inputs.config, target.tier, chain.tier);
    if (combined == target.tier) return;
    // The hop that decided: the first whose own tier is the combined one.
    const Hop* decider = &target.via.front();
    for (const Hop& h : target.via)
        if (h.tier == chain.tier) {
            decider = &h;
            break;
        }
    target.tier = combined;
    target.rule = "through " + decider->kind + (decider->pid ? " (pid " + std::to_string(decider->pid) + ")" : "") +
                  ": " + decider->rule;
}

}  // namespace sentinel
