#include "sentinel/io/undo_restore.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include "sentinel/core/guard/preview.hpp"
#include "sentinel/core/pg/sql_tree.hpp"
#include "sentinel/core/sanitize.hpp"
#include "sentinel/core/undo/restore.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/pg_conn.hpp"

namespace sentinel {
namespace {

constexpr long long kHour = 3600 * 1000;

// The file of a part, read whole (copies are bounded by undo_max_bytes).
std::optional<std::string> read_part(const std::string& dir, const ManifestPart& part) {
    if (part.file.find('/') != std::string::npos) return std::nullopt;
    FILE* f = std::fopen((dir + "/" + part.file).c_str(), "rb");
    if (!f) return std::nullopt;
    std::string data;
    char buf[1 << 16];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
    std::fclose(f);
    return data;
}

int run_psql_file(const std::string& psql, const std::string& conninfo, const std::string& file,
                  const PinnedConnection& connection) {
    pid_t pid = fork();
    if (pid == 0) {
        if (connection.password) setenv("PGPASSWORD", connection.password->c_str(), 1);
        for (const char* v : {"PGSERVICE", "PGSERVICEFILE", "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER"})
            unsetenv(v);
        execlp(psql.c_str(), psql.c_str(), "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-P", "pager=off", "-o",
               "/dev/null", "-f", file.c_str(), "-d", conninfo.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) return 126;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

RestoreReport restore_undo(const Manifest& m, const std::string& dir, const PinnedConnection& connection,
                           const std::string& conninfo, bool force, bool dry_run, const std::string& psql) {
    RestoreReport report;
    auto say = [&](const std::string& line) { report.text += line + "\n"; };
    std::string error;
    auto conn = PgConn::open(connection, "", monotonic_ms() + 60 * 1000, error);
    if (!conn) {
        say("cannot connect: " + sanitize(error));
        report.exit_code = 1;
        return report;
    }
    bool timed_out = false;
    auto one = [&](const std::string& sql) {
        auto r = conn->run(sql, monotonic_ms() + kHour, timed_out);
        return r.empty() ? PgResult{false, "", "no answer", {}, ""} : r.back();
    };
    if (!one("BEGIN").ok) {
        say("cannot begin a transaction");
        report.exit_code = 1;
        return report;
    }
    std::vector<const ManifestPart*> dumps;
    for (const ManifestPart& part : m.parts) {
        std::string name = sanitize(part.relation);
        if (part.format == "pg_dump-plain") {
            PgResult exists =
                one("SELECT pg_catalog.to_regclass(" + quote_literal(qualified_name(part)) + ") IS NOT NULL");
            if (exists.ok && !exists.rows.empty() && exists.rows[0][0] == std::optional<std::string>("t")) {
                say(name + ": a table of that name exists again; drop or rename it first (not restored)");
                report.exit_code = 1;
                continue;
            }
            dumps.push_back(&part);
            continue;
        }
        RestoreSql sql = restore_sql(part, force);
        if (!sql.refusal.empty()) {
            say(name + ": refused: " + sql.refusal);
            report.exit_code = 1;
            continue;
        }
        auto data = read_part(dir, part);
        if (!data) {
            say(name + ": the copy's file cannot be read");
            report.exit_code = 1;
            continue;
        }
        PgResult step = one(sql.create_temp);
        if (step.ok) step = conn->copy_in(sql.copy_in, *data, monotonic_ms() + kHour);
        PgResult conflicts = step.ok ? one(sql.conflicts) : step;
        if (!conflicts.ok) {
            say(name + ": " + sanitize(conflicts.error));
            report.exit_code = 1;
            break;
        }
        std::string applied;
        for (const std::string& a : sql.apply) {
            PgResult r = one(a);
            if (!r.ok) {
                say(name + ": " + sanitize(r.error));
                report.exit_code = 1;
                applied.clear();
                break;
            }
            applied = r.command;
        }
        one(sql.drop_temp);
        if (applied.empty()) break;
        std::string count = applied.substr(applied.rfind(' ') + 1);
        say(name + ": " + count + (dry_run ? " rows would be put back" : " rows put back") + " (" + part.kind + ")");
        if (!conflicts.rows.empty()) {
            std::string keys;
            for (const auto& row : conflicts.rows) keys += (keys.empty() ? "" : ", ") + sanitize(row[1].value_or("?"));
            std::string n = conflicts.rows[0][0].value_or("?");
            say(name + ": " + n + " rows conflict with what is there now" +
                (force ? " and were overwritten (--force)" : ", not overwritten (--force overwrites)") + ": " + keys +
                (std::atoi(n.c_str()) > 5 ? ", ..." : ""));
            if (!force) report.exit_code = 1;
        }
    }
    // Parts that were put back stay put back; a failed step aborted the
    // transaction, and COMMIT then rolls it back.
    PgResult end = one(dry_run ? "ROLLBACK" : "COMMIT");
    if (end.ok && end.command == "ROLLBACK" && !dry_run) {
        say("nothing was restored: the transaction was rolled back");
        report.exit_code = 1;
    }
    if (!end.ok) {
        say("the restore's transaction failed: " + sanitize(end.error));
        report.exit_code = 1;
    }
    for (const ManifestPart* part : dumps) {
        std::string name = sanitize(part->relation);
        if (dry_run) {
            say(name + ": the table would be recreated with " + format_rows(static_cast<double>(part->rows)) + " rows");
            continue;
        }
        int code = run_psql_file(psql.empty() ? "psql" : psql, conninfo, dir + "/" + part->file, connection);
        if (code == 0)
            say(name + ": recreated with " + format_rows(static_cast<double>(part->rows)) + " rows");
        else {
            say(name + ": psql could not recreate it (exit " + std::to_string(code) + ")");
            report.exit_code = 1;
        }
    }
    return report;
}

}  // namespace sentinel
