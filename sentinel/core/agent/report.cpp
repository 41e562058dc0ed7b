#include "sentinel/core/agent/report.hpp"

#include "sentinel/core/agent/session.hpp"

namespace sentinel {
namespace {

// scheme://user:secret@host -> scheme://user:***@host (bash: pre=${v%@*};
// auth=${pre#*://}; when auth holds ':', user is ${auth%%:*}).
std::string redact_url(std::string_view v) {
    std::size_t scheme = v.find("://");
    std::size_t at = v.rfind('@');
    if (scheme == std::string_view::npos || at == std::string_view::npos || at < scheme + 3) return std::string(v);
    std::string_view auth = v.substr(scheme + 3, at - scheme - 3);
    std::size_t colon = auth.find(':');
    if (colon == std::string_view::npos) return std::string(v);
    return std::string(v.substr(0, scheme)) + "://" + std::string(auth.substr(0, colon)) + ":***@" +
           std::string(v.substr(at + 1));
}

}  // namespace

std::string redact_report_value(std::string_view value) {
    std::string v = redact_url(value);
    std::string out;
    const std::string key = "password=";
    for (std::size_t at = v.find(key); at != std::string::npos; at = v.find(key)) {
        out += v.substr(0, at) + key + "***";
        std::string rest = v.substr(at + key.size());
        if (!rest.empty() && rest[0] == '\'') {
            std::size_t close = rest.find('\'', 1);
            rest = close == std::string::npos ? std::string() : rest.substr(close + 1);
        } else {
            std::size_t end = rest.find_first_of(" &;");
            rest = end == std::string::npos ? std::string() : rest.substr(end);
        }
        v = rest;
    }
    return out + v;
}

Frame report_frame(const std::string& cwd, const Vars& vars, const std::vector<std::string>& names) {
    Frame f = {"REPORT", cwd};
    for (const std::string& name : names) {
        if (!is_variable_name(name) || is_secret_variable(name)) continue;
        auto value = get(vars, name);
        if (value) f.push_back(name + "=" + redact_report_value(*value));
    }
    return f;
}

}  // namespace sentinel
