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

nlohmann::ordered_json fields_object(const std::vector<Field>& fields) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (const Field& f : fields) out[f.name] = sanitize(f.value);
    return out;
}

// A traced target's hops (Hop in core/target.hpp), in order.
nlohmann::ordered_json via_array(const std::vector<Hop>& via) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const Hop& h : via) {
        nlohmann::ordered_json j;
        j["kind"] = sanitize(h.kind);
        j["listen"] = sanitize(h.listen);
        j["pid"] = h.pid;
        j["uid"] = h.uid;
        j["command"] = sanitize(h.command);
        j["reached"] = fields_object(h.reached);
        j["tier"] = sanitize(h.tier.name());
        j["rule"] = sanitize(h.rule);
        j["problems"] = sanitized(h.problems);
        out.push_back(std::move(j));
    }
    return out;
}

nlohmann::ordered_json server_object(const ServerWord& s) {
    nlohmann::ordered_json j;
    j["declared_tier"] = sanitize(s.declared_tier);
    j["replica"] = s.replica;
    j["cluster_name"] = sanitize(s.cluster_name);
    j["system_identifier"] = sanitize(s.system_identifier);
    j["kube_system_uid"] = sanitize(s.kube_system_uid);
    j["server_version"] = sanitize(s.server_version);
    j["server_address"] = sanitize(s.server_address);
    j["pinned_tier"] = sanitize(s.pinned_tier);
    j["pin_origin"] = sanitize(s.pin_origin);
    j["probed_at"] = sanitize(s.probed_at);
    return j;
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
        if (!t.via.empty()) j["via"] = via_array(t.via);
        if (t.server) j["server"] = server_object(*t.server);
        targets.push_back(std::move(j));
    }
    root["targets"] = std::move(targets);
    root["warnings"] = sanitized(snapshot.warnings);
    // Sanitized strings are valid UTF-8; ensure_ascii keeps the output 7-bit.
    return root.dump(-1, ' ', true) + "\n";
}

}  // namespace sentinel
