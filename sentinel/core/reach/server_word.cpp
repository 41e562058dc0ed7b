#include "sentinel/core/reach/server_word.hpp"

#include <nlohmann/json.hpp>

#include "sentinel/core/reach/endpoint.hpp"
#include "sentinel/core/reach/rank.hpp"

namespace sentinel {

const char* const kPgProbeQuery =
    "SELECT current_setting('sentinel.tier', true), current_setting('cluster_name'), "
    "pg_is_in_recovery()::text, host(inet_server_addr()), inet_server_port()::text, "
    "current_setting('server_version'), "
    "CASE WHEN has_function_privilege('pg_control_system()', 'EXECUTE') "
    "THEN (SELECT system_identifier::text FROM pg_control_system()) END";

ServerWord pg_server_word(const std::vector<std::string>& c) {
    ServerWord w;
    auto at = [&](std::size_t i) { return i < c.size() ? c[i] : std::string(); };
    w.declared_tier = at(0);
    w.cluster_name = at(1);
    w.replica = at(2) == "t" || at(2) == "true";
    if (!at(3).empty()) w.server_address = (at(3).find(':') != std::string::npos ? "[" + at(3) + "]" : at(3)) + ":" + at(4);
    w.server_version = at(5);
    w.system_identifier = at(6);
    return w;
}

Result<ServerWord> kube_server_word(std::string_view json) {
    nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return Error{"", 0, 0, "the API server's answer is not JSON"};
    if (doc.value("kind", "") != "Namespace") return Error{"", 0, 0, "the API server's answer is not a Namespace"};
    const nlohmann::json& meta = doc["metadata"];
    if (!meta.is_object() || !meta.contains("uid") || !meta["uid"].is_string() || meta["uid"].get<std::string>().empty())
        return Error{"", 0, 0, "namespace kube-system has no uid"};
    ServerWord w;
    w.kube_system_uid = meta["uid"].get<std::string>();
    for (const char* where : {"annotations", "labels"}) {  // the label wins: it is read last
        if (meta.contains(where) && meta[where].is_object() && meta[where].contains("sentinel/tier") &&
            meta[where]["sentinel/tier"].is_string())
            w.declared_tier = meta[where]["sentinel/tier"].get<std::string>();
    }
    return w;
}

const IdentityPin* matching_identity(const ServerWord& w, const Config& config) {
    for (const IdentityPin& pin : config.identities) {
        auto same = [](const std::string& pinned, const std::string& said) { return pinned.empty() || pinned == said; };
        if (same(pin.system_identifier, w.system_identifier) && same(pin.cluster_name, w.cluster_name) &&
            same(pin.kube_system_uid, w.kube_system_uid))
            return &pin;
    }
    return nullptr;
}

void apply_server_word(Target& target, ServerWord word, const Config& config, std::vector<std::string>& warnings) {
    word.pinned_tier.clear();
    word.pin_origin.clear();
    if (const IdentityPin* pin = matching_identity(word, config)) {
        word.pinned_tier = pin->tier.name();
        word.pin_origin = pin->origin;
    }
    Tier declared = word.declared_tier.empty() ? Tier::none() : Tier(word.declared_tier);
    if (declared != Tier::none() && !config.spec(declared)) {
        warnings.push_back("the server declares tier \"" + word.declared_tier +
                           "\", which the configuration does not define; treated as unknown");
        declared = Tier::unknown();
    }
    Tier tier = more_dangerous(config, target.tier, declared);
    if (tier != target.tier) target.rule = "declared by the server (sentinel.tier)";
    Tier pinned = more_dangerous(config, tier, word.pinned_tier.empty() ? Tier::none() : Tier(word.pinned_tier));
    if (pinned != tier) target.rule = "pinned identity at " + word.pin_origin;
    target.tier = pinned;
    target.server = std::move(word);
}

bool wants_probe(const Target& target, const Config& config) {
    if (target.kind == Kind::env || !target.problems.empty()) return false;
    switch (config.probe) {
        case ProbeMode::never: return false;
        case ProbeMode::always: return true;
        case ProbeMode::guarded: break;
    }
    if (!target.via.empty()) return true;
    if (target.kind == Kind::pg ? pg_endpoint(target).has_value() : kube_endpoint(target).has_value()) return true;
    // A tier that asks, but not yet for the name: a declared or pinned tier
    // could make the question stricter. Under type-name (production,
    // unknown) nothing the server says can change the decision.
    const TierSpec* spec = config.spec(target.tier);
    return spec && spec->policy == Policy::yes;
}

namespace {

Result<std::string> toml_string(const std::string& value) {
    std::string out = "\"";
    for (char c : value) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return Error{"", 0, 0, "a control character in a value"};
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

}  // namespace

Result<std::string> identity_entry(const ServerWord& word, Kind kind, const std::string& tier,
                                   const std::string& described_as, const Config& config) {
    if (!config.spec(Tier(tier))) return Error{"", 0, 0, "unknown tier \"" + tier + "\""};
    std::string key, value;
    if (kind == Kind::kube) key = "kube_system_uid", value = word.kube_system_uid;
    else if (!word.system_identifier.empty()) key = "system_identifier", value = word.system_identifier;
    else if (!word.cluster_name.empty()) key = "cluster_name", value = word.cluster_name;
    if (value.empty())
        return Error{"", 0, 0, kind == Kind::kube ? "the cluster gave no kube-system uid"
                                                  : "the server gave neither its system identifier (the role may not "
                                                    "execute pg_control_system()) nor a cluster_name"};
    auto quoted_value = toml_string(value);
    auto quoted_tier = toml_string(tier);
    if (!quoted_value || !quoted_tier) return Error{"", 0, 0, "the identity holds a control character"};
    std::string comment;
    for (char c : described_as) comment += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    return "\n# pinned by `sentinel probe --pin " + tier + "`: " + comment + "\n[[identity]]\n" + key + " = " +
           *quoted_value + "\ntier = " + *quoted_tier + "\n";
}

}  // namespace sentinel
