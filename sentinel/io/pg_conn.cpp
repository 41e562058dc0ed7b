#include "sentinel/io/pg_conn.hpp"

#include <dlfcn.h>
#include <libpq-fe.h>
#include <poll.h>
#include <time.h>

#include "sentinel/io/clock.hpp"
#include "sentinel/core/pg/libpq.hpp"

namespace sentinel {
namespace {

// The entry points for queries, bound from the libpq that core/pg/libpq.hpp
// loaded (dlopen of the same soname gives the same handle).
struct Api {
    decltype(&::PQconnectStartParams) connect_start_params;
    decltype(&::PQconnectPoll) connect_poll;
    decltype(&::PQstatus) status;
    decltype(&::PQsocket) socket;
    decltype(&::PQerrorMessage) error_message;
    decltype(&::PQfinish) finish;
    decltype(&::PQsendQuery) send_query;
    decltype(&::PQconsumeInput) consume_input;
    decltype(&::PQisBusy) is_busy;
    decltype(&::PQgetResult) get_result;
    decltype(&::PQresultStatus) result_status;
    decltype(&::PQresultErrorField) result_error_field;
    decltype(&::PQntuples) ntuples;
    decltype(&::PQnfields) nfields;
    decltype(&::PQgetvalue) getvalue;
    decltype(&::PQgetisnull) getisnull;
    decltype(&::PQcmdStatus) cmd_status;
    decltype(&::PQclear) clear;
    decltype(&::PQsetNoticeProcessor) set_notice_processor;
    decltype(&::PQputCopyData) put_copy_data;
    decltype(&::PQputCopyEnd) put_copy_end;
    decltype(&::PQflush) flush;
    decltype(&::PQsetnonblocking) set_nonblocking;
};

template <class F>
bool bind(void* handle, const char* name, F& slot) {
    slot = reinterpret_cast<F>(dlsym(handle, name));
    return slot != nullptr;
}

const Api* api(std::string& error) {
    static Api table;
    static std::string load_error;
    static const bool loaded = [] {
        if (!libpq(&load_error)) return false;
        void* h = dlopen("libpq.so.5", RTLD_LAZY | RTLD_LOCAL | RTLD_NOLOAD);
        if (!h) h = dlopen("libpq.so.5", RTLD_LAZY | RTLD_LOCAL);
        bool ok = h && bind(h, "PQconnectStartParams", table.connect_start_params) &&
                  bind(h, "PQconnectPoll", table.connect_poll) && bind(h, "PQstatus", table.status) &&
                  bind(h, "PQsocket", table.socket) && bind(h, "PQerrorMessage", table.error_message) &&
                  bind(h, "PQfinish", table.finish) && bind(h, "PQsendQuery", table.send_query) &&
                  bind(h, "PQconsumeInput", table.consume_input) && bind(h, "PQisBusy", table.is_busy) &&
                  bind(h, "PQgetResult", table.get_result) && bind(h, "PQresultStatus", table.result_status) &&
                  bind(h, "PQresultErrorField", table.result_error_field) && bind(h, "PQntuples", table.ntuples) &&
                  bind(h, "PQnfields", table.nfields) && bind(h, "PQgetvalue", table.getvalue) &&
                  bind(h, "PQgetisnull", table.getisnull) && bind(h, "PQcmdStatus", table.cmd_status) &&
                  bind(h, "PQclear", table.clear) && bind(h, "PQsetNoticeProcessor", table.set_notice_processor) &&
                  bind(h, "PQputCopyData", table.put_copy_data) && bind(h, "PQputCopyEnd", table.put_copy_end) &&
                  bind(h, "PQflush", table.flush) && bind(h, "PQsetnonblocking", table.set_nonblocking);
        if (!ok && load_error.empty()) load_error = "libpq.so.5 lacks a required function";
        return ok;
    }();
    if (!loaded) error = load_error;
    return loaded ? &table : nullptr;
}

// libpq's message, first line, with quoted text dropped: it may quote a value.
std::string clean_message(const char* raw) {
    std::string out;
    bool quoted = false;
    for (const char* p = raw ? raw : ""; *p && *p != '\n'; ++p) {
        if (*p == '"') {
            quoted = !quoted;
            out += quoted ? "\"…" : "\"";
        } else if (!quoted) {
            out += *p;
        }
    }
    return out.empty() ? "libpq gave no reason" : out;
}

void quiet(void*, const char*) {}  // notices of sentinel's own queries are not the person's business

PGconn* as_conn(void* c) { return static_cast<PGconn*>(c); }

// A connected PGconn, or nullptr with `error` (the failed one is finished).
PGconn* connect_with(const ConnParams& params, const std::optional<std::string>& password, const std::string& options,
                     long long deadline_ms, std::string& error) {
    const Api* pq = api(error);
    if (!pq) return nullptr;
    std::vector<const char*> keys, values;
    for (const auto& [k, v] : params) {
        if (k == "options" || k == "password") continue;
        keys.push_back(k.c_str());
        values.push_back(v.c_str());
    }
    if (password) {
        keys.push_back("password");
        values.push_back(password->c_str());
    }
    keys.push_back("options");
    values.push_back(options.c_str());
    keys.push_back("fallback_application_name");
    values.push_back("sentinel");
    keys.push_back(nullptr);
    values.push_back(nullptr);
    PGconn* c = pq->connect_start_params(keys.data(), values.data(), 0);
    if (!c) {
        error = "out of memory";
        return nullptr;
    }
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;
    while (st != PGRES_POLLING_OK) {
        if (pq->status(c) == CONNECTION_BAD || st == PGRES_POLLING_FAILED) {
            error = clean_message(pq->error_message(c));
            pq->finish(c);
            return nullptr;
        }
        long long left = deadline_ms - monotonic_ms();
        pollfd p{pq->socket(c), static_cast<short>(st == PGRES_POLLING_READING ? POLLIN : POLLOUT), 0};
        if (left <= 0 || poll(&p, 1, static_cast<int>(left)) == 0) {
            error = "no answer in time";
            pq->finish(c);
            return nullptr;
        }
        st = pq->connect_poll(c);
    }
    pq->set_notice_processor(c, quiet, nullptr);
    return c;
}

}  // namespace

std::optional<PgConn> PgConn::open(const PinnedConnection& connection, const std::string& options,
                                   long long deadline_ms, std::string& error) {
    std::string all = connection.options + (connection.options.empty() || options.empty() ? "" : " ") + options;
    PGconn* c = connect_with(connection.params, connection.password, all, deadline_ms, error);
    if (!c) return std::nullopt;
    return PgConn(c);
}

std::optional<PgConn> PgConn::open_database(const PinnedConnection& connection, const std::string& dbname,
                                            const std::string& options, long long deadline_ms, std::string& error) {
    PinnedConnection other = connection;
    for (auto& [k, v] : other.params)
        if (k == "dbname") v = dbname;
    return open(other, options, deadline_ms, error);
}

PgConn::PgConn(PgConn&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }

PgConn::~PgConn() {
    std::string error;
    if (conn_) api(error)->finish(as_conn(conn_));
}

bool PgConn::wait(bool for_write, long long deadline_ms) {
    std::string error;
    const Api* pq = api(error);
    long long left = deadline_ms - monotonic_ms();
    if (left <= 0) return false;
    pollfd p{pq->socket(as_conn(conn_)), static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
    return poll(&p, 1, static_cast<int>(left)) > 0;
}

std::vector<PgResult> PgConn::run(const std::string& sql, long long deadline_ms, bool& timed_out) {
    std::string error;
    const Api* pq = api(error);
    PGconn* c = as_conn(conn_);
    std::vector<PgResult> out;
    timed_out = false;
    pq->set_nonblocking(c, 1);
    if (!pq->send_query(c, sql.c_str())) {
        out.push_back(PgResult{false, "", clean_message(pq->error_message(c)), {}, ""});
        return out;
    }
    while (pq->flush(c) == 1)
        if (!wait(true, deadline_ms)) {
            timed_out = true;
            return out;
        }
    for (;;) {
        while (pq->is_busy(c)) {
            if (!wait(false, deadline_ms)) {
                timed_out = true;
                return out;
            }
            if (!pq->consume_input(c)) {
                out.push_back(PgResult{false, "", clean_message(pq->error_message(c)), {}, ""});
                return out;
            }
        }
        PGresult* r = pq->get_result(c);
        if (!r) break;
        PgResult one;
        ExecStatusType st = pq->result_status(r);
        one.ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
        if (!one.ok) {
            const char* state = pq->result_error_field(r, PG_DIAG_SQLSTATE);
            one.sqlstate = state ? state : "";
            one.error = clean_message(pq->result_error_field(r, PG_DIAG_MESSAGE_PRIMARY));
        }
        for (int i = 0; i < pq->ntuples(r); ++i) {
            std::vector<std::optional<std::string>> row;
            for (int f = 0; f < pq->nfields(r); ++f)
                row.push_back(pq->getisnull(r, i, f) ? std::nullopt
                                                     : std::optional<std::string>(pq->getvalue(r, i, f)));
            one.rows.push_back(std::move(row));
        }
        one.command = pq->cmd_status(r);
        pq->clear(r);
        out.push_back(std::move(one));
    }
    return out;
}

PgResult PgConn::copy_in(const std::string& copy_sql, const std::string& data, long long deadline_ms) {
    std::string error;
    const Api* pq = api(error);
    PGconn* c = as_conn(conn_);
    pq->set_nonblocking(c, 0);
    PgResult out;
    if (!pq->send_query(c, copy_sql.c_str())) {
        out.error = clean_message(pq->error_message(c));
        return out;
    }
    PGresult* r = pq->get_result(c);
    bool copying = r && pq->result_status(r) == PGRES_COPY_IN;
    if (r && !copying) {
        const char* state = pq->result_error_field(r, PG_DIAG_SQLSTATE);
        out.sqlstate = state ? state : "";
        out.error = clean_message(pq->result_error_field(r, PG_DIAG_MESSAGE_PRIMARY));
    }
    if (r) pq->clear(r);
    if (!copying) {
        while ((r = pq->get_result(c))) pq->clear(r);
        if (out.error.empty()) out.error = "the server did not start the copy";
        return out;
    }
    constexpr std::size_t kChunk = 1 << 16;
    for (std::size_t at = 0; at < data.size() && monotonic_ms() < deadline_ms; at += kChunk) {
        std::size_t n = std::min(kChunk, data.size() - at);
        if (pq->put_copy_data(c, data.data() + at, static_cast<int>(n)) != 1) break;
    }
    pq->put_copy_end(c, monotonic_ms() < deadline_ms ? nullptr : "sentinel: no time left");
    out.ok = true;
    while ((r = pq->get_result(c))) {
        if (pq->result_status(r) != PGRES_COMMAND_OK) {
            out.ok = false;
            const char* state = pq->result_error_field(r, PG_DIAG_SQLSTATE);
            out.sqlstate = state ? state : "";
            out.error = clean_message(pq->result_error_field(r, PG_DIAG_MESSAGE_PRIMARY));
        } else {
            out.command = pq->cmd_status(r);
        }
        pq->clear(r);
    }
    return out;
}

}  // namespace sentinel
