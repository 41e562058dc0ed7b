#include "sentinel/core/pg/settle.hpp"

#include <algorithm>
#include <memory>

#include "sentinel/core/pg/libpq.hpp"
#include "sentinel/core/vars.hpp"

extern char** environ;

namespace sentinel {
namespace {

// The invalid value that stops libpq before it connects.
constexpr const char* kStopMarker = "sentinel-resolve-only";

// Replaces the process environment with `vars` until destroyed.
class ScopedEnviron {
public:
    explicit ScopedEnviron(const Vars& vars) : saved_(environ) {
        strings_.reserve(vars.size());
        for (const auto& [k, v] : vars) strings_.push_back(k + "=" + v);
        for (std::string& s : strings_) pointers_.push_back(s.data());
        pointers_.push_back(nullptr);
        environ = pointers_.data();
    }
    ~ScopedEnviron() { environ = saved_; }
    ScopedEnviron(const ScopedEnviron&) = delete;
    ScopedEnviron& operator=(const ScopedEnviron&) = delete;

private:
    char** saved_;
    std::vector<std::string> strings_;
    std::vector<char*> pointers_;
};

struct ConnDeleter {
    void operator()(PGconn* c) const { libpq()->finish(c); }
};
struct OptionsDeleter {
    void operator()(PQconninfoOption* o) const { libpq()->conninfo_free(o); }
};

std::string value_of(const Settled& s, const char* key) {
    auto it = s.options.find(key);
    return it == s.options.end() ? std::string() : it->second;
}

}  // namespace

Result<Settled> settle_options(const Vars& vars, const ConnParams& params, const SettlePass& pass) {
    std::string stop_key(pass.stop_key);
    std::vector<const char*> keywords, values;
    for (const ConnParams* list : {&pass.before, &params, &pass.after}) {
        for (const auto& [k, v] : *list) {
            keywords.push_back(k.c_str());
            values.push_back(v.c_str());
        }
    }
    keywords.push_back(stop_key.c_str());
    values.push_back(kStopMarker);
    keywords.push_back(nullptr);
    values.push_back(nullptr);

    std::string error;
    const Libpq* pq = libpq(&error);
    if (!pq) return Error{"", 0, 0, error};
    std::unique_ptr<PGconn, ConnDeleter> conn;
    {
        std::lock_guard<std::mutex> lock(environ_mutex());
        ScopedEnviron env(vars);
        conn.reset(pq->connect_start_params(keywords.data(), values.data(), 1));
    }
    if (!conn) return Error{"", 0, 0, "out of memory"};
    std::string message = pq->error_message(conn.get());
    if (pq->status(conn.get()) != CONNECTION_BAD || message.find(kStopMarker) == std::string::npos)
        return Error{"", 0, 0, message.empty() ? "libpq did not settle the connection" : message};
    Settled s;
    std::unique_ptr<PQconninfoOption, OptionsDeleter> options(pq->conninfo(conn.get()));
    for (PQconninfoOption* o = options.get(); o && o->keyword; ++o) s.options[o->keyword] = o->val ? o->val : "";
    const char* first = pq->host(conn.get());
    s.first_host = first ? first : "";
    return s;
}

std::map<std::string, std::string> conninfo_keywords(const std::string& conninfo) {
    std::map<std::string, std::string> out;
    const Libpq* pq = libpq();
    if (!pq) return out;
    std::unique_ptr<PQconninfoOption, OptionsDeleter> parsed(pq->conninfo_parse(conninfo.c_str(), nullptr));
    for (PQconninfoOption* o = parsed.get(); o && o->keyword; ++o)
        if (o->val) out[o->keyword] = o->val;
    return out;
}

std::string scrub_libpq_message(std::string message, const std::vector<std::string>& safe) {
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    if (auto nl = message.find('\n'); nl != std::string::npos) message.resize(nl);
    std::string out;
    std::size_t i = 0;
    while (i < message.size()) {
        std::size_t open = message.find('"', i);
        if (open == std::string::npos) {
            out += message.substr(i);
            break;
        }
        std::size_t close = message.find('"', open + 1);
        if (close == std::string::npos) {
            out += message.substr(i, open - i) + "\"…\"";
            break;
        }
        std::string quoted = message.substr(open + 1, close - open - 1);
        bool keep = std::find(safe.begin(), safe.end(), quoted) != safe.end();
        out += message.substr(i, open - i) + "\"" + (keep ? quoted : "…") + "\"";
        i = close + 1;
    }
    return out;
}

std::vector<std::string> libpq_safe_names(const Vars& vars, const ConnParams& params) {
    std::vector<std::string> safe;
    for (const char* name : {"PGSERVICE", "PGSERVICEFILE", "PGSYSCONFDIR"})
        if (auto v = get(vars, name)) safe.push_back(*v);
    if (auto home = get(vars, "HOME")) safe.push_back(*home + "/.pg_service.conf");
    for (const auto& [k, v] : params) {
        if (k == "service") safe.push_back(v);
        if (k == "dbname" && v.find('=') != std::string::npos)
            if (auto keywords = conninfo_keywords(v); keywords.count("service")) safe.push_back(keywords["service"]);
    }
    return safe;
}

Result<PinnedConnection> settle_connection(const Vars& vars, const ConnParams& params) {
    auto a = settle_options(vars, params, {.before = {{"password", kPlaceholderPassword}}, .after = {}, .stop_key = "sslmode"});
    if (!a) return Error{"", 0, 0, scrub_libpq_message(a.error().message, libpq_safe_names(vars, params))};
    auto b = settle_options(vars, params,
                            {.before = {{"passfile", "/nonexistent/sentinel-no-passfile"}}, .after = {},
                             .stop_key = "target_session_attrs"});
    if (!b) return Error{"", 0, 0, scrub_libpq_message(b.error().message, libpq_safe_names(vars, params))};
    static const char* const kOrder[] = {"host", "hostaddr", "port", "dbname", "user"};
    for (const char* key : kOrder)
        if (value_of(*a, key) != value_of(*b, key)) return Error{"", 0, 0, "the connection changed while it was being resolved"};
    PinnedConnection out;
    for (const char* key : kOrder)
        if (!value_of(*a, key).empty()) out.params.emplace_back(key, value_of(*a, key));
    for (const auto& [k, v] : a->options) {
        bool skip = v.empty() || std::find(std::begin(kOrder), std::end(kOrder), k) != std::end(kOrder) ||
                    k == "service" || k == "password" || k == "sslmode" || k == "options";
        if (!skip) out.params.emplace_back(k, v);
    }
    if (std::string mode = value_of(*b, "sslmode"); !mode.empty()) out.params.emplace_back("sslmode", mode);
    out.options = value_of(*a, "options");
    if (std::string password = value_of(*b, "password"); !password.empty()) out.password = password;
    return out;
}

}  // namespace sentinel
