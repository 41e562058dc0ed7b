#include "sentinel/core/reach/probe_cache.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <vector>

#include "sentinel/core/reach/server_word.hpp"

namespace sentinel {
namespace {

// ServerWord fields as JSON keys.
const std::pair<const char*, std::string ServerWord::*> kFields[] = {
    {"declared_tier", &ServerWord::declared_tier},       {"cluster_name", &ServerWord::cluster_name},
    {"system_identifier", &ServerWord::system_identifier}, {"kube_system_uid", &ServerWord::kube_system_uid},
    {"server_version", &ServerWord::server_version},     {"server_address", &ServerWord::server_address},
    {"probed_at", &ServerWord::probed_at},
};

}  // namespace

std::string probe_cache_path(const Vars& vars) {
    if (auto xdg = get(vars, "XDG_CACHE_HOME"); xdg && !xdg->empty() && (*xdg)[0] == '/')
        return *xdg + "/sentinel/probes.json";
    if (auto home = get(vars, "HOME"); home && !home->empty() && (*home)[0] == '/')
        return *home + "/.cache/sentinel/probes.json";
    return "";
}

std::string probe_key(const Target& t) {
    if (!t.problems.empty() || t.kind == Kind::env) return "";
    std::string key;
    if (t.kind == Kind::pg)
        key = "pg " + t.get("host") + " " + t.get("hostaddr") + " " + t.get("port") + " " + t.get("dbname") + " " +
              t.get("user");
    else key = "kube " + t.get("server");
    if (!t.via.empty()) key += " via " + t.via.front().identity;
    return key;
}

std::map<std::string, ProbeEntry> parse_probe_cache(std::string_view text) {
    std::map<std::string, ProbeEntry> out;
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || doc.value("version", 0) != 1) return out;
    auto entries = doc.find("entries");
    if (entries == doc.end() || !entries->is_object()) return out;
    for (auto it = entries->begin(); it != entries->end(); ++it) {
        const nlohmann::json& e = it.value();
        if (!e.is_object()) continue;
        ProbeEntry entry;
        for (const auto& [name, member] : kFields)
            if (auto f = e.find(name); f != e.end() && f->is_string()) entry.word.*member = f->get<std::string>();
        if (auto f = e.find("replica"); f != e.end() && f->is_boolean()) entry.word.replica = f->get<bool>();
        if (auto f = e.find("time"); f != e.end() && f->is_number_integer()) entry.time = f->get<std::int64_t>();
        out[it.key()] = std::move(entry);
    }
    return out;
}

std::string format_probe_cache(const std::map<std::string, ProbeEntry>& entries) {
    std::vector<const std::pair<const std::string, ProbeEntry>*> order;
    for (const auto& e : entries) order.push_back(&e);
    std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->second.time > b->second.time; });
    if (order.size() > kMaxProbeEntries) order.resize(kMaxProbeEntries);
    nlohmann::ordered_json out;
    out["version"] = 1;
    nlohmann::ordered_json list = nlohmann::ordered_json::object();
    for (const auto* e : order) {
        nlohmann::ordered_json j;
        for (const auto& [name, member] : kFields) j[name] = e->second.word.*member;
        j["replica"] = e->second.word.replica;
        j["time"] = e->second.time;
        list[e->first] = std::move(j);
    }
    out["entries"] = std::move(list);
    return out.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace) + "\n";
}

void apply_probe_cache(std::vector<Target>& targets, const Config& config,
                       const std::map<std::string, ProbeEntry>& entries, std::vector<std::string>& warnings) {
    for (Target& t : targets) {
        std::string key = probe_key(t);
        if (key.empty()) continue;
        auto it = entries.find(key);
        if (it != entries.end()) apply_server_word(t, it->second.word, config, warnings);
    }
}

}  // namespace sentinel
