#include "sentinel/core/display/chain.hpp"

#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

constexpr const char* kArrow = " \u2192 ";

std::string label(const Config& config, const std::string& tier) {
    const TierSpec* spec = config.spec(Tier(tier));
    return sanitize(spec && !spec->label.empty() ? spec->label : tier);
}

// "host:port", "[::1]:port", a socket path, "" when none.
std::string remote_of(const Hop& h) {
    if (!h.get("remote_socket").empty()) return sanitize(h.get("remote_socket"));
    const std::string& host = h.get("remote_host");
    if (host.empty()) return "";
    std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return sanitize(shown) + (h.get("remote_port").empty() ? "" : ":" + sanitize(h.get("remote_port")));
}

}  // namespace

std::string describe_hop(const Hop& h) {
    std::string remote = remote_of(h);
    if (h.kind == "unknown") {
        if (h.pid) return "unrecognised listener " + sanitize(h.command) + " (pid " + std::to_string(h.pid) + ")";
        if (h.uid >= 0) return "a process of uid " + std::to_string(h.uid) + " you cannot see";
        return "an unknown listener";
    }
    std::string out = sanitize(h.kind);
    if (h.kind.find("port-forward") != std::string::npos) {
        out += " " + sanitize(h.get("resource"));
        if (!h.get("context").empty()) out += " (context " + sanitize(h.get("context")) + ")";
    } else if (h.kind.find("proxy") != std::string::npos && h.kind.rfind("kubectl", 0) == 0) {
        if (!h.get("context").empty()) out += " (context " + sanitize(h.get("context")) + ")";
    } else if (h.kind == "ssh") {
        out += " " + sanitize(h.get("ssh_host"));
        if (!remote.empty()) out += kArrow + remote;
    } else if (h.kind == "pgbouncer") {
        if (!h.get("database").empty()) out += " " + sanitize(h.get("database"));
        if (!remote.empty()) out += kArrow + remote + "/" + sanitize(h.get("remote_dbname"));
    } else if (h.kind.find("cloud") != std::string::npos) {
        out += " " + sanitize(h.get("instance"));
    } else if (h.kind == "docker-proxy") {
        if (!h.get("container_ip").empty())
            out += kArrow + sanitize(h.get("container_ip")) + ":" + sanitize(h.get("container_port"));
    } else if (!remote.empty()) {
        out += kArrow + remote;
    }
    if (h.tier == Tier::unknown() && !h.problems.empty()) out += " (destination unknown)";
    return out;
}

std::string server_marks(const Target& t, const Config& config) {
    if (!t.server) return "";
    std::string out;
    if (t.server->replica) out += " \u00b7 replica";
    if (!t.server->declared_tier.empty()) out += " \u00b7 declared " + label(config, t.server->declared_tier);
    if (!t.server->pinned_tier.empty()) out += " \u00b7 pinned " + label(config, t.server->pinned_tier);
    return out;
}

std::string format_server_word(const Target& t) {
    if (!t.server) return "";
    const ServerWord& s = *t.server;
    std::string out;
    auto add = [&](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
    if (t.kind == Kind::pg) add(s.replica ? "replica (in recovery)" : "primary");
    if (!s.cluster_name.empty()) add("cluster_name \"" + sanitize(s.cluster_name) + "\"");
    add(s.declared_tier.empty() ? std::string("declares no tier") : "declares " + sanitize(s.declared_tier));
    if (!s.pinned_tier.empty()) add("pinned " + sanitize(s.pinned_tier) + " by " + sanitize(s.pin_origin));
    if (!s.system_identifier.empty()) add("system identifier " + sanitize(s.system_identifier));
    if (!s.kube_system_uid.empty()) add("kube-system uid " + sanitize(s.kube_system_uid));
    if (!s.server_version.empty()) add("PostgreSQL " + sanitize(s.server_version));
    if (!s.server_address.empty()) add("at " + sanitize(s.server_address));
    if (!s.probed_at.empty()) add("asked " + sanitize(s.probed_at));
    return out;
}

std::vector<std::string> target_lines(const Target& t) {
    std::vector<std::string> out;
    for (const Hop& h : t.via) {
        std::string line = "via " + sanitize(h.kind) + " on " + sanitize(h.listen);
        if (h.pid) line += " (pid " + std::to_string(h.pid) + (h.uid >= 0 ? ", uid " + std::to_string(h.uid) : "") + ")";
        else if (h.uid >= 0) line += " (uid " + std::to_string(h.uid) + ")";
        if (!h.command.empty()) line += ": " + sanitize(h.command);
        out.push_back(line + "; reaches " + sanitize(h.tier.name()) + " by " + sanitize_rule(h.rule));
        for (const std::string& p : h.problems) out.push_back("  problem: " + sanitize(p));
    }
    if (std::string word = format_server_word(t); !word.empty()) out.push_back("server said: " + word);
    return out;
}

}  // namespace sentinel
