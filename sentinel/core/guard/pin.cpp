#include "sentinel/core/guard/pin.hpp"

#include <algorithm>
#include <string_view>

#include "sentinel/core/display/format.hpp"
#include "sentinel/core/pg/args.hpp"
#include "sentinel/core/sanitize.hpp"

namespace sentinel {
namespace {

std::string param(const ConnParams& params, const std::string& key) {
    for (const auto& [k, v] : params)
        if (k == key) return v;
    return {};
}

}  // namespace

std::string conninfo_quote(const std::string& value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

PinnedCommand pin_psql(const std::string& program, const PsqlCommandLine& cmd, const PinnedConnection& connection,
                       bool read_only, const Display* prompt_tier) {
    PinnedCommand out;
    out.argv.push_back(program);
    if (prompt_tier) {
        std::string label;
        for (char c : prompt_tier->shown_label()) {
            label += c;
            if (c == '%') label += '%';  // psql prompt escape
        }
        std::string sgr = prompt_tier->color.sgr(false);
        std::string on = sgr.empty() ? "" : "%[%033[1;" + sgr + "m%]";
        std::string off = sgr.empty() ? "" : "%[%033[0m%]";
        // What sentinel set, not what the session is: `SET
        // default_transaction_read_only = off` inside psql lifts it unseen.
        std::string suffix = read_only ? " opened read-only" : "";
        out.argv.push_back("-v");
        out.argv.push_back("PROMPT1=" + on + label + suffix + off + " %/%R%x%# ");
        out.argv.push_back("-v");
        out.argv.push_back("PROMPT2=" + on + label + suffix + off + " %/%R%x%# ");
    }
    for (const std::string& a : cmd.kept) out.argv.push_back(a);
    std::string conninfo;
    for (const auto& [k, v] : connection.params) {
        if (!conninfo.empty()) conninfo += ' ';
        conninfo += k + "=" + conninfo_quote(v);
    }
    out.argv.push_back("-d");
    out.argv.push_back(conninfo);
    out.unset_env = {"PGSERVICE", "PGSERVICEFILE", "PGHOST", "PGHOSTADDR", "PGPORT",
                     "PGDATABASE", "PGUSER", "PGOPTIONS", "SENTINEL_CONFIRM"};
    if (connection.password) out.set_env.emplace_back("PGPASSWORD", *connection.password);
    std::string options = connection.options;
    if (read_only) options += std::string(options.empty() ? "" : " ") + "-c default_transaction_read_only=on";
    if (!options.empty()) out.set_env.emplace_back("PGOPTIONS", options);
    return out;
}

bool pin_matches(const std::vector<Target>& targets, const PinnedConnection& connection) {
    if (targets.empty()) return false;
    std::string host = param(connection.params, "host");
    std::string hostaddr = param(connection.params, "hostaddr");
    std::vector<std::string> hosts = split_conn_list(host), addrs = split_conn_list(hostaddr),
                             ports = split_conn_list(param(connection.params, "port"));
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const Target& t = targets[i];
        if (t.kind != Kind::pg || !t.problems.empty()) return false;
        if (t.get("dbname") != param(connection.params, "dbname")) return false;
        if (t.get("user") != param(connection.params, "user")) return false;
        if (!host.empty() && (i >= hosts.size() || t.get("host") != hosts[i])) return false;
        if (!hostaddr.empty() && (i >= addrs.size() || t.get("hostaddr") != addrs[i])) return false;
        std::string port = ports.size() == 1 ? ports[0] : (i < ports.size() ? ports[i] : "");
        if (port.empty()) port = "5432";
        if (t.get("port") != port) return false;
    }
    return true;
}

std::vector<std::string> pin_kube(Tool tool, const std::vector<std::string>& argv, std::size_t at,
                                  const Target& target, const KubeOverrides& given, std::string& kubeconfig_env) {
    kubeconfig_env.clear();
    if (argv.empty()) return argv;
    std::vector<std::string> pins;
    auto pin = [&](const std::string& flag, const std::optional<std::string>& already, const std::string& field) {
        const std::string& value = target.get(field);
        if (!already && !value.empty()) pins.push_back("--" + flag + "=" + value);
    };
    if (tool == Tool::helm) {
        pin("kube-context", given.context, "context");
    } else {
        pin("context", given.context, "context");
        pin("cluster", given.cluster, "cluster");
        pin("user", given.user, "user");
    }
    if (!given.kubeconfig) {
        if (target.files.size() == 1) {
            pins.push_back("--kubeconfig=" + target.files[0]);
        } else if (target.files.size() > 1) {
            for (const std::string& f : target.files) kubeconfig_env += (kubeconfig_env.empty() ? "" : ":") + f;
        }
    }
    if (at < 1 || at > argv.size()) at = 1;
    std::vector<std::string> out(argv.begin(), argv.begin() + static_cast<long>(at));
    for (std::string& p : pins) out.push_back(std::move(p));
    out.insert(out.end(), argv.begin() + static_cast<long>(at), argv.end());
    return out;
}

}  // namespace sentinel
