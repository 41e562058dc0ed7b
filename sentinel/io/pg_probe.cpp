#include "sentinel/io/pg_probe.hpp"

#include <ctime>
#include <memory>

#include "sentinel/core/guard/audit.hpp"
#include "sentinel/core/pg/libpq.hpp"

namespace sentinel {
namespace {

struct ConnDeleter {
    void operator()(PGconn* c) const { libpq()->finish(c); }
};
struct ResultDeleter {
    void operator()(PGresult* r) const { libpq()->clear(r); }
};

// libpq's message on one line, without quoted text.
std::string clean(const char* message) {
    std::string out;
    bool quoted = false;
    for (const char* p = message ? message : ""; *p; ++p) {
        if (*p == '"') {
            quoted = !quoted;
            out += quoted ? "\"\u2026" : "\"";
        } else if (!quoted) {
            out += *p == '\n' ? ' ' : *p;
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out.empty() ? "libpq gave no reason" : out;
}

}  // namespace

std::string utc_now() { return rfc3339_utc(static_cast<std::int64_t>(std::time(nullptr))); }

Result<ServerWord> probe_pg(const PinnedConnection& connection) {
    std::string load_error;
    const Libpq* pq = libpq(&load_error);
    if (!pq) return Error{"", 0, 0, "libpq: " + load_error};
    std::vector<std::pair<std::string, std::string>> params;
    for (const auto& [k, v] : connection.params)
        if (k != "connect_timeout" && k != "application_name" && k != "options") params.emplace_back(k, v);
    if (connection.password) params.emplace_back("password", *connection.password);
    params.emplace_back("connect_timeout", std::to_string(kProbeTimeoutSeconds));
    params.emplace_back("application_name", "sentinel-probe");
    std::vector<const char*> keys, values;
    for (const auto& [k, v] : params) {
        keys.push_back(k.c_str());
        values.push_back(v.c_str());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    std::unique_ptr<PGconn, ConnDeleter> conn(pq->connectdb_params(keys.data(), values.data(), 0));
    if (!conn) return Error{"", 0, 0, "out of memory"};
    if (pq->status(conn.get()) != CONNECTION_OK) return Error{"", 0, 0, clean(pq->error_message(conn.get()))};
    // A read-only transaction with a statement timeout, set inside it: a
    // pooler (pgbouncer) refuses `options` at connection, and a SET
    // outside a transaction would outlive the probe in a pooled server
    // connection. The transaction ends with the connection.
    std::string statements = "BEGIN READ ONLY; SET LOCAL statement_timeout = " +
                             std::to_string(kProbeTimeoutSeconds * 1000) + "; " + kPgProbeQuery;
    std::unique_ptr<PGresult, ResultDeleter> result(pq->exec(conn.get(), statements.c_str()));
    if (!result || pq->result_status(result.get()) != PGRES_TUPLES_OK || pq->ntuples(result.get()) != 1)
        return Error{"", 0, 0, "the probe statement failed: " + clean(pq->error_message(conn.get()))};
    std::vector<std::string> columns;
    for (int i = 0; i < pq->nfields(result.get()); ++i)
        columns.push_back(pq->getisnull(result.get(), 0, i) ? "" : pq->getvalue(result.get(), 0, i));
    ServerWord word = pg_server_word(columns);
    word.probed_at = utc_now();
    return word;
}

}  // namespace sentinel
