#include "sentinel/io/preview.hpp"

#include <cmath>
#include <cstdlib>

#include "sentinel/core/pg/volatility.hpp"
#include "sentinel/io/pg_conn.hpp"

namespace sentinel {
namespace {

constexpr const char* kQueryCanceled = "57014";

std::string seconds(int ms) {
    std::string s = std::to_string(ms / 1000);
    if (ms % 1000) s += "." + std::to_string(ms % 1000 / 100);
    return s + " s";
}

double number(const std::optional<std::string>& v) { return v ? std::strtod(v->c_str(), nullptr) : 0; }

// One connection's conversation with a deadline per query and overall.
struct Session {
    PgConn& conn;
    int timeout_ms;
    long long deadline_ms;
    bool broken = false;

    std::vector<PgResult> run(const std::string& sql) {
        if (broken) return {};
        long long until = std::min<long long>(deadline_ms, monotonic_ms() + timeout_ms + 1000);
        bool timed_out = false;
        std::vector<PgResult> r = conn.run(sql, until, timed_out);
        if (timed_out) broken = true;
        return r;
    }
    std::string begin() const {
        std::string t = std::to_string(timeout_ms);
        return "BEGIN TRANSACTION READ ONLY; SET LOCAL statement_timeout = " + t + "; SET LOCAL lock_timeout = " + t;
    }
    // After an error the transaction is aborted: start a fresh one.
    bool restart() {
        std::vector<PgResult> r = run("ROLLBACK; " + begin());
        return r.size() == 4 && r.back().ok;
    }
};

// Estimates from EXPLAIN of the derived SELECTs (never run).
void estimate(Session& s, const DerivedStatement& d, StatementPreview& p) {
    std::string sql;
    if (!d.estimate_sql.empty()) sql = "EXPLAIN (FORMAT JSON) " + d.estimate_sql + "; ";
    for (const std::string& t : d.table_estimate_sql) sql += "EXPLAIN (FORMAT JSON) " + t + "; ";
    std::vector<PgResult> r = s.run(sql);
    std::size_t want = (d.estimate_sql.empty() ? 0 : 1) + d.table_estimate_sql.size();
    if (r.size() != want || !r.back().ok) {
        p.status = StatementPreview::Status::failed;
        p.note = s.broken ? "no answer within " + seconds(s.timeout_ms) : (r.empty() ? "no answer" : r.back().error);
        return;
    }
    auto rows_of = [](const PgResult& x) {
        return x.rows.empty() || !x.rows[0][0] ? std::nullopt : explain_rows(*x.rows[0][0]);
    };
    std::size_t i = 0;
    if (!d.estimate_sql.empty()) p.touched = rows_of(r[i++]);
    double total = 0;
    for (; i < r.size(); ++i) total += rows_of(r[i]).value_or(0);
    p.total = total;
    if (p.touched && p.total && *p.touched > *p.total) p.total = p.touched;
    p.status = StatementPreview::Status::estimated;
}

void count_or_estimate(Session& s, const DerivedStatement& d, StatementPreview& p, const std::string& why_not) {
    if (!why_not.empty()) {
        p.note = why_not;
        estimate(s, d, p);
        return;
    }
    std::vector<PgResult> r = s.run(d.count_sql);
    if (r.size() == 1 && r[0].ok && r[0].rows.size() == 1) {
        const auto& row = r[0].rows[0];
        p.status = StatementPreview::Status::counted;
        if (d.kind == StatementKind::delete_rows || d.kind == StatementKind::update_rows) {
            p.touched = number(row[0]);
            p.total = number(row[1]);
        } else {
            double total = 0;
            for (const auto& v : row) total += number(v);
            p.total = total;
        }
        return;
    }
    if (s.broken) {
        p.status = StatementPreview::Status::failed;
        p.note = "no answer within " + seconds(s.timeout_ms);
        return;
    }
    p.note = !r.empty() && r[0].sqlstate == kQueryCanceled
                 ? "the count took longer than " + seconds(s.timeout_ms)
                 : "the count failed: " + (r.empty() ? "no answer" : r[0].error);
    if (!s.restart()) {
        p.status = StatementPreview::Status::failed;
        return;
    }
    estimate(s, d, p);
}

void preview_rows(Session& s, const DerivedStatement& d, const PgResult& relations, const PgResult& volatility,
                  const PgResult& reads, StatementPreview& p) {
    if (relations.rows.size() != d.relations.size()) {
        p.note = "no such table";
        return;
    }
    std::vector<VolatilityRow> answers;
    for (const auto& row : volatility.rows)
        if (row.size() == 3 && row[0] && row[1]) answers.push_back({*row[0], *row[1], row[2]});
    VolatilityVerdict v = judge_volatility(answers, d.functions, d.operators);
    p.volatile_calls = !v.runnable;
    const auto& rel = relations.rows[0];
    p.target = rel[0].value_or(p.target);
    std::string why_not;
    std::string read_problem = reads_problem(reads.rows);
    if (!v.runnable)
        why_not = v.reason + ", not run";
    else if (!countable_relkind(rel[1].value_or("")))
        why_not = "not a plain table, not counted";
    else if (rel[4].value_or("f") == "t")
        why_not = "row security applies, not counted";
    else if (!read_problem.empty())
        why_not = read_problem + ", not counted";
    else if (d.count_sql.empty())
        why_not = d.count_problem;
    count_or_estimate(s, d, p, why_not);
    double table_bytes = number(rel[3]);
    if (p.touched && p.total && *p.total > 0)
        p.copy_bytes = static_cast<std::int64_t>(std::ceil(table_bytes * std::min(1.0, *p.touched / *p.total)));
    else if (p.touched)
        p.copy_bytes = *p.touched > 0 ? static_cast<std::int64_t>(table_bytes) : 0;
}

void preview_tables(Session& s, const DerivedStatement& d, const PgResult& relations, StatementPreview& p) {
    if (relations.rows.size() != d.relations.size()) {
        p.note = relations.rows.empty() ? "no such table" : "some of the tables do not exist";
        return;
    }
    std::int64_t bytes = 0;
    std::string names;
    for (const auto& row : relations.rows) {
        bytes += static_cast<std::int64_t>(number(row[3]));
        names += (names.empty() ? "" : ", ") + row[0].value_or("?");
    }
    p.target = names;
    p.bytes = bytes;
    p.copy_bytes = bytes;
    count_or_estimate(s, d, p, "");
}

void preview_drop_database(Session& s, const PinnedConnection& connection, const DerivedStatement& d,
                           const PgResult& size, StatementPreview& p) {
    if (size.rows.empty()) {
        p.note = "no such database";
        return;
    }
    p.bytes = static_cast<std::int64_t>(number(size.rows[0][0]));
    p.status = StatementPreview::Status::counted;
    std::string error;
    auto other = PgConn::open_database(connection, d.database, "",
                                       std::min<long long>(s.deadline_ms, monotonic_ms() + s.timeout_ms), error);
    if (!other) return;  // its size is known; its tables are not
    bool timed_out = false;
    auto r = other->run(
        "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
        "c.relnamespace WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', "
        "'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'",
        std::min<long long>(s.deadline_ms, monotonic_ms() + s.timeout_ms), timed_out);
    if (r.size() == 1 && r[0].ok && !r[0].rows.empty()) p.tables = static_cast<std::int64_t>(number(r[0].rows[0][0]));
}

StatementPreview blank(const DerivedStatement& d) {
    StatementPreview p;
    p.verb = d.verb;
    p.cascade = d.cascade;
    if (d.kind == StatementKind::drop_schema) {
        for (const std::string& n : d.schemas) p.target += (p.target.empty() ? "" : ", ") + n;
    } else if (d.kind == StatementKind::drop_database) {
        p.target = d.database;
    } else {
        for (const RelationName& r : d.relations) p.target += (p.target.empty() ? "" : ", ") + r.display();
    }
    return p;
}

}  // namespace

std::vector<StatementPreview> run_preview(const PinnedConnection& connection,
                                          const std::vector<DerivedStatement>& statements, int timeout_ms) {
    std::vector<StatementPreview> out;
    std::vector<const DerivedStatement*> wanted;
    for (const DerivedStatement& d : statements)
        if (d.kind != StatementKind::other) {
            wanted.push_back(&d);
            out.push_back(blank(d));
        }
    if (wanted.empty()) return out;
    long long start = monotonic_ms();
    std::string error;
    auto conn = PgConn::open(connection, "", start + timeout_ms, error);
    if (!conn) {
        for (StatementPreview& p : out) p.note = "could not connect: " + error;
        return out;
    }
    Session s{*conn, timeout_ms, start + 3LL * timeout_ms + 1000};
    std::string catalog = s.begin();
    for (const DerivedStatement* d : wanted)
        catalog +=
            "; " + relation_query(*d) + "; " + volatility_query(d->functions, d->operators) + "; " + reads_query(*d);
    std::vector<PgResult> r = s.run(catalog);
    if (r.size() != 3 + 3 * wanted.size() || !r.back().ok) {
        std::string why = s.broken ? "no answer within " + seconds(timeout_ms)
                                   : "catalog query failed: " + (r.empty() ? std::string("no answer") : r.back().error);
        for (StatementPreview& p : out) p.note = why;
        return out;
    }
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        const DerivedStatement& d = *wanted[i];
        const PgResult& relations = r[3 + 3 * i];
        switch (d.kind) {
            case StatementKind::delete_rows:
            case StatementKind::update_rows:
                preview_rows(s, d, relations, r[4 + 3 * i], r[5 + 3 * i], out[i]);
                break;
            case StatementKind::truncate:
            case StatementKind::drop_table:
                preview_tables(s, d, relations, out[i]);
                break;
            case StatementKind::drop_schema:
                if (!relations.rows.empty()) {
                    out[i].tables = static_cast<std::int64_t>(number(relations.rows[0][0]));
                    out[i].bytes = static_cast<std::int64_t>(number(relations.rows[0][1]));
                    out[i].status = StatementPreview::Status::counted;
                }
                break;
            case StatementKind::drop_database:
                preview_drop_database(s, connection, d, relations, out[i]);
                break;
            case StatementKind::other:
                break;
        }
        if (s.broken) {
            for (std::size_t j = i + 1; j < wanted.size(); ++j) out[j].note = "no answer within " + seconds(timeout_ms);
            break;
        }
    }
    return out;
}

}  // namespace sentinel
