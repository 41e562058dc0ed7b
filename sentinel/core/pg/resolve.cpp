#include "sentinel/core/pg/resolve.hpp"

#include <algorithm>
#include <cctype>

#include "sentinel/core/pg/settle.hpp"

namespace sentinel {
namespace {

// What resolve_pg reads of a settling pass.
struct Resolved {
    bool ok = false;
    std::string error;  // libpq's message when !ok, raw
    std::string host, hostaddr, port, dbname, user;
    std::string first_host;  // PQhost(): the default socket directory when no host is set
};

// The pass of every resolution. The placeholder password comes last, so
// that it overrides any password, empty ones included: libpq reads the
// password file whenever the password is empty.
const SettlePass kResolvePass = {.before = {}, .after = {{"password", kPlaceholderPassword}}, .stop_key = "sslmode"};

// What resolve_pg reads of one settling pass.
Resolved resolved_of(const Result<Settled>& s) {
    Resolved r;
    if (!s) {
        r.error = s.error().message;
        return r;
    }
    auto value = [&](const char* key) {
        auto it = s->options.find(key);
        return it == s->options.end() ? std::string() : it->second;
    };
    r.host = value("host");
    r.hostaddr = value("hostaddr");
    r.port = value("port");
    r.dbname = value("dbname");
    r.user = value("user");
    r.first_host = s->first_host;
    r.ok = true;
    return r;
}

// The Unix socket directory libpq uses when no host is given (its
// DEFAULT_PGSOCKET_DIR, /var/run/postgresql on Debian), as PQhost reports it.
const std::string& default_socket_dir() {
    static const std::string dir = [] {
        Resolved s = resolved_of(settle_options({}, {}, kResolvePass));
        return s.ok ? s.first_host : std::string("/var/run/postgresql");
    }();
    return dir;
}

// A dbname that libpq expands as a conninfo string or URI.
bool is_conninfo(const std::string& v) {
    return v.find('=') != std::string::npos || v.rfind("postgres://", 0) == 0 || v.rfind("postgresql://", 0) == 0;
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

// The values a resolution without PG* connection variables sees in their
// place, so that a value that differs came from the service or the caller:
// libpq reads a service before the variables, and a service's `user=root`
// is then told from libpq's default user root.
const std::vector<std::pair<std::string, std::string>> kMarkers = {
    {"PGHOST", "sentinel-unset.invalid"}, {"PGPORT", "1"}, {"PGDATABASE", "sentinel-unset"}, {"PGUSER", "sentinel-unset"}};

// Where a settled value came from. `explicit_keys` were passed by the caller,
// `no_env` is the same resolution without PG* connection variables,
// `marked` with kMarkers in their place and `bare` the one with neither
// those variables nor a service.
std::string origin_of(const std::string& key, const std::string& value, const std::vector<std::string>& explicit_keys,
                      const std::string& explicit_origin, const Resolved& no_env, const Resolved& marked,
                      const Resolved& bare, const std::string& service, const Vars& vars) {
    if (std::find(explicit_keys.begin(), explicit_keys.end(), key) != explicit_keys.end()) return explicit_origin;
    auto pick = [&](const Resolved& s) {
        if (key == "host") return s.host;
        if (key == "hostaddr") return s.hostaddr;
        if (key == "port") return s.port;
        if (key == "dbname") return s.dbname;
        return s.user;
    };
    static const std::vector<std::pair<std::string, std::string>> kEnv = {
        {"host", "PGHOST"}, {"hostaddr", "PGHOSTADDR"}, {"port", "PGPORT"}, {"dbname", "PGDATABASE"}, {"user", "PGUSER"}};
    if (no_env.ok && pick(no_env) == value) {
        std::string marker;
        for (const auto& [k, var] : kEnv)
            for (const auto& [name, v] : kMarkers)
                if (k == key && name == var) marker = v;
        if (marked.ok && !marker.empty()) {
            if (pick(marked) != marker) return "service \"" + service + "\"";
            return std::string("libpq default");
        }
        if (bare.ok && pick(bare) == value) return std::string("libpq default");
        return "service \"" + service + "\"";
    }
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
                               const std::vector<std::string>& flags, std::vector<std::string>& warnings,
                               const FileReader* files) {
    Target base;
    base.kind = Kind::pg;
    base.sources.push_back(source);
    for (const std::string& f : flags) base.sources.push_back(f);
    for (const char* name : {"PGSERVICE", "PGSERVICEFILE", "PGSYSCONFDIR", "PGHOST", "PGHOSTADDR", "PGPORT",
                             "PGDATABASE", "PGUSER"})
        if (get(vars, name)) base.sources.push_back(name);

    // The same resolution without the PG* connection variables, and without
    // those and any service, tell where each value came from (origin_of).
    // The three run together: under the budget of `files` when libpq reads
    // a service file.
    bool dbname_is_conninfo = false;
    for (const auto& [k, v] : params) dbname_is_conninfo = dbname_is_conninfo || (k == "dbname" && is_conninfo(v));
    Vars no_env_vars = vars;
    for (const std::string& name : pg_connection_variables()) no_env_vars.erase(name);
    Vars bare_vars = no_env_vars;
    bare_vars.erase("PGSERVICE");
    ConnParams bare_params;
    for (const auto& p : params)
        if (p.first != "service" && !(p.first == "dbname" && dbname_is_conninfo)) bare_params.push_back(p);
    // With a service, also with kMarkers in place of the variables: tells a
    // service's `user=root` from libpq's default user root (origin_of).
    bool has_service = dbname_is_conninfo || get(vars, "PGSERVICE").has_value() ||
                       std::any_of(params.begin(), params.end(), [](const auto& p) { return p.first == "service"; });
    Vars marked_vars = no_env_vars;
    for (const auto& [name, value] : kMarkers) marked_vars[name] = value;
    std::vector<SettleCall> calls = {{vars, params, kResolvePass}, {no_env_vars, params, kResolvePass},
                                     {bare_vars, bare_params, kResolvePass}};
    if (has_service) calls.push_back({marked_vars, params, kResolvePass});
    Resolved full, no_env, bare, marked;
    std::string refused;  // why libpq was not asked, or did not answer: sentinel's own words
    auto all = settle_all(calls, files);
    if (!all) {
        refused = all.error().message;
        full.error = refused;
    } else {
        full = resolved_of((*all)[0]);
        no_env = resolved_of((*all)[1]);
        bare = resolved_of((*all)[2]);
        if (has_service) marked = resolved_of((*all)[3]);
    }
    for (const auto& [k, v] : params) {
        if (k == "dbname" && uri_hides_userinfo(v)) {
            full.ok = false;
            full.error = "the URI has '@' after its host part: percent-encode '/', '?', '#' and '@' in a user name "
                         "or password (%2F, %3F, %23, %40)";
        }
    }
    if (!full.ok) {
        std::string why = refused.empty() ? "libpq: " + scrub_libpq_message(full.error, libpq_safe_names(vars, params))
                                          : refused;
        warnings.push_back("pg (" + source + "): " + why);
        base.problems.push_back(why);
        for (const char* key : {"service", "host", "port", "dbname", "user"}) base.set(key, "", "");
        if (auto service = get(vars, "PGSERVICE")) base.set("service", *service, "PGSERVICE");
        return {base};
    }

    std::vector<std::string> explicit_keys;
    std::string explicit_service;
    for (const auto& [k, v] : params) {
        explicit_keys.push_back(k);
        if (k == "service") explicit_service = v;
        if (k == "dbname" && is_conninfo(v)) {
            for (const auto& [key, value] : conninfo_keywords(v)) {
                explicit_keys.push_back(key);
                if (key == "service") explicit_service = value;
            }
        }
    }
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
        return origin_of(key, value, explicit_keys, explicit_origin, no_env, marked, bare, service, vars);
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
