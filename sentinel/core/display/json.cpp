#include <nlohmann/json.hpp>

#include "sentinel/core/display/format.hpp"
#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

nlohmann::ordered_json sanitized(const std::vector<std::string>& list) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const std::string& s : list) out.push_back(sanitize(s));
    return out;
}

}  // namespace

std::string format_json(const Snapshot& snapshot, const Display& display) {
    nlohmann::ordered_json root;
    root["version"] = 1;
    root["tier"] = snapshot.tier.name();
    root["label"] = display.label;
    nlohmann::ordered_json targets = nlohmann::ordered_json::array();
    for (const Target& t : snapshot.targets) {
        nlohmann::ordered_json j;
        j["kind"] = kind_name(t.kind);
        for (const Field& f : t.fields) j[f.name] = sanitize(f.value);
        // kube targets always list their files; the others when a file
        // (a dotenv file, a cloud CLI's config) gave a value.
        if (t.kind == Kind::kube || !t.files.empty()) j["files"] = sanitized(t.files);
        j["sources"] = sanitized(t.sources);
        j["tier"] = sanitize(t.tier.name());
        j["rule"] = sanitize(t.rule);
        j["problems"] = sanitized(t.problems);
        targets.push_back(std::move(j));
    }
    root["targets"] = std::move(targets);
    root["warnings"] = sanitized(snapshot.warnings);
    // Sanitized strings are valid UTF-8; ensure_ascii keeps the output 7-bit.
    return root.dump(-1, ' ', true) + "\n";
}

}  // namespace sentinel
