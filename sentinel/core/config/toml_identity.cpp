#include "sentinel/core/config/toml_identity.hpp"

namespace sentinel {
namespace {

Error at(const std::string& path, const toml::source_region& source, std::string message) {
    return Error{path, static_cast<int>(source.begin.line), static_cast<int>(source.begin.column), std::move(message)};
}

}  // namespace

Result<IdentityPin> parse_identity(const std::string& path, const toml::node& node) {
    const toml::table* table = node.as_table();
    if (!table) return at(path, node.source(), "each [[identity]] entry must be a table");
    IdentityPin pin;
    pin.origin = path + ":" + std::to_string(node.source().begin.line) + ":" + std::to_string(node.source().begin.column);
    bool has_tier = false;
    for (const auto& [key, value] : *table) {
        std::string_view k = key.str();
        std::optional<std::string> text = value.value<std::string>();
        std::string tier;
        std::string* slot = k == "system_identifier" ? &pin.system_identifier
                            : k == "cluster_name"    ? &pin.cluster_name
                            : k == "kube_system_uid" ? &pin.kube_system_uid
                            : k == "tier"            ? &tier
                                                     : nullptr;
        if (!slot)
            return at(path, key.source(),
                      "unknown key \"" + std::string(k) +
                          "\" in [[identity]] (keys: system_identifier, cluster_name, kube_system_uid, tier)");
        // A system identifier is a 64-bit number: written bare it is still accepted.
        if (!text && k == "system_identifier")
            if (auto number = value.value<int64_t>()) text = std::to_string(*number);
        if (!text || text->empty()) return at(path, value.source(), "\"" + std::string(k) + "\" must be a non-empty string");
        *slot = *text;
        if (k == "tier") {
            pin.tier = Tier(tier);
            has_tier = true;
        }
    }
    if (!has_tier) return at(path, node.source(), "[[identity]] has no \"tier\"");
    if (pin.system_identifier.empty() && pin.cluster_name.empty() && pin.kube_system_uid.empty())
        return at(path, node.source(), "[[identity]] names no server: give system_identifier, cluster_name or kube_system_uid");
    return pin;
}

}  // namespace sentinel
