#include "sentinel/io/exec_pg.hpp"

#include <map>
#include <memory>

#include "sentinel/core/pg/libpq.hpp"

namespace sentinel {
namespace {

constexpr const char* kStop = "sentinel-pin-only";
constexpr const char* kPlaceholderPassword = "sentinel-placeholder";

struct ConnDeleter {
    void operator()(PGconn* c) const { libpq()->finish(c); }
};
struct OptionsDeleter {
    void operator()(PQconninfoOption* o) const { libpq()->conninfo_free(o); }
};

// One pass: `first` keyword/values go before the caller's, `stop_key` after.
bool pass(const ConnParams& params, const ConnParams& first, const char* stop_key,
          std::map<std::string, std::string>& settled, std::string& error) {
    const Libpq* pq = libpq(&error);  // loaded on first use, as resolve_pg does
    if (!pq) return false;
    std::vector<const char*> keys, values;
    for (const auto& [k, v] : first) {
        keys.push_back(k.c_str());
        values.push_back(v.c_str());
    }
    for (const auto& [k, v] : params) {
        keys.push_back(k.c_str());
        values.push_back(v.c_str());
    }
    keys.push_back(stop_key);
    values.push_back(kStop);
    keys.push_back(nullptr);
    values.push_back(nullptr);
    std::unique_ptr<PGconn, ConnDeleter> conn(pq->connect_start_params(keys.data(), values.data(), 1));
    if (!conn) {
        error = "out of memory";
        return false;
    }
    std::string message = pq->error_message(conn.get());
    if (pq->status(conn.get()) != CONNECTION_BAD || message.find(kStop) == std::string::npos) {
        // libpq quotes what it did not like, which may be a password: drop quoted text.
        std::string clean;
        bool quoted = false;
        for (char c : message) {
            if (c == '"') {
                quoted = !quoted;
                clean += quoted ? "\"…" : "\"";
            } else if (!quoted && c != '\n') {
                clean += c;
            }
        }
        error = clean.empty() ? "libpq did not settle the connection" : clean;
        return false;
    }
    std::unique_ptr<PQconninfoOption, OptionsDeleter> options(pq->conninfo(conn.get()));
    for (PQconninfoOption* o = options.get(); o && o->keyword; ++o)
        if (o->val && o->val[0]) settled[o->keyword] = o->val;
    return true;
}

}  // namespace

bool settle_pg_connection(const ConnParams& params, PinnedConnection& out, std::string& error) {
    std::map<std::string, std::string> a, b;
    if (!pass(params, {{"password", kPlaceholderPassword}}, "sslmode", a, error)) return false;
    if (!pass(params, {{"passfile", "/nonexistent/sentinel-no-passfile"}}, "target_session_attrs", b, error))
        return false;
    for (const char* key : {"host", "hostaddr", "port", "dbname", "user"}) {
        if (a[key] != b[key]) {
            error = "the connection changed while it was being resolved";
            return false;
        }
    }
    out = PinnedConnection{};
    static const char* const kOrder[] = {"host", "hostaddr", "port", "dbname", "user"};
    for (const char* key : kOrder)
        if (!a[key].empty()) out.params.emplace_back(key, a[key]);
    for (const auto& [k, v] : a) {
        bool ordered = false;
        for (const char* key : kOrder) ordered = ordered || k == key;
        if (ordered || k == "service" || k == "password" || k == "sslmode" || k == "options") continue;
        out.params.emplace_back(k, v);
    }
    if (auto it = b.find("sslmode"); it != b.end()) out.params.emplace_back("sslmode", it->second);
    if (auto it = a.find("options"); it != a.end()) out.options = it->second;
    if (auto it = b.find("password"); it != b.end()) out.password = it->second;
    return true;
}

}  // namespace sentinel
