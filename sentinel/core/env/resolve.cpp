#include "sentinel/core/env/resolve.hpp"

#include "sentinel/core/pg/resolve.hpp"

namespace sentinel {

std::string redact_url_password(const std::string& url) {
    std::size_t scheme = url.find("://");
    if (scheme == std::string::npos) return url;
    std::size_t start = scheme + 3;
    // The userinfo ends at the last '@': a password with an unescaped '/',
    // '?' or '#' must not end it early. Over-redacting a strange URL is the
    // safe mistake.
    std::size_t at = url.rfind('@');
    if (at == std::string::npos || at < start) return url;
    std::size_t colon = url.find(':', start);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::vector<Target> resolve_env(const Vars& vars, const std::vector<std::string>& names) {
    std::vector<Target> targets;
    for (const std::string& name : names) {
        auto value = get(vars, name);
        if (!value || value->empty()) continue;
        Target t;
        t.kind = Kind::env;
        t.set("name", name, name);
        t.set("value", redact_url_password(*value), name);
        t.sources.push_back(name);
        targets.push_back(std::move(t));
    }
    return targets;
}

std::vector<Target> resolve_database_url(const Vars& vars, std::vector<std::string>& warnings,
                                         const FileReader* files) {
    auto url = get(vars, "DATABASE_URL");
    if (!url || url->empty()) return {};
    if (url->rfind("postgres://", 0) == 0 || url->rfind("postgresql://", 0) == 0)
        return resolve_pg(vars, {{"dbname", *url}}, "DATABASE_URL", {}, warnings, files);
    return resolve_env(vars, {"DATABASE_URL"});
}

}  // namespace sentinel
