#include "sentinel/core/pg/resolve.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "sentinel/core/pg/libpq.hpp"

extern char** environ;

namespace sentinel {
namespace {

// libpq never connects with this sslmode: connectOptions2 rejects it after it
// has settled every value we read.
constexpr const char* kStopMarker = "sentinel-resolve-only";
// Keeps libpq from reading ~/.pgpass: resolution must not touch secrets.
constexpr const char* kPlaceholderPassword = "sentinel-placeholder";

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

struct Settled {
    bool ok = false;
    std::string error;  // libpq's message when !ok
    std::string host, hostaddr, port, dbname, user;
    std::string first_host;  // PQhost(): the default socket directory when no host is set
};

// Runs libpq's option processing on `params` in environment `vars`.
Settled settle(const Vars& vars, const ConnParams& params) {
    std::vector<const char*> keywords, values;
    for (const auto& [k, v] : params) {
        keywords.push_back(k.c_str());
        values.push_back(v.c_str());
    }
    // Last, so that it overrides any password, empty ones included: libpq
    // reads the password file whenever the password is empty.
    keywords.push_back("password");
    values.push_back(kPlaceholderPassword);
    keywords.push_back("sslmode");
    values.push_back(kStopMarker);
    keywords.push_back(nullptr);
    values.push_back(nullptr);

    Settled s;
    const Libpq* pq = libpq(&s.error);
    if (!pq) return s;
    std::unique_ptr<PGconn, ConnDeleter> conn;
    {
        ScopedEnviron env(vars);
        conn.reset(pq->connect_start_params(keywords.data(), values.data(), 1));
    }
    if (!conn) {
        s.error = "out of memory";
        return s;
    }
    std::string message = pq->error_message(conn.get());
    if (pq->status(conn.get()) != CONNECTION_BAD || message.find(kStopMarker) == std::string::npos) {
        s.error = message.empty() ? "libpq did not resolve the connection" : message;
        return s;
    }
    std::unique_ptr<PQconninfoOption, OptionsDeleter> options(pq->conninfo(conn.get()));
    for (PQconninfoOption* o = options.get(); o && o->keyword; ++o) {
        std::string value = o->val ? o->val : "";
        std::string_view key = o->keyword;
        if (key == "host") s.host = value;
        else if (key == "hostaddr") s.hostaddr = value;
        else if (key == "port") s.port = value;
        else if (key == "dbname") s.dbname = value;
        else if (key == "user") s.user = value;
    }
    const char* first = pq->host(conn.get());
    s.first_host = first ? first : "";
    s.ok = true;
    return s;
}

// The Unix socket directory libpq uses when no host is given (its
// DEFAULT_PGSOCKET_DIR, /var/run/postgresql on Debian), as PQhost reports it.
const std::string& default_socket_dir() {
    static const std::string dir = [] {
        Settled s = settle({}, {});
        return s.ok ? s.first_host : std::string("/var/run/postgresql");
    }();
    return dir;
}

// A URI whose password holds an unescaped '/', '?' or '#' ends its host part
// early: libpq then reads pieces of the password as port or dbname. Such
// URIs are refused before anything of them is shown.
bool uri_hides_userinfo(const std::string& conninfo) {
    if (conninfo.rfind("postgresql://", 0) != 0 && conninfo.rfind("postgres://", 0) != 0) return false;
    std::size_t start = conninfo.find("://") + 3;
    std::size_t end = conninfo.find_first_of("/?#", start);
    return end != std::string::npos && conninfo.find('@', end) != std::string::npos;
}

// libpq's parse_int_param: an integer, optionally surrounded by spaces.
bool valid_port(const std::string& port) {
    std::size_t i = 0;
    while (i < port.size() && std::isspace(static_cast<unsigned char>(port[i]))) ++i;
    if (i < port.size() && (port[i] == '-' || port[i] == '+')) ++i;
    std::size_t digits = i;
    while (i < port.size() && std::isdigit(static_cast<unsigned char>(port[i]))) ++i;
    if (i == digits) return false;
    while (i < port.size() && std::isspace(static_cast<unsigned char>(port[i]))) ++i;
    return i == port.size();
}

// libpq messages quote what they did not like, which could be a password in
// a malformed URI. Keep quoted text only when it is known not to be secret.
std::string redact(std::string message, const std::vector<std::string>& safe) {
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

// Where a settled value came from. `explicit_keys` were passed by the caller,
// `no_env` is the same resolution without PG* connection variables and
// `bare` is the one with neither those variables nor a service.
std::string origin_of(const std::string& key, const std::string& value, const std::vector<std::string>& explicit_keys,
                      const std::string& explicit_origin, const Settled& no_env, const Settled& bare,
                      const std::string& service, const Vars& vars) {
    if (std::find(explicit_keys.begin(), explicit_keys.end(), key) != explicit_keys.end()) return explicit_origin;
    auto pick = [&](const Settled& s) {
        if (key == "host") return s.host;
        if (key == "hostaddr") return s.hostaddr;
        if (key == "port") return s.port;
        if (key == "dbname") return s.dbname;
        return s.user;
    };
    if (no_env.ok && pick(no_env) == value) {
        if (bare.ok && pick(bare) == value) return std::string("libpq default");
        return "service \"" + service + "\"";
    }
    static const std::vector<std::pair<std::string, std::string>> kEnv = {
        {"host", "PGHOST"}, {"hostaddr", "PGHOSTADDR"}, {"port", "PGPORT"}, {"dbname", "PGDATABASE"}, {"user", "PGUSER"}};
    for (const auto& [k, var] : kEnv)
        if (k == key && get(vars, var)) return var;
    return std::string("libpq default");
}

}  // namespace

std::vector<std::string> split_conn_list(const std::string& list) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        std::size_t comma = list.find(',', start);
        out.push_back(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) return out;
        start = comma + 1;
    }
}

