// `sentinel guard`: decide, ask when needed, then exec the command with the
// confirmed target pinned.

#include <unistd.h>

#include <algorithm>
#include <functional>
#include <map>
#include <cstdio>
#include <cstdlib>

#include "sentinel/cmd/commands.hpp"
#include "sentinel/core/guard/describe.hpp"
#include "sentinel/core/guard/pin.hpp"
#include "sentinel/io/agent_ask.hpp"
#include "sentinel/io/audit.hpp"
#include "sentinel/io/exec.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/confirmation.hpp"
#include "sentinel/io/kube_probe.hpp"
#include "sentinel/io/listeners.hpp"
#include "sentinel/io/pg_probe.hpp"
#include "sentinel/io/probing.hpp"
#include "sentinel/io/tty.hpp"
#include "sentinel/core/config/undo.hpp"
#include "sentinel/core/guard/banner.hpp"
#include "sentinel/core/undo/plan.hpp"
#include "sentinel/io/preview.hpp"
#include "sentinel/io/undo_run.hpp"
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
    {.name = "tool", .value = "TOOL", .help = "psql, kubectl, helm, terraform or auto (default: from the program's name)",
     .values = "psql kubectl helm terraform auto"},
    {.name = "write", .value = "", .help = "psql: interactive session with write access, asked first (else read-only); or psql --write"},
    {.name = "timeout", .value = "SECONDS", .help = "how long the question waits for an answer (default 60)"},
    {.name = "dry-run", .value = "", .help = "print the preview and the decision, run nothing (exit 0, any tier)"},
    {.name = "help", .value = "", .help = "print this help"},
};

}  // namespace

const CommandSpec kGuardCommand = {
    .name = "guard",
    .synopsis = "guard [--tool psql|kubectl|helm|terraform|auto] [--write] [--timeout=SECONDS] [--dry-run] -- CMD ARGS...",
    .summary = "ask before a command acts on production, then run it",
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
            "audited. Before asking about a DELETE, UPDATE, TRUNCATE or DROP, psql's question\n"
            "shows what it would touch (counted read-only, or EXPLAIN's estimate); a\n"
            "confirmed DELETE, UPDATE, TRUNCATE or DROP TABLE keeps an undo copy (sentinel undo).\n"
            "Exit: 77 refused, 78 config error, 64 usage, otherwise CMD's own.",
    .options = kGuardOptions,
    .run = run_guard,
    .takes_command = true,
};

