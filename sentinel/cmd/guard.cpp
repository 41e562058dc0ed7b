// `sentinel guard`: decide, ask when needed, then exec the command with the
// confirmed target pinned.

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "sentinel/cmd/commands.hpp"
#include "sentinel/core/guard/describe.hpp"
#include "sentinel/core/guard/pin.hpp"
#include "sentinel/io/agent_ask.hpp"
#include "sentinel/io/exec.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/confirmation.hpp"
#include "sentinel/io/tty.hpp"
#include "sentinel/core/kube/verbs.hpp"
#include "sentinel/core/pg/args.hpp"
#include "sentinel/core/sanitize.hpp"
#include "sentinel/core/terraform/verbs.hpp"

namespace sentinel {
namespace {

// SQL piped into psql is read whole to classify it; past this it is refused.
constexpr std::size_t kMaxStdinSql = 64u << 20;
constexpr int kAttempts = 3;
// How long the guard waits for the agent's fast answer before it evaluates
// itself (a stopped agent must not hold a command up for long).
constexpr int kAgentTimeoutMs = 250;

int run_guard(const Invocation& inv);

constexpr OptionSpec kGuardOptions[] = {
    {.name = "tool", .value = "TOOL", .help = "psql, kubectl, helm, terraform or auto (default: from the program's name)"},
    {.name = "write", .value = "", .help = "psql: interactive session with write access, asked first (else read-only); or psql --write"},
    {.name = "timeout", .value = "SECONDS", .help = "how long the question waits for an answer (default 60)"},
    {.name = "help", .value = "", .help = "print this help"},
};

}  // namespace

const CommandSpec kGuardCommand = {
    .name = "guard",
    .synopsis = "guard [--tool psql|kubectl|helm|terraform|auto] [--write] [--timeout=SECONDS] -- CMD ARGS...",
    .help = "Run CMD after checking what it would act on. A tier with policy none runs\n"
            "silently; reads pass (SELECT, kubectl get, helm list, ...); on a guarded tier\n"
            "(production; unknown and broken configurations count as production) the\n"
            "target and action are shown on /dev/tty and the person types the target's\n"
            "name (policy type-name) or \"yes\". CMD then runs pinned to the confirmed\n"
            "target: psql gets the resolved connection as one -d conninfo (no service file\n"
            "is read again), kubectl --context/--cluster/--user, helm --kube-context,\n"
            "terraform TF_WORKSPACE.\n"
            "Without a terminal it refuses unless SENTINEL_CONFIRM names the exact target\n"
            "(that one call only). Every question, confirmation, refusal and override is\n"
            "audited. Exit: 77 refused, 78 config error, 64 usage, otherwise CMD's own.",
    .options = kGuardOptions,
    .run = run_guard,
};

namespace {

// The pg targets of a psql snapshot match the settled connection, or
// (after a few tries) an error.
Result<PinnedSnapshot> evaluate_psql(const Vars& vars, const std::vector<std::string>& eval_cmd, const ConnParams& params,
                                PinnedConnection& pinned) {
    std::string error;
    for (int i = 0; i < kAttempts; ++i) {
        auto settled = settle_connection(vars, params);
        if (!settled) {
            error = settled.error().message;
            continue;
        }
        PinnedConnection conn = std::move(settled.value());
        Snapshot s = evaluate(vars, PosixFileReader(), eval_cmd);
        if (!pin_matches(s.targets, conn)) {
            error = "the connection changed while it was being resolved";
            continue;
        }
        std::string pin;
        for (const auto& [k, v] : conn.params) pin += std::to_string(k.size()) + k + std::to_string(v.size()) + v;
        pin += "|" + conn.options + "|" + (conn.password ? "p" + *conn.password : "-");
        pinned = std::move(conn);
        return PinnedSnapshot{std::move(s), std::move(pin)};
    }
    return Error{"", 0, 0, "psql connection: " + error};
}

int exec_plain(const std::vector<std::string>& argv) { return exec_command(argv, {}, {kOverrideVariable}); }

// The agent, when one runs, says whether `eval_cmd` runs without a question
// (policy none, a kubectl read); anything else is checked here as if there
// were no agent.
bool agent_says_run(const std::vector<std::string>& eval_cmd, const Vars& vars) {
    return agent_runs_unasked(eval_cmd, vars, kAgentTimeoutMs).value_or(false);
}

int guard_psql(const Invocation& inv, const Vars& vars, const std::vector<std::string>& argv, ConfirmRequest& req) {
    std::vector<std::string> args(argv.begin() + 1, argv.end());
    PsqlCommandLine cmd = parse_psql_command_line(args);
    cmd.write = cmd.write || inv.has("write");
    std::vector<std::string> plain = {argv[0]};
    plain.insert(plain.end(), cmd.args.begin(), cmd.args.end());
    if (cmd.info_only) return exec_plain(plain);

    std::vector<std::string> eval_cmd = plain;
    eval_cmd[0] = "psql";
    if (agent_says_run(eval_cmd, vars)) return exec_plain(plain);
    Snapshot first = evaluate(vars, PosixFileReader(), eval_cmd);
    if (decide(first, Action{}, true, std::nullopt).policy == Policy::none) return exec_plain(plain);

    bool interactive = psql_interactive(cmd, stdin_is_tty());
    std::optional<std::string> stdin_sql;
    bool reads_stdin = (cmd.sql.empty() && !cmd.list && !interactive) ||
                       std::any_of(cmd.sql.begin(), cmd.sql.end(), [](const PsqlSql& s) { return s.file && s.text == "-"; });
    if (reads_stdin) {
        std::string data;
        if (capture_stdin(data, kMaxStdinSql)) stdin_sql = std::move(data);
        else {
            std::fprintf(stderr, "sentinel: refused: SQL on stdin is unreadable or larger than %zu MiB; use psql -f\n",
                         kMaxStdinSql >> 20);
            return kExitRefused;
        }
    }
    SqlReader read_file = [](const std::string& path) -> std::optional<std::string> {
        FileRead r = PosixFileReader().read(path);
        if (r.status != FileRead::Status::ok) return std::nullopt;
        return r.data;
    };
    req.action = psql_action(cmd, interactive, read_file, stdin_sql);

    ConnParams params = psql_params(cmd.conn);
    PinnedConnection pinned;
    req.evaluate = [&]() { return evaluate_psql(vars, eval_cmd, params, pinned); };
    ConfirmOutcome outcome = run_confirmation(req);
    if (!outcome.go) return outcome.exit_code;
    Display display = make_display(outcome.evaluated.snapshot);
    bool guarded = outcome.decision.policy != Policy::none;
    PinnedCommand pc = pin_psql(argv[0], cmd, pinned, interactive && guarded && !cmd.write,
                                interactive && guarded ? &display : nullptr);
    return exec_command(pc.argv, pc.set_env, pc.unset_env);
}

int guard_kube(Tool tool, const Vars& vars, const std::vector<std::string>& argv, ConfirmRequest& req) {
    std::vector<std::string> args(argv.begin() + 1, argv.end());
    std::vector<std::string> eval_cmd = argv;
    eval_cmd[0] = tool == Tool::helm ? "helm" : "kubectl";
    if (agent_says_run(eval_cmd, vars)) return exec_plain(argv);
    req.action = kube_action(tool, args);
    req.evaluate = [&]() -> Result<PinnedSnapshot> { return PinnedSnapshot{evaluate(vars, PosixFileReader(), eval_cmd), ""}; };
    ConfirmOutcome outcome = run_confirmation(req);
    if (!outcome.go) return outcome.exit_code;
    if (outcome.decision.verdict == Decision::Verdict::run) return exec_plain(argv);
    const Snapshot& s = outcome.evaluated.snapshot;
    if (outcome.decision.target < 0) return exec_plain(argv);
    const Target& target = s.targets[static_cast<std::size_t>(outcome.decision.target)];
    KubeVerb verb = tool == Tool::helm ? find_helm_verb(args) : find_kubectl_verb(args);
    std::string kubeconfig_env;
    std::vector<std::string> pinned =
        pin_kube(tool, argv, verb.index < args.size() ? verb.index + 2 : 1, target, parse_kube_args(args), kubeconfig_env);
    std::vector<std::pair<std::string, std::string>> set_env;
    if (!kubeconfig_env.empty()) set_env.emplace_back("KUBECONFIG", kubeconfig_env);
    return exec_command(pinned, set_env, {kOverrideVariable});
}

// terraform: reads pass; a write on a guarded tier asks, then runs with the
// confirmed workspace in TF_WORKSPACE, so that a `terraform workspace
// select` elsewhere in the meantime cannot send it to another workspace.
int guard_terraform(const Vars& vars, const std::vector<std::string>& argv, ConfirmRequest& req) {
    std::vector<std::string> args(argv.begin() + 1, argv.end());
    std::vector<std::string> eval_cmd = argv;
    eval_cmd[0] = "terraform";
    if (agent_says_run(eval_cmd, vars)) return exec_plain(argv);
    std::string cwd = current_directory();
    TerraformCommand cmd = parse_terraform_command(args);
    req.action = terraform_action(args);
    req.evaluate = [&]() -> Result<PinnedSnapshot> {
        return PinnedSnapshot{evaluate(vars, PosixFileReader(), eval_cmd, nullptr, cwd), ""};
    };
    ConfirmOutcome outcome = run_confirmation(req);
    if (!outcome.go) return outcome.exit_code;
    if (outcome.decision.verdict == Decision::Verdict::run || !cmd.pin_workspace || outcome.decision.target < 0)
        return exec_plain(argv);
    const Target& t = outcome.evaluated.snapshot.targets[static_cast<std::size_t>(outcome.decision.target)];
    return exec_command(argv, {{"TF_WORKSPACE", t.get("workspace")}}, {kOverrideVariable});
}

int run_guard(const Invocation& inv) {
    if (inv.rest.empty()) {
        std::fprintf(stderr, "sentinel: error: guard needs a command after --\n%s", command_help(kGuardCommand).c_str());
        return kExitUsage;
    }
    std::string tool_name = inv.has("tool") ? inv.options.at("tool") : "auto";
    Tool tool;
    if (tool_name == "auto") tool = tool_of(inv.rest);
    else if (tool_name == "psql") tool = Tool::psql;
    else if (tool_name == "kubectl") tool = Tool::kubectl;
    else if (tool_name == "helm") tool = Tool::helm;
    else if (tool_name == "terraform") tool = Tool::terraform;
    else {
        std::fprintf(stderr, "sentinel: error: unknown tool \"%s\" (psql, kubectl, helm, terraform, auto)\n",
                     sanitize(tool_name).c_str());
        return kExitUsage;
    }
    std::optional<int> timeout = question_timeout(inv);
    if (!timeout) return kExitUsage;
    Vars vars = environment_vars();
    ConfirmRequest req = confirm_request(vars);
    req.timeout_seconds = *timeout;
    const std::vector<std::string>& argv = inv.rest;
    switch (tool) {
        case Tool::psql: return guard_psql(inv, vars, argv, req);
        case Tool::kubectl:
        case Tool::helm: return guard_kube(tool, vars, argv, req);
        case Tool::terraform: return guard_terraform(vars, argv, req);
        case Tool::none:
        case Tool::other: break;
    }
    if (agent_says_run(argv, vars)) return exec_plain(argv);
    req.action = other_action(argv);
    std::string cwd = current_directory();
    req.evaluate = [&]() -> Result<PinnedSnapshot> {
        return PinnedSnapshot{evaluate(vars, PosixFileReader(), argv, nullptr, cwd), ""};
    };
    ConfirmOutcome outcome = run_confirmation(req);
    if (!outcome.go) return outcome.exit_code;
    return exec_plain(argv);
}

}  // namespace
}  // namespace sentinel
