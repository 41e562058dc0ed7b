#include "sentinel/core/guard/audit.hpp"

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>

#include "sentinel/core/sanitize.hpp"

namespace sentinel {

std::string rfc3339_utc(std::int64_t unix_seconds) {
    std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string format_audit_record(const AuditRecord& r) {
    nlohmann::ordered_json j;
    j["time"] = rfc3339_utc(r.time);
    j["user"] = sanitize(r.user);
    j["uid"] = r.uid;
    j["pid"] = r.pid;
    j["tty"] = sanitize(r.tty);
    j["tier"] = sanitize(r.tier);
    j["kind"] = sanitize(r.kind);
    j["target"] = sanitize(r.target);
    nlohmann::ordered_json fields = nlohmann::ordered_json::object();
    for (const auto& [k, v] : r.fields) fields[sanitize(k)] = sanitize(v);
    j["fields"] = fields;
    j["tool"] = sanitize(r.tool);
    j["action"] = sanitize(r.action);
    j["risk"] = sanitize(r.risk);
    j["decision"] = sanitize(r.decision);
    j["reason"] = sanitize(r.reason);
    if (!r.undo.empty()) j["undo"] = sanitize(r.undo);
    // ensure_ascii: one line, no raw byte above 0x7f, whatever the names hold.
    return j.dump(-1, ' ', true) + "\n";
}

std::string format_audit_line(std::string_view json_line) {
    auto j = nlohmann::json::parse(json_line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return "(unreadable record)";
    auto s = [&](const char* key) {
        auto it = j.find(key);
        if (it == j.end()) return std::string("-");
        std::string v = it->is_string() ? it->get<std::string>() : it->dump();
        v = sanitize(v);
        return v.empty() ? std::string("-") : v;
    };
    return s("time") + " " + s("decision") + " " + s("tier") + " " + s("kind") + " " + s("target") + " " + s("tool") +
           " " + s("action") + " (" + s("reason") + ") " + s("tty") + " " + s("user") +
           (j.contains("undo") ? " undo " + s("undo") : "");
}

std::optional<std::string> audit_json_line(std::string_view json_line) {
    auto j = nlohmann::json::parse(json_line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    bool printable = std::all_of(json_line.begin(), json_line.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
    if (printable) return std::string(json_line);
    return j.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

}  // namespace sentinel
