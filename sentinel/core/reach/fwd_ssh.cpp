// ssh local forwards (-L, LocalForward), from its command line and from
// `ssh -G`. Source: ssh(1), ssh_config(5), OpenSSH 9.2 ssh.c and misc.c
// (parse_forward, hpdelim).

#include <cctype>

#include "sentinel/core/reach/endpoint.hpp"
#include "sentinel/core/reach/forwarder.hpp"

namespace sentinel {
namespace {

constexpr std::string_view kValueOptions = "BbcDEeFIiJLlmOoPpQRSWw";
// Options whose values `ssh -G` needs to compute the same configuration.
constexpr std::string_view kConfigOptions = "FoplJL46";

// One local forward: where it listens and what it connects to.
struct LocalForward {
    std::string listen_host;  // bind address, "" when none
    int listen_port = 0;      // 0 for a socket
    std::string listen_path;
    std::string host;         // remote host, "" for a socket
    std::string host_port;
    std::string socket;       // remote socket path
};

// Splits at ':' outside [...] (OpenSSH hpdelim), removing the brackets.
std::vector<std::string> split_colons(std::string_view spec) {
    std::vector<std::string> out;
    std::string cur;
    bool bracket = false;
    for (char c : spec) {
        if (c == '[' && cur.empty()) bracket = true;
        else if (c == ']' && bracket) bracket = false;
        else if (c == ':' && !bracket) {
            out.push_back(std::move(cur));
            cur.clear();
        } else cur += c;
    }
    out.push_back(std::move(cur));
    return out;
}

bool looks_like_path(const std::string& s) { return !s.empty() && s[0] == '/'; }

std::optional<LocalForward> parse_forward_spec(std::string_view spec) {
    std::vector<std::string> t = split_colons(spec);
    LocalForward f;
    auto listen = [&](const std::string& bind, const std::string& port_or_path) {
        if (looks_like_path(port_or_path)) f.listen_path = port_or_path;
        else if (auto p = parse_port(port_or_path)) f.listen_port = *p;
        else return false;
        f.listen_host = bind;
        return true;
    };
    if (t.size() == 4) {
        if (!listen(t[0], t[1])) return std::nullopt;
        f.host = t[2];
        f.host_port = t[3];
    } else if (t.size() == 3 && looks_like_path(t[0])) {
        f.listen_path = t[0];
        f.host = t[1];
        f.host_port = t[2];
    } else if (t.size() == 3 && looks_like_path(t[2])) {
        if (!listen(t[0], t[1])) return std::nullopt;
        f.socket = t[2];
    } else if (t.size() == 3) {
        if (!listen("", t[0])) return std::nullopt;
        f.host = t[1];
        f.host_port = t[2];
    } else if (t.size() == 2) {
        if (!listen("", t[0])) return std::nullopt;
        f.socket = t[1];
    } else {
        return std::nullopt;
    }
    return f;
}

bool matches(const LocalForward& f, int port, const std::string& path) {
    return port ? f.listen_port == port : (!path.empty() && f.listen_path == path);
}

void set_remote(Forward& out, const LocalForward& f, const std::string& origin) {
    if (!f.socket.empty()) {
        out.set("remote_socket", f.socket, origin);
    } else {
        out.set("remote_host", f.host, origin);
        out.set("remote_port", f.host_port, origin);
    }
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// `-o LocalForward=15432 db:5432` or `-o "LocalForward 15432 db:5432"`.
std::optional<std::string> local_forward_option(const std::string& option) {
    std::size_t sep = option.find_first_of("= \t");
    if (sep == std::string::npos || lower(option.substr(0, sep)) != "localforward") return std::nullopt;
    std::string rest = option.substr(sep + 1);
    while (!rest.empty() && (rest[0] == ' ' || rest[0] == '\t' || rest[0] == '=')) rest.erase(0, 1);
    std::size_t space = rest.find_first_of(" \t");
    if (space == std::string::npos) return std::nullopt;
    std::string connect = rest.substr(space + 1);
    while (!connect.empty() && (connect[0] == ' ' || connect[0] == '\t')) connect.erase(0, 1);
    return rest.substr(0, space) + ":" + connect;
}

}  // namespace

namespace {

// What an ssh command line says, before any forward is chosen.
struct SshCommandLine {
    std::string destination, login, port;
    std::vector<std::string> forwards;     // -L specs, and LocalForward options as specs
    std::vector<std::string> config_args;  // for `ssh -G`
};

SshCommandLine parse_ssh_args(const std::vector<std::string>& args) {
    SshCommandLine out;
    bool options = true;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (options && a == "--") {
            options = false;
            continue;
        }
        if (options && a.size() > 1 && a[0] == '-') {
            for (std::size_t k = 1; k < a.size(); ++k) {
                char c = a[k];
                bool config = kConfigOptions.find(c) != std::string_view::npos;
                if (kValueOptions.find(c) == std::string_view::npos) {
                    if (config) out.config_args.push_back(std::string("-") + c);
                    continue;
                }
                std::string value = k + 1 < a.size() ? a.substr(k + 1) : (i + 1 < args.size() ? args[++i] : "");
                if (config) out.config_args.insert(out.config_args.end(), {std::string("-") + c, value});
                if (c == 'L') out.forwards.push_back(value);
                else if (c == 'l') out.login = value;
                else if (c == 'p') out.port = value;
                else if (c == 'o')
                    if (auto lf = local_forward_option(value)) out.forwards.push_back(*lf);
                break;
            }
            continue;
        }
        if (!out.destination.empty()) break;  // the remote command starts here
        out.destination = a;
        options = true;  // OpenSSH parses options again after the destination
    }
    return out;
}

// ssh://[user@]host[:port] or [user@]host: the host; fills login and port
// when the command line did not give them.
std::string destination_host(SshCommandLine& cmd) {
    std::string host = cmd.destination;
    if (host.rfind("ssh://", 0) == 0) {
        host = host.substr(6);
        if (auto slash = host.find('/'); slash != std::string::npos) host = host.substr(0, slash);
    }
    if (auto at = host.rfind('@'); at != std::string::npos) {
        if (cmd.login.empty()) cmd.login = host.substr(0, at);
        host = host.substr(at + 1);
    }
    if (cmd.destination.rfind("ssh://", 0) == 0) {
        std::vector<std::string> hp = split_colons(host);
        host = hp[0];
        if (hp.size() == 2 && cmd.port.empty()) cmd.port = hp[1];
    }
    return host;
}

}  // namespace

Forward ssh_forward(const std::vector<std::string>& args, int port, const std::string& path) {
    Forward out;
    out.goal = Forward::Goal::remote;
    out.kind = "ssh";
    out.program = "ssh";
    SshCommandLine cmd = parse_ssh_args(args);
    if (cmd.destination.empty()) {
        out.command = "ssh";
        out.problems.push_back("ssh without a destination");
        return out;
    }
    std::string host = destination_host(cmd);
    out.ssh_args = cmd.config_args;
    out.ssh_args.push_back("--");
    out.ssh_args.push_back(cmd.destination);
    out.set("ssh_host", host);
    out.set("ssh_hostname", host);
    if (!cmd.login.empty()) out.set("ssh_user", cmd.login);
    out.set("ssh_port", cmd.port.empty() ? "22" : cmd.port);
    out.command = "ssh " + cmd.destination;
    for (const std::string& spec : cmd.forwards) {
        auto f = parse_forward_spec(spec);
        if (f && matches(*f, port, path)) {
            set_remote(out, *f, "-L");
            out.command += " -L " + spec;
        }
    }
    if (out.get("remote_host").empty() && out.get("remote_socket").empty())
        out.problems.push_back("no -L forward of this ssh listens here");
    return out;
}

void apply_ssh_config(Forward& forward, std::string_view ssh_g_output, int port, const std::string& path) {
    bool found = false;
    std::size_t start = 0;
    while (start < ssh_g_output.size()) {
        std::size_t end = ssh_g_output.find('\n', start);
        if (end == std::string_view::npos) end = ssh_g_output.size();
        std::string line(ssh_g_output.substr(start, end - start));
        start = end + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::size_t space = line.find(' ');
        if (space == std::string::npos) continue;
        std::string key = lower(line.substr(0, space));
        std::string value = line.substr(space + 1);
        if (key == "hostname") forward.set("ssh_hostname", value, "ssh -G");
        else if (key == "user") forward.set("ssh_user", value, "ssh -G");
        else if (key == "port") forward.set("ssh_port", value, "ssh -G");
        else if (key == "localforward" && !found) {
            std::size_t sep = value.find(' ');
            if (sep == std::string::npos) continue;
            auto f = parse_forward_spec(value.substr(0, sep) + ":" + value.substr(sep + 1));
            if (f && matches(*f, port, path)) {
                set_remote(forward, *f, "ssh -G");
                found = true;
            }
        }
    }
    if (found) {
        std::erase_if(forward.problems, [](const std::string& p) { return p.rfind("no -L forward", 0) == 0; });
    }
}

}  // namespace sentinel