const std::vector<std::string>& pg_connection_variables() {
    static const std::vector<std::string> vars = {"PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER"};
    return vars;
}

bool has_pg_environment(const Vars& vars) {
    for (const std::string& name : pg_connection_variables())
        if (auto v = get(vars, name); v && !v->empty()) return true;
    auto service = get(vars, "PGSERVICE");
    return service && !service->empty();
}

ConnParams psql_params(const PsqlConnArgs& args) {
    ConnParams params;
    if (args.host) params.emplace_back("host", *args.host);
    if (args.port) params.emplace_back("port", *args.port);
    if (args.user) params.emplace_back("user", *args.user);
    if (args.dbname) params.emplace_back("dbname", *args.dbname);
    else if (args.list) params.emplace_back("dbname", "postgres");
    return params;
}

std::vector<Target> resolve_pg(const Vars& vars, const ConnParams& params, const std::string& source,
                               const std::vector<std::string>& flags, std::vector<std::string>& warnings) {
    Target base;
    base.kind = Kind::pg;
    base.sources.push_back(source);
    for (const std::string& f : flags) base.sources.push_back(f);
    for (const char* name : {"PGSERVICE", "PGSERVICEFILE", "PGSYSCONFDIR", "PGHOST", "PGHOSTADDR", "PGPORT",
                             "PGDATABASE", "PGUSER"})
        if (get(vars, name)) base.sources.push_back(name);

    Settled full = settle(vars, params);
    for (const auto& [k, v] : params) {
        if (k == "dbname" && uri_hides_userinfo(v)) {
            full.ok = false;
            full.error = "the URI has '@' after its host part: percent-encode '/', '?', '#' and '@' in a user name "
                         "or password (%2F, %3F, %23, %40)";
        }
    }
    if (!full.ok) {
        std::vector<std::string> safe;
        for (const char* name : {"PGSERVICE", "PGSERVICEFILE", "PGSYSCONFDIR"})
            if (auto v = get(vars, name)) safe.push_back(*v);
        if (auto home = get(vars, "HOME")) safe.push_back(*home + "/.pg_service.conf");
        for (const auto& [k, v] : params)
            if (k == "service") safe.push_back(v);
        std::string why = "libpq: " + redact(full.error, safe);
        warnings.push_back("pg (" + source + "): " + why);
        base.problems.push_back(why);
        for (const char* key : {"service", "host", "port", "dbname", "user"}) base.set(key, "", "");
        if (auto service = get(vars, "PGSERVICE")) base.set("service", *service, "PGSERVICE");
        return {base};
    }

    // Where each value came from: resolve again without the PG* connection
    // variables, and without those and any service.
    std::vector<std::string> explicit_keys;
    std::string explicit_service;
    bool dbname_is_conninfo = false;
    for (const auto& [k, v] : params) {
        explicit_keys.push_back(k);
        if (k == "service") explicit_service = v;
        if (k == "dbname" && (v.find('=') != std::string::npos || v.rfind("postgres://", 0) == 0 ||
                              v.rfind("postgresql://", 0) == 0)) {
            dbname_is_conninfo = true;
            std::unique_ptr<PQconninfoOption, OptionsDeleter> parsed(libpq()->conninfo_parse(v.c_str(), nullptr));
            for (PQconninfoOption* o = parsed.get(); o && o->keyword; ++o) {
                if (!o->val) continue;
                explicit_keys.push_back(o->keyword);
                if (std::string_view(o->keyword) == "service") explicit_service = o->val;
            }
        }
    }
    Vars no_env_vars = vars;
    for (const std::string& name : pg_connection_variables()) no_env_vars.erase(name);
    Settled no_env = settle(no_env_vars, params);
    Vars bare_vars = no_env_vars;
    bare_vars.erase("PGSERVICE");
    ConnParams bare_params;
    for (const auto& p : params)
        if (p.first != "service" && !(p.first == "dbname" && dbname_is_conninfo)) bare_params.push_back(p);
    Settled bare = settle(bare_vars, bare_params);
    std::string explicit_origin = source;
    // PQconninfo does not report the service in libpq 15: take it where
    // libpq does, a service= given by the caller first, then PGSERVICE.
    std::string service = explicit_service;
    std::string service_origin = explicit_origin;
    if (service.empty()) {
        service = get(vars, "PGSERVICE").value_or("");
        service_origin = "PGSERVICE";
    }
    auto origin = [&](const std::string& key, const std::string& value) {
        return origin_of(key, value, explicit_keys, explicit_origin, no_env, bare, service, vars);
    };

    std::vector<std::string> hosts = split_conn_list(full.host);
    std::vector<std::string> addrs = split_conn_list(full.hostaddr);
    std::vector<std::string> ports = split_conn_list(full.port);
    std::size_t count = std::max(full.host.empty() ? 1 : hosts.size(), full.hostaddr.empty() ? 1 : addrs.size());

    std::vector<Target> targets;
    for (std::size_t i = 0; i < count; ++i) {
        Target t = base;
        std::string host = i < hosts.size() ? hosts[i] : "";
        std::string addr = i < addrs.size() ? addrs[i] : "";
        std::string port = ports.size() == 1 ? ports[0] : (i < ports.size() ? ports[i] : "");
        std::string host_origin = origin("host", full.host);
        if (host.empty() && !addr.empty()) {
            host = addr;  // what PQhost reports for a hostaddr alone
            host_origin = origin("hostaddr", full.hostaddr);
        } else if (host.empty()) {
            host = default_socket_dir();
            host_origin = "libpq default";
        }
        if (port.empty()) port = "5432";
        // libpq checks the port only when it connects; check it here so a
        // typo shows as unknown, not as a target.
        if (!valid_port(port)) {
            // Without the value: a password with an unescaped ':' or '/' in a
            // URI can end up here.
            t.problems.push_back("libpq: the port is not an integer");
            warnings.push_back("pg (" + source + "): " + t.problems.back());
        }
        t.set("service", service, service.empty() ? "" : service_origin);
        t.set("host", host, host_origin);
        if (!addr.empty()) t.set("hostaddr", addr, origin("hostaddr", full.hostaddr));
        t.set("port", port, origin("port", full.port));
        t.set("dbname", full.dbname, origin("dbname", full.dbname));
        t.set("user", full.user, origin("user", full.user));
        targets.push_back(std::move(t));
    }
    return targets;
}

}  // namespace sentinel
