// The two forms of the doctor's report (core/doctor/checks.hpp).

#include <nlohmann/json.hpp>

#include "sentinel/core/doctor/checks.hpp"
#include "sentinel/core/sanitize.hpp"

namespace sentinel {

std::string format_doctor_text(const std::vector<Check>& checks) {
    std::string out;
    std::size_t failed = 0;
    std::size_t warned = 0;
    for (const Check& c : checks) {
        std::string tag = c.status == CheckStatus::ok ? "ok  " : c.status == CheckStatus::warn ? "warn" : "FAIL";
        failed += c.status == CheckStatus::fail;
        warned += c.status == CheckStatus::warn;
        out += tag + " " + sanitize(c.name) + ": " + sanitize(c.message);
        if (!c.fix.empty()) out += "; fix: " + sanitize(c.fix);
        out += "\n";
    }
    if (failed) out += std::to_string(failed) + " problem(s) found\n";
    else out += std::string("all is well") + (warned ? " (" + std::to_string(warned) + " warning(s))" : "") + "\n";
    return out;
}

std::string format_doctor_json(const std::vector<Check>& checks) {
    nlohmann::ordered_json root;
    root["version"] = 1;
    root["ok"] = all_well(checks);
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Check& c : checks) {
        nlohmann::ordered_json j;
        j["name"] = sanitize(c.name);
        j["status"] = std::string(check_status_name(c.status));
        j["message"] = sanitize(c.message);
        j["fix"] = sanitize(c.fix);
        list.push_back(std::move(j));
    }
    root["checks"] = std::move(list);
    return root.dump(-1, ' ', true) + "\n";
}

}  // namespace sentinel