namespace {

// What servers said during this guard run, by pinned connection or API
// server: the guard probes each at most once (one connection).
using Asked = std::map<std::string, Result<ServerWord>>;

// Asks the server of `key` once per run and applies the answer to the
// snapshot's targets of `kind`; a failed probe leaves the tiers as they are
// and adds a warning.
void probe_once(Snapshot& s, Kind kind, const std::string& key, const Vars& vars, Asked& asked,
                const std::function<Result<ServerWord>()>& probe) {
    auto it = asked.find(key);
    bool fresh = it == asked.end();
    if (fresh) it = asked.emplace(key, probe()).first;
    if (it->second) apply_probe(s, kind, *it->second, vars, fresh);
    else s.warnings.push_back("probe: " + it->second.error().to_string());
}

// The pg targets of a psql snapshot match the settled connection, or
// (after a few tries) an error. A target the guard probes (wants_probe) is
// asked who it is, once per settled connection.
Result<PinnedSnapshot> evaluate_psql(const Vars& vars, const std::vector<std::string>& eval_cmd, const ConnParams& params,
                                     const ListenerSource& listeners, PinnedConnection& pinned, Asked& asked) {
    std::string error;
    for (int i = 0; i < kAttempts; ++i) {
        PosixFileReader files;  // service files are checked, libpq runs under a budget
        auto settled = settle_connection(vars, params, &files);
        if (!settled) {
            error = settled.error().message;
            continue;
        }
        PinnedConnection conn = std::move(settled.value());
        Snapshot s = evaluate(vars, PosixFileReader(), eval_cmd, nullptr, {}, &listeners);
        if (!pin_matches(s.targets, conn)) {
            error = "the connection changed while it was being resolved";
            continue;
        }
        std::string pin;
        for (const auto& [k, v] : conn.params) pin += std::to_string(k.size()) + k + std::to_string(v.size()) + v;
        pin += "|" + conn.options + "|" + (conn.password ? "p" + *conn.password : "-");
        if (any_wants_probe(s, Kind::pg)) probe_once(s, Kind::pg, pin, vars, asked, [&] { return probe_pg(conn); });
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

// The preview and the undo plan of one psql command, recomputed for each
// question (the target may change between questions).
struct PsqlUndo {
    std::vector<SqlStatement> statements;
    std::vector<DerivedStatement> derived;  // parallel to statements (kind other for the rest)
    std::vector<std::optional<StatementPreview>> previews;
    UndoSettings settings;
    UndoPlan plan;
    bool previewed = false;
    bool one_transaction = false;
    std::string pg_dump;

    bool has_destructive_kind() const {
        for (const DerivedStatement& d : derived)
            if (d.kind != StatementKind::other) return true;
        return false;
    }
    void preview(const PinnedConnection& pinned) {
        previews.assign(statements.size(), std::nullopt);
        if (settings.preview_timeout_ms > 0 && has_destructive_kind()) {
            std::vector<StatementPreview> got = run_preview(pinned, derived, settings.preview_timeout_ms);
            std::size_t k = 0;
            for (std::size_t i = 0; i < derived.size() && k < got.size(); ++i)
                if (derived[i].kind != StatementKind::other) previews[i] = got[k++];
        }
        previewed = true;
    }
    void decide_plan(UndoMode mode) {
        UndoInputs in{statements, previews, one_transaction, mode, settings.max_bytes, !pg_dump.empty()};
        plan = plan_undo(in);
    }
    std::vector<QuestionNote> notes() const {
        std::vector<QuestionNote> out;
        for (const auto& p : previews)
            if (p) out.push_back({"preview", preview_line(*p)});
        if (settings.preview_timeout_ms == 0 && has_destructive_kind())
            out.push_back({"preview", "off (preview_timeout = 0)"});
        for (const std::string& n : plan.notes) out.push_back({"undo", n});
        for (const std::string& e : settings.errors) out.push_back({"config", e});
        return out;
    }
};

// pg_dump beside psql (psql's own version of it), "" when there is none.
std::string pg_dump_beside(const std::string& psql) {
    std::string path = psql;
    if (path.find('/') == std::string::npos) {
        const char* p = std::getenv("PATH");
        std::string dirs = p ? p : "/usr/bin:/bin";
        std::size_t start = 0;
        path.clear();
        while (start <= dirs.size()) {
            std::size_t colon = dirs.find(':', start);
            std::string dir = dirs.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
            std::string candidate = (dir.empty() ? "." : dir) + "/" + psql;
            if (access(candidate.c_str(), X_OK) == 0) {
                path = candidate;
                break;
            }
            if (colon == std::string::npos) break;
            start = colon + 1;
        }
    }
    char resolved[4096];
    if (path.empty() || !realpath(path.c_str(), resolved)) return "";
    std::string dir(resolved);
    dir = dir.substr(0, dir.rfind('/'));
    std::string pg_dump = dir + "/pg_dump";
    return access(pg_dump.c_str(), X_OK) == 0 ? pg_dump : "";
}

// The statements of a non-interactive psql command, derived, with the settings.
PsqlUndo psql_undo_for(const PsqlCommandLine& cmd, const SqlReader& read_file,
                       const std::optional<std::string>& stdin_sql, const Config& config, const std::string& program) {
    PsqlUndo undo;
    undo.statements = psql_statements(cmd, read_file, stdin_sql).statements;
    for (const SqlStatement& st : undo.statements) {
        auto d = st.kind.empty() || st.kind[0] == '\\' ? Result<DerivedStatement>(DerivedStatement{})
                                                        : derive_statement(st.text);
        undo.derived.push_back(d ? d.value() : DerivedStatement{});
    }
    undo.settings = config.undo;
    // A single -c is one implicit transaction, as -1 makes a script one.
    undo.one_transaction = cmd.single_transaction || (cmd.sql.size() == 1 && !cmd.sql[0].file);
    undo.pg_dump = pg_dump_beside(program);
    return undo;
}

UndoMode mode_of(const PsqlUndo& u, const PinnedSnapshot& ev) {
    return undo_mode_for(u.settings, ev.snapshot.config.production_ranked(ev.snapshot.tier));
}

// The second question when a copyable statement will have no copy.
bool confirm_without_copy(const ConfirmRequest& req, const ConfirmOutcome& outcome, const PsqlUndo& u) {
    if (!u.plan.ask_again || outcome.decision.verdict != Decision::Verdict::ask) return true;
    std::optional<Tty> tty = Tty::open();
    if (!tty) return false;
    tty->write("sentinel: no undo copy will be kept for what is listed above under \"undo\".\n");
    TtyAnswer answer = tty->ask(format_answer_prompt(outcome.decision), req.timeout_seconds);
    AuditRecord r = audit_context();
    r.tier = outcome.decision.tier.name();
    r.tool = req.action.tool;
    r.action = req.action.verb;
    r.risk = std::string(risk_name(req.action.risk));
    bool ok = answer.status == TtyAnswer::Status::line && answer_accepted(outcome.decision, answer.line);
    r.decision = ok ? "confirmed" : "refused";
    r.reason = ok ? "confirmed again without an undo copy" : "not confirmed again without an undo copy";
    bool written = write_audit(req.vars, r, outcome.evaluated.snapshot.config.audit_required);
    if (!ok) std::fputs("sentinel: refused: not confirmed again without an undo copy\n", stderr);
    return ok && written;
}

int dry_run(const ConfirmRequest& req, const PinnedSnapshot& ev, PsqlUndo* u, const PinnedConnection* pinned) {
    bool tty = Tty::open().has_value();
    Decision d = decide(ev.snapshot, req.action, tty, req.override_value);
    std::vector<QuestionNote> notes;
    if (u && pinned) {
        u->preview(*pinned);
        u->decide_plan(mode_of(*u, ev));
        notes = u->notes();
    }
    std::fputs(format_question(ev.snapshot, make_display(ev.snapshot), d, req.action, false, notes).c_str(), stdout);
    std::printf("decision: %s (%s); dry run: nothing was run\n", std::string(verdict_name(d.verdict)).c_str(),
                sanitize(d.reason).c_str());
    return kExitOk;
}

// What the undo run records: the manifest's context and the audit record
// of the confirmation it follows.
void describe_run(UndoRun& run, const PsqlUndo& undo, const ConfirmRequest& req, const ConfirmOutcome& outcome,
                  const PinnedConnection& pinned, const std::string& program) {
    const Snapshot& s = outcome.evaluated.snapshot;
    Manifest& m = run.manifest;
    AuditRecord ctx = audit_context();
    m.time = ctx.time;
    m.user = ctx.user;
    m.tty = ctx.tty;
    m.tier = outcome.decision.tier.name();
    if (outcome.decision.target >= 0)
        m.target = s.targets[static_cast<std::size_t>(outcome.decision.target)].display_name();
    for (const auto& [k, v] : pinned.params)  // sslpassword too: no secret in a manifest
        if (k.find("password") == std::string::npos) m.connection.emplace_back(k, v);
    for (const SqlStatement& st : undo.statements) m.statements.push_back(st.text);
    m.psql = program;
    m.pg_dump = undo.pg_dump;
    run.audit = ctx;
    run.audit.tier = outcome.decision.tier.name();
    run.audit.kind = "pg";
    run.audit.target = m.target;
    run.audit.fields = m.connection;
    run.audit.tool = "psql";
    run.audit.action = req.action.verb;
    run.audit.risk = std::string(risk_name(req.action.risk));
    run.audit_required = s.config.audit_required;
}

// Runs a confirmed, guarded, non-interactive psql: with its undo copy when
// the plan makes one, else as it is (after asking again when a copy that
// could be expected will not be kept).
int run_confirmed(PsqlUndo& undo, const ConfirmRequest& req, const ConfirmOutcome& outcome, const PsqlCommandLine& cmd,
                  const PinnedConnection& pinned, const PinnedCommand& pc, const std::string& program,
                  const Vars& vars) {
    UndoMode mode = mode_of(undo, outcome.evaluated);
    bool needs_catalog = false;  // an UPDATE (or DELETE ... RETURNING) copy needs the volatility verdict
    for (const DerivedStatement& d : undo.derived)
        needs_catalog = needs_catalog || d.kind == StatementKind::update_rows ||
                        (d.kind == StatementKind::delete_rows && d.has_returning);
    if (!undo.previewed && needs_catalog) undo.preview(pinned);  // confirmed without a question (SENTINEL_CONFIRM)
    undo.decide_plan(mode);
    if (!confirm_without_copy(req, outcome, undo)) return kExitRefused;
    if (!undo.plan.rewrite || mode == UndoMode::off) return exec_command(pc.argv, pc.set_env, pc.unset_env);
    PsqlCommandLine bare = cmd;
    bare.kept = cmd.kept_options;
    UndoRun run;
    run.psql = pin_psql(program, bare, pinned, false, nullptr);
    run.original = pc;
    run.insert_at = run.psql.argv.size() - 2;  // before the pinned -d conninfo
    run.quiet = cmd.quiet;
    run.mode = mode;
    run.max_bytes = undo.settings.max_bytes;
    run.keep_days = undo.settings.keep_days;
    run.conninfo = run.psql.argv.back();
    run.pg_dump = undo.pg_dump;
    for (const auto& p : undo.previews)
        if (p && p->copy_bytes) run.estimated_bytes += *p->copy_bytes;
    describe_run(run, undo, req, outcome, pinned, program);
    run.vars = vars;
    return run_with_undo(undo.plan, std::move(run));
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
    bool dry = inv.has("dry-run");
    if (!dry && agent_says_run(eval_cmd, vars)) return exec_plain(plain);
    SystemListeners listeners(socket_cache_path(vars));
    Snapshot first = evaluate(vars, PosixFileReader(), eval_cmd, nullptr, {}, &listeners);
    bool unasked = decide(first, Action{}, true, std::nullopt).policy == Policy::none;
    if (!dry && unasked && !any_wants_probe(first, Kind::pg)) return exec_plain(plain);

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
    Asked asked;
    req.evaluate = [&]() { return evaluate_psql(vars, eval_cmd, params, listeners, pinned, asked); };
    PsqlUndo undo;
    if (!interactive) {
        undo = psql_undo_for(cmd, read_file, stdin_sql, first.config, argv[0]);
        req.notes = [&](const PinnedSnapshot& ev, const Decision&) {
            undo.settings = ev.snapshot.config.undo;
            undo.preview(pinned);
            undo.decide_plan(mode_of(undo, ev));
            return undo.notes();
        };
    }
    if (dry) {
        auto ev = req.evaluate();
        if (!ev) {
            std::fprintf(stderr, "sentinel: error: %s\n", sanitize(ev.error().to_string()).c_str());
            return kExitConfig;
        }
        return dry_run(req, ev.value(), interactive ? nullptr : &undo, &pinned);
    }
    ConfirmOutcome outcome = run_confirmation(req);
    if (!outcome.go) return outcome.exit_code;
    Display display = make_display(outcome.evaluated.snapshot);
    bool guarded = outcome.decision.policy != Policy::none;
    PinnedCommand pc = pin_psql(argv[0], cmd, pinned, interactive && guarded && !cmd.write,
                                interactive && guarded ? &display : nullptr);
    if (!guarded || interactive || undo.statements.empty()) return exec_command(pc.argv, pc.set_env, pc.unset_env);
    return run_confirmed(undo, req, outcome, cmd, pinned, pc, argv[0], vars);
}

int guard_kube(Tool tool, const Vars& vars, const std::vector<std::string>& argv, ConfirmRequest& req) {
    std::vector<std::string> args(argv.begin() + 1, argv.end());
    std::vector<std::string> eval_cmd = argv;
    eval_cmd[0] = tool == Tool::helm ? "helm" : "kubectl";
    if (agent_says_run(eval_cmd, vars)) return exec_plain(argv);
    req.action = kube_action(tool, args);
    SystemListeners listeners(socket_cache_path(vars));
    Asked asked;
    // The real kubectl (the guard runs what the wrapper found); helm: kubectl from PATH.
    std::string kubectl = tool == Tool::kubectl ? argv[0] : "kubectl";
    req.evaluate = [&]() -> Result<PinnedSnapshot> {
        Snapshot s = evaluate(vars, PosixFileReader(), eval_cmd, nullptr, {}, &listeners);
        if (req.action.risk != Risk::read && any_wants_probe(s, Kind::kube))
            for (const Target& t : s.targets)
                if (t.kind == Kind::kube && t.problems.empty()) {
                    Target asked_about = t;
                    probe_once(s, Kind::kube, "kube " + t.get("context") + " " + t.get("server"), vars, asked,
                               [&] { return probe_kube(kubectl, asked_about); });
                    break;
                }
        return PinnedSnapshot{std::move(s), ""};
    };
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
    if (inv.has("dry-run") && inv.has("write")) {
        std::fprintf(stderr, "sentinel: error: --dry-run and --write do not go together\n");
        return kExitUsage;
    }
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
    if (inv.has("dry-run") && tool != Tool::psql) {
        std::vector<std::string> args(argv.begin() + 1, argv.end());
        std::vector<std::string> eval_cmd = argv;
        if (tool == Tool::kubectl || tool == Tool::helm) {
            eval_cmd[0] = tool == Tool::helm ? "helm" : "kubectl";
            req.action = kube_action(tool, args);
        } else {
            req.action = other_action(argv);
        }
        return dry_run(req, PinnedSnapshot{evaluate(vars, PosixFileReader(), eval_cmd), ""}, nullptr, nullptr);
    }
    switch (tool) {
        case Tool::psql: return guard_psql(inv, vars, argv, req);
        case Tool::kubectl:
        case Tool::helm: return guard_kube(tool, vars, argv, req);
        case Tool::terraform: return guard_terraform(vars, argv, req);
        case Tool::none:
        case Tool::other: break;
    }
    if (!inv.has("dry-run") && agent_says_run(argv, vars)) return exec_plain(argv);
    req.action = other_action(argv);
    std::string cwd = current_directory();
    SystemListeners listeners(socket_cache_path(vars));
    req.evaluate = [&]() -> Result<PinnedSnapshot> {
        return PinnedSnapshot{evaluate(vars, PosixFileReader(), argv, nullptr, cwd, &listeners), ""};
    };
    ConfirmOutcome outcome = run_confirmation(req);
    if (!outcome.go) return outcome.exit_code;
    return exec_plain(argv);
}

}  // namespace
}  // namespace sentinel
