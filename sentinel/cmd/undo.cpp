// `sentinel undo`: list, show and restore the copies the guard keeps of what
// confirmed destructive statements changed; `sink` is the program psql runs
// to write them (io/undo_sink.hpp).

#include <cstdio>
#include <nlohmann/json.hpp>

#include "sentinel/cmd/commands.hpp"
#include "sentinel/core/guard/describe.hpp"
#include "sentinel/core/pg/args.hpp"
#include "sentinel/core/sanitize.hpp"
#include "sentinel/io/audit.hpp"
#include "sentinel/core/pg/settle.hpp"
#include "sentinel/io/confirmation.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/tty.hpp"
#include "sentinel/io/undo_restore.hpp"
#include "sentinel/io/undo_sink.hpp"
#include "sentinel/io/undo_store.hpp"

namespace sentinel {
namespace {

int run_undo(const Invocation& inv);

constexpr OptionSpec kUndoOptions[] = {
    {.name = "json", .value = "", .help = "list: a JSON array of manifests, each with its id"},
    {.name = "dry-run", .value = "", .help = "restore: count and check in a transaction that is rolled back"},
    {.name = "force", .value = "", .help = "restore: overwrite rows that changed or came back since"},
    {.name = "rows", .value = "N", .help = "show: how many rows of each copy (default 10)"},
    {.name = "timeout", .value = "SECONDS", .help = "restore: how long the question waits (default 60)"},
    {.name = "help", .value = "", .help = "print this help"},
};

}  // namespace

const CommandSpec kUndoCommand = {
    .name = "undo",
    .synopsis = "undo list [--json] | show ID [--rows=N] | restore ID [--dry-run] [--force]",
    .summary = "list, show and restore the copies the guard kept",
    .help =
        "The copies the guard keeps of what a confirmed DELETE, UPDATE, TRUNCATE or\n"
        "DROP TABLE changed, under $XDG_STATE_HOME/sentinel/undo/ID/. `restore` puts\n"
        "them back in one transaction: deleted rows are inserted, updated rows set back\n"
        "by primary key, a dropped table recreated; rows that conflict with what is\n"
        "there now are reported, not overwritten, unless --force. Restoring is a write\n"
        "and asks on production like any. Exit: 0 done, 1 conflicts or a part not\n"
        "restored, 64 usage, 77 refused, 78 the target cannot be resolved.",
    .options = kUndoOptions,
    .run = run_undo,
    .positional = 3,
    .arguments = "list show restore",
};

namespace {

int list(const Invocation& inv, const std::string& root) {
    std::vector<Manifest> all = list_undo(root);
    if (inv.has("json")) {
        nlohmann::json arr = nlohmann::json::array();
        for (const Manifest& m : all) arr.push_back(manifest_json(m));
        // ensure_ascii: every control byte and non-ASCII character is a \uXXXX escape, so the text is safe to print.
        std::printf("%s\n", arr.dump(-1, ' ', true).c_str());
        return kExitOk;
    }
    if (all.empty()) std::printf("no undo copies under %s\n", sanitize(root).c_str());
    for (const Manifest& m : all) std::printf("%s\n", format_list_line(m).c_str());
    return kExitOk;
}

int show(const Invocation& inv, const std::string& root, const std::string& id) {
    auto m = read_undo(root, id);
    if (!m) {
        std::fprintf(stderr, "sentinel: error: %s\n", sanitize(m.error().message).c_str());
        return 1;
    }
    std::size_t rows = 10;
    if (inv.has("rows")) rows = static_cast<std::size_t>(std::strtoul(inv.options.at("rows").c_str(), nullptr, 10));
    std::vector<std::string> texts;
    for (const ManifestPart& p : m->parts) texts.push_back(read_undo_head(root, id, p.file, 1 << 20));
    std::fputs(format_show(*m, texts, rows).c_str(), stdout);
    return kExitOk;
}

std::string conninfo_of(const Manifest& m) {
    std::string out;
    for (const auto& [k, v] : m.connection) out += (out.empty() ? "" : " ") + k + "=" + conninfo_quote(v);
    return out;
}

int restore(const Invocation& inv, const std::string& root, const std::string& id) {
    auto m = read_undo(root, id);
    if (!m) {
        std::fprintf(stderr, "sentinel: error: %s\n", sanitize(m.error().message).c_str());
        return 1;
    }
    std::optional<int> timeout = question_timeout(inv);
    if (!timeout) return kExitUsage;
    Vars vars = environment_vars();
    std::string conninfo = conninfo_of(*m);
    std::vector<std::string> eval_cmd = {"psql", "-d", conninfo};
    ConnParams params = psql_params(parse_psql_args({"-d", conninfo}));
    PinnedConnection pinned;
    bool dry = inv.has("dry-run");
    ConfirmRequest req = confirm_request(vars);
    req.timeout_seconds = *timeout;
    req.action.tool = "sentinel undo";
    req.action.verb = "restore " + id;
    req.action.risk = dry ? Risk::read : Risk::write;
    req.evaluate = [&]() -> Result<PinnedSnapshot> {
        auto settled = settle_connection(vars, params);
        if (!settled) return Error{"", 0, 0, "psql connection: " + settled.error().message};
        pinned = std::move(settled.value());
        return PinnedSnapshot{evaluate(vars, PosixFileReader(), eval_cmd), conninfo};
    };
    ConfirmOutcome outcome = run_confirmation(req);
    if (!outcome.go) return outcome.exit_code;
    RestoreReport report = restore_undo(*m, root + "/" + id, pinned, conninfo, inv.has("force"), dry, m->psql);
    std::fputs(report.text.c_str(), stdout);
    AuditRecord r = audit_context();
    r.tier = outcome.decision.tier.name();
    r.kind = "pg";
    r.target = m->target;
    r.fields = m->connection;
    r.tool = "sentinel undo";
    r.action = dry ? "restore (dry run)" : "restore";
    r.risk = std::string(risk_name(req.action.risk));
    r.decision = report.exit_code == 0 ? "restored" : "restore incomplete";
    r.reason = inv.has("force") ? "forced" : "";
    r.undo = id;
    write_audit(vars, r, outcome.evaluated.snapshot.config.audit_required);
    return report.exit_code;
}

int run_undo(const Invocation& inv) {
    const std::vector<std::string>& a = inv.rest;
    std::string action = a.empty() ? "list" : a[0];
    if (action == "sink") return a.size() == 3 ? run_undo_sink(a[1], a[2]) : kExitUsage;
    std::string root = undo_root(environment_vars());
    if (action == "list" && a.size() <= 1) return list(inv, root);
    if ((action == "show" || action == "restore") && a.size() == 2)
        return action == "show" ? show(inv, root, a[1]) : restore(inv, root, a[1]);
    std::fprintf(stderr, "sentinel: error: usage: sentinel %s\n", std::string(kUndoCommand.synopsis).c_str());
    return kExitUsage;
}

}  // namespace
}  // namespace sentinel
