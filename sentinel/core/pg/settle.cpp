#include "sentinel/core/pg/settle.hpp"

#include <algorithm>
#include <memory>

#include "sentinel/core/pg/libpq.hpp"
#include "sentinel/core/vars.hpp"
#include "sentinel/core/pg/service_file.hpp"

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

namespace {

// Results as text and back, to carry them out of a child process
// (FileReader::run_bounded): each string as <length>:<bytes>; a result as
// "1", its options (key, value), an empty key, then first_host; or "0" and
// the error.
void put(std::string& out, const std::string& value) { out += std::to_string(value.size()) + ":" + value; }

bool take(std::string_view& in, std::string& value) {
    std::size_t colon = in.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 9) return false;
    std::size_t len = 0;
    for (char c : in.substr(0, colon)) {
        if (c < '0' || c > '9') return false;
        len = len * 10 + static_cast<std::size_t>(c - '0');
    }
    if (in.size() - colon - 1 < len) return false;
    value.assign(in.substr(colon + 1, len));
    in.remove_prefix(colon + 1 + len);
    return true;
}

std::string encode_results(const std::vector<Result<Settled>>& results) {
    std::string out;
    for (const Result<Settled>& r : results) {
        if (!r) {
            out += '0';
            put(out, r.error().message);
            continue;
        }
        out += '1';
        for (const auto& [k, v] : r->options) put(out, k), put(out, v);
        put(out, "");
        put(out, r->first_host);
    }
    return out;
}

bool decode_results(std::string_view in, std::size_t count, std::vector<Result<Settled>>& out) {
    for (std::size_t i = 0; i < count; ++i) {
        if (in.empty()) return false;
        char kind = in[0];
        in.remove_prefix(1);
        if (kind == '0') {
            std::string error;
            if (!take(in, error)) return false;
            out.emplace_back(Error{"", 0, 0, error});
        } else if (kind == '1') {
            Settled s;
            for (;;) {
                std::string k, v;
                if (!take(in, k)) return false;
                if (k.empty()) break;
                if (!take(in, v)) return false;
                s.options[k] = v;
            }
            if (!take(in, s.first_host)) return false;
            out.emplace_back(std::move(s));
        } else {
            return false;
        }
    }
    return in.empty();
}

std::vector<Result<Settled>> settle_each(const std::vector<SettleCall>& calls) {
    std::vector<Result<Settled>> out;
    for (const SettleCall& c : calls) out.push_back(settle_options(c.vars, c.params, c.pass));
    return out;
}

}  // namespace

Result<std::vector<Result<Settled>>> settle_all(const std::vector<SettleCall>& calls, const FileReader* files) {
    bool service = files && std::any_of(calls.begin(), calls.end(),
                                        [](const SettleCall& c) { return reads_service_file(c.vars, c.params); });
    if (!service) return settle_each(calls);
    std::size_t bytes = 0;
    for (const SettleCall& c : calls) {
        std::size_t size = 0;
        if (auto bad = check_service_files(c.vars, *files, size)) return Error{"", 0, 0, "service file " + *bad};
        bytes = std::max(bytes, size);
    }
    (void)libpq();  // loaded here, so that a child process inherits it
    auto text = files->run_bounded([&] { return encode_results(settle_each(calls)); }, bytes);
    if (!text) return Error{"", 0, 0, "libpq on the service files: " + text.error().message};
    std::vector<Result<Settled>> out;
    if (!decode_results(*text, calls.size(), out)) return Error{"", 0, 0, "no answer from libpq"};
    return out;
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

Result<PinnedConnection> settle_connection(const Vars& vars, const ConnParams& params, const FileReader* files) {
    auto passes = settle_all(
        {{vars, params, {.before = {{"password", kPlaceholderPassword}}, .after = {}, .stop_key = "sslmode"}},
         {vars, params,
          {.before = {{"passfile", "/nonexistent/sentinel-no-passfile"}}, .after = {},
           .stop_key = "target_session_attrs"}}},
        files);
    if (!passes) return passes.error();
    const Result<Settled>& a = (*passes)[0];
    const Result<Settled>& b = (*passes)[1];
    if (!a) return Error{"", 0, 0, scrub_libpq_message(a.error().message, libpq_safe_names(vars, params))};
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
