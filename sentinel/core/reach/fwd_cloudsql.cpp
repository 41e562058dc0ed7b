// Cloud SQL Auth Proxy: cloud-sql-proxy (v2) and cloud_sql_proxy (v1).
// Source: `cloud-sql-proxy --help` (v2.x: instance connection names as
// arguments, `--port` the first port, "?port=N" per instance, ports counting
// up) and the v1 README (`-instances=NAME=tcp:[ADDR:]PORT`, `-dir`).

#include <set>

#include "sentinel/core/reach/endpoint.hpp"
#include "sentinel/core/reach/forwarder.hpp"

namespace sentinel {
namespace {

// v2 flags that take a value. Credentials flags are among them: their
// values are skipped, never read.
const std::set<std::string, std::less<>> kV2Values = {
    "address", "a", "port", "p", "unix-socket", "u", "credentials-file", "c", "token", "t", "login-token",
    "json-credentials", "j", "impersonate-service-account", "sqladmin-api-endpoint", "quota-project",
    "max-connections", "max-sigterm-delay", "telemetry-project", "telemetry-prefix", "telemetry-sample-rate",
    "prometheus-namespace", "http-address", "http-port", "admin-port", "fuse", "fuse-tmp-dir", "config-file",
    "universe-domain", "user-agent", "min-sigterm-delay", "unix-socket-path",
};

struct Instance {
    std::string name;
    int port = 0;       // 0: not fixed on the command line
    bool unix_socket = false;
};

// "--name=value", "-name=value", "--name value": {name, value, consumed next}.
bool flag(const std::vector<std::string>& args, std::size_t& i, std::string& name, std::string& value,
          const std::set<std::string, std::less<>>& takes_value) {
    const std::string& a = args[i];
    if (a.size() < 2 || a[0] != '-') return false;
    name = a.substr(a[1] == '-' ? 2 : 1);
    value.clear();
    if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
    } else if (takes_value.count(name) && i + 1 < args.size()) {
        value = args[++i];
    }
    return true;
}

Forward result(const std::string& program, const std::vector<Instance>& instances, int port,
               const std::string& path) {
    Forward f;
    f.kind = program;
    f.program = "cloud-sql-proxy";
    f.command = program;
    const Instance* chosen = nullptr;
    for (const Instance& in : instances) {
        if (port && in.port == port) chosen = &in;
        if (!port && !path.empty() && path.find("/" + in.name + "/") != std::string::npos) chosen = &in;
    }
    if (!chosen && instances.size() == 1) chosen = &instances[0];
    if (!chosen) {
        f.problems.push_back(instances.empty() ? program + " without an instance"
                                               : program + ": no instance is served on this port");
        return f;
    }
    f.goal = Forward::Goal::remote;
    f.set("instance", chosen->name);
    f.command += " " + chosen->name;
    return f;
}

}  // namespace

Forward cloud_sql_forward(const std::string& program, const std::vector<std::string>& args, int port,
                          const std::string& path) {
    std::vector<Instance> instances;
    if (program == "cloud_sql_proxy") {
        static const std::set<std::string, std::less<>> kV1Values = {
            "instances", "dir", "credential_file", "token", "projects", "instances_metadata", "ip_address_types",
            "max_connections", "term_timeout", "fuse_tmp", "log_debug_stdout", "quota_project",
            "sqladmin_api_endpoint", "health_check_port"};
        for (std::size_t i = 0; i < args.size(); ++i) {
            std::string name, value;
            if (!flag(args, i, name, value, kV1Values) || name != "instances") continue;
            std::size_t start = 0;
            while (start <= value.size()) {
                std::size_t comma = value.find(',', start);
                std::string spec = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
                start = comma == std::string::npos ? value.size() + 1 : comma + 1;
                if (spec.empty()) continue;
                Instance in;
                std::size_t eq = spec.find('=');
                in.name = spec.substr(0, eq);
                in.unix_socket = eq == std::string::npos;
                if (!in.unix_socket) {
                    std::string where = spec.substr(eq + 1);  // tcp:[ADDR:]PORT
                    in.port = parse_port(where.substr(where.rfind(':') + 1)).value_or(0);
                }
                instances.push_back(in);
            }
        }
        return result(program, instances, port, path);
    }
    int next = 5432;
    bool unix_socket = false;
    std::vector<std::size_t> unfixed;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string name, value;
        if (flag(args, i, name, value, kV2Values)) {
            if (name == "port" || name == "p") next = parse_port(value).value_or(next);
            if (name == "unix-socket" || name == "u") unix_socket = true;
            continue;
        }
        Instance in;
        std::string spec = args[i];
        std::size_t q = spec.find('?');
        in.name = spec.substr(0, q);
        in.unix_socket = unix_socket;
        if (q != std::string::npos) {
            std::string query = spec.substr(q + 1);
            std::size_t at = query.find("port=");
            while (at != std::string::npos && at > 0 && query[at - 1] != '&') at = query.find("port=", at + 1);
            if (at != std::string::npos) in.port = parse_port(query.substr(at + 5, query.find('&', at) - at - 5)).value_or(0);
            if (query.find("unix-socket") != std::string::npos) in.unix_socket = true;
        }
        if (!in.port && !in.unix_socket) unfixed.push_back(instances.size());
        instances.push_back(in);
    }
    for (std::size_t index : unfixed) instances[index].port = next++;
    return result(program, instances, port, path);
}

}  // namespace sentinel
