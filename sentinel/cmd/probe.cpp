// `sentinel probe`: ask the server behind this terminal's pg target (or,
// with --kube, its cluster) who it is, remember the answer, and optionally
// pin its identity in config.toml.

#include <cstdio>

#include "sentinel/cmd/commands.hpp"
#include "sentinel/core/display/chain.hpp"
#include "sentinel/core/display/format.hpp"
#include "sentinel/core/display/model.hpp"
#include "sentinel/core/pg/args.hpp"
#include "sentinel/core/pg/resolve.hpp"
#include "sentinel/core/pg/settle.hpp"
#include "sentinel/core/reach/server_word.hpp"
#include "sentinel/core/sanitize.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/kube_cache.hpp"
#include "sentinel/io/kube_probe.hpp"
#include "sentinel/io/listeners.hpp"
#include "sentinel/io/pg_probe.hpp"
#include "sentinel/io/probe_store.hpp"
#include "sentinel/io/probing.hpp"

namespace sentinel {
namespace {

int run_probe(const Invocation& inv);

constexpr OptionSpec kProbeOptions[] = {
    {.name = "kube", .value = "", .help = "ask the cluster of the kube target (kubectl get --raw /api/v1/namespaces/kube-system)"},
    {.name = "pin", .value = "TIER", .help = "append an [[identity]] entry for the server reached to config.toml, with this tier"},
    {.name = "json", .value = "", .help = "print the snapshot as JSON (as sentinel status --json) after applying the answer"},
    {.name = "quiet", .value = "", .help = "print nothing; only remember the answer (the agent's background probe)"},
    {.name = "help", .value = "", .help = "print this help"},
};

}  // namespace

const CommandSpec kProbeCommand = {
    .name = "probe",
    .synopsis = "probe [--kube] [--pin TIER] [--json] [-- psql ARGS... | -- kubectl ARGS...]",
    .summary = "ask the server behind a target who it is",
    .help = "Ask the PostgreSQL server behind this terminal's pg target (or the one a psql\n"
            "command line after -- names) who it is: one connection (connect_timeout 3 s;\n"
            "libpq never asks for a password: the one you supplied or ~/.pgpass), reading\n"
            "sentinel.tier, cluster_name, pg_is_in_recovery(), the server address and\n"
            "version and, when the role may, the system identifier. With --kube, ask the\n"
            "cluster for namespace kube-system: its UID and a `sentinel/tier` label or\n"
            "annotation. A declared tier raises the target's tier, never lowers it; the\n"
            "answer is remembered, so `sentinel status` and the prompt show it. --pin\n"
            "TIER appends an [[identity]] entry for that server to config.toml, making\n"
            "every route to it that tier. Exit: 0, 69 unreachable, 78 config or libpq\n"
            "error, 64 usage.",
    .options = kProbeOptions,
    .run = run_probe,
    .takes_command = true,
};

namespace {

// The target asked about, described for the pin's comment.
std::string describe(const Snapshot& s, Kind kind) {
    for (const Target& t : s.targets)
        if (t.kind == kind)
            return std::string(kind_name(kind)) + " " + sanitize(t.display_name()) +
                   (kind == Kind::kube ? ", server " + sanitize(t.get("server")) : "") + ", asked " + utc_now();
    return std::string(kind_name(kind));
}

Result<ServerWord> ask(const Snapshot& s, Kind kind, const std::vector<std::string>& command, const Vars& vars) {
    if (kind == Kind::kube) {
        for (const Target& t : s.targets) {
            if (t.kind != Kind::kube) continue;
            if (!t.problems.empty()) return Error{"", 0, 0, "the kube target has problems: " + t.problems.front()};
            return probe_kube(command[0], t);
        }
        return Error{"", 0, 0, "no kube target (no current context)"};
    }
    std::vector<std::string> args(command.begin() + 1, command.end());
    auto pinned = settle_connection(vars, psql_params(parse_psql_args(args)));
    if (!pinned) return Error{"", 0, 0, "libpq cannot settle the connection: " + pinned.error().message};
    return probe_pg(*pinned);
}

int run_probe(const Invocation& inv) {
    Kind kind = inv.has("kube") ? Kind::kube : Kind::pg;
    std::vector<std::string> command = inv.rest;
    if (command.empty()) command = {kind == Kind::kube ? "kubectl" : "psql"};
    Tool tool = tool_of(command);
    if ((kind == Kind::kube) != (tool == Tool::kubectl) || (kind == Kind::pg && tool != Tool::psql)) {
        std::fprintf(stderr, "sentinel: error: probe takes `-- psql ARGS` (or, with --kube, `-- kubectl ARGS`)\n");
        return kExitUsage;
    }
    std::vector<std::string> eval_cmd = command;
    eval_cmd[0] = kind == Kind::kube ? "kubectl" : "psql";
    Vars vars = environment_vars();
    PosixFileReader files;
    CachingKubeconfigLoader kubeconfigs(files, kube_cache_dir(vars));
    std::string cwd = current_directory();
    SystemListeners listeners(socket_cache_path(vars));
    Snapshot s = evaluate(vars, files, eval_cmd, &kubeconfigs, cwd, &listeners);
    for (const std::string& e : s.config.errors) std::fprintf(stderr, "sentinel: error: %s\n", sanitize(e).c_str());
    Result<ServerWord> word = ask(s, kind, command, vars);
    if (!word) {
        std::fprintf(stderr, "sentinel: error: probe: %s\n", sanitize(word.error().to_string()).c_str());
        return kExitUnavailable;
    }
    apply_probe(s, kind, *word, vars);
    if (inv.has("pin")) {
        auto entry = identity_entry(*word, kind, inv.options.at("pin"), describe(s, kind), s.config);
        auto path = entry ? append_identity(vars, *entry) : Result<std::string>(entry.error());
        if (!path) {
            std::fprintf(stderr, "sentinel: error: pin: %s\n", sanitize(path.error().to_string()).c_str());
            return kExitConfig;
        }
        if (!inv.has("quiet") && !inv.has("json"))
            std::printf("pinned as %s in %s\n", sanitize(inv.options.at("pin")).c_str(), sanitize(*path).c_str());
        s = evaluate(vars, files, eval_cmd, &kubeconfigs, cwd, &listeners);  // the new pin and the remembered answer
    }
    if (inv.has("quiet")) return kExitOk;
    Display display = make_display(s);
    std::string text;
    if (inv.has("json")) {
        text = format_json(s, display);
    } else {
        for (const Target& t : s.targets)
            if (t.kind == kind && t.server) text = "server said: " + format_server_word(t) + "\n";
        text += format_plain(s, display, false);
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
    return s.config.errors.empty() ? kExitOk : kExitConfig;
}

}  // namespace
}  // namespace sentinel
