// socat and ncat in their listen-and-connect forms. Source: socat(1) 1.7.4
// ADDRESS TYPES and OPTIONS, ncat(1) 7.93 COMMAND EXECUTION OPTIONS.

#include <cctype>
#include <set>

#include "sentinel/core/reach/forwarder.hpp"

namespace sentinel {
namespace {

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// The address before its options (`TCP:db:5432,retry=3` -> `TCP:db:5432`),
// split into its keyword and its colon-separated parameters; brackets keep
// an IPv6 address whole.
struct Address {
    std::string keyword;
    std::vector<std::string> params;
};

Address parse_address(std::string_view text) {
    std::vector<std::string> parts(1);
    bool bracket = false;
    for (char c : text) {
        if (c == '[' || c == ']') {
            bracket = c == '[';
            continue;
        }
        if (!bracket && c == ',') break;
        if (!bracket && c == ':') {
            parts.emplace_back();
            continue;
        }
        parts.back() += c;
    }
    Address a;
    a.keyword = upper(parts[0]);
    a.params.assign(parts.begin() + 1, parts.end());
    return a;
}

const std::set<std::string, std::less<>> kListen = {
    "TCP-LISTEN", "TCP-L", "TCP4-LISTEN", "TCP4-L", "TCP6-LISTEN", "TCP6-L", "OPENSSL-LISTEN", "SSL-L",
    "UNIX-LISTEN", "UNIX-L", "ABSTRACT-LISTEN", "ABSTRACT-L", "SCTP-LISTEN", "SCTP-L",
};
const std::set<std::string, std::less<>> kTcp = {
    "TCP", "TCP4", "TCP6", "TCP-CONNECT", "TCP4-CONNECT", "TCP6-CONNECT", "OPENSSL", "SSL", "OPENSSL-CONNECT",
};
const std::set<std::string, std::less<>> kUnix = {"UNIX-CONNECT", "UNIX-CLIENT", "UNIX", "GOPEN", "UNIX-SENDTO"};
const std::set<std::string, std::less<>> kProxy = {"PROXY", "PROXY-CONNECT", "SOCKS4", "SOCKS4A", "SOCKS5",
                                                   "SOCKS5-CONNECT"};

// What a connecting address reaches; false when it is not one.
bool connect_target(const Address& a, Forward& f) {
    if (kTcp.count(a.keyword) && a.params.size() >= 2) {
        f.set("remote_host", a.params[0]);
        f.set("remote_port", a.params[1]);
        return true;
    }
    if (kUnix.count(a.keyword) && a.params.size() >= 1) {
        f.set("remote_socket", a.params[0]);
        return true;
    }
    if (kProxy.count(a.keyword) && a.params.size() >= 3) {
        f.set("proxy_host", a.params[0]);
        f.set("remote_host", a.params[1]);
        f.set("remote_port", a.params[2]);
        return true;
    }
    return false;
}

// socat's options before its addresses; these take a value, attached or next.
bool socat_option_takes_value(const std::string& a) {
    if (a == "-lf" || a == "-lp") return true;
    return a.size() == 2 && std::string_view("btTLWrR").find(a[1]) != std::string_view::npos;
}

std::string where(const Forward& f) {
    if (!f.get("remote_socket").empty()) return f.get("remote_socket");
    std::string host = f.get("remote_host");
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return host + ":" + f.get("remote_port");
}

}  // namespace

Forward socat_forward(const std::vector<std::string>& args) {
    Forward f;
    f.kind = "socat";
    f.program = "socat";
    f.command = "socat";
    std::vector<std::string> addresses;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (addresses.empty() && a.size() > 1 && a[0] == '-') {
            if (socat_option_takes_value(a)) ++i;
            continue;
        }
        addresses.push_back(a);
    }
    if (addresses.size() != 2) {
        f.problems.push_back("socat without two addresses");
        return f;
    }
    Address first = parse_address(addresses[0]), second = parse_address(addresses[1]);
    const Address* listen = kListen.count(first.keyword) ? &first : kListen.count(second.keyword) ? &second : nullptr;
    const Address* connect = listen == &first ? &second : &first;
    if (!listen) {
        f.problems.push_back("socat without a listening address");
        return f;
    }
    if (!connect_target(*connect, f)) {
        f.command = "socat " + listen->keyword + " → " + connect->keyword;
        f.problems.push_back("socat connects with " + connect->keyword + ", which sentinel cannot follow");
        return f;
    }
    f.goal = Forward::Goal::remote;
    f.command = "socat " + listen->keyword + (listen->params.empty() ? "" : ":" + listen->params[0]) + " " +
                connect->keyword + ":" + where(f);
    return f;
}

namespace {

// ncat in listen mode and the command it runs per connection; "" when not
// listening or running nothing.
std::string ncat_exec(const std::vector<std::string>& args, bool& listen) {
    static const std::set<std::string, std::less<>> kValueLong = {
        "source-port", "source", "sh-exec", "exec", "lua-exec", "max-conns", "delay", "output", "hex-dump",
        "idle-timeout", "wait", "allow", "allowfile", "deny", "denyfile", "proxy", "proxy-type", "proxy-auth",
        "proxy-dns", "ssl-cert", "ssl-key", "ssl-trustfile", "ssl-ciphers", "ssl-servername", "ssl-alpn"};
    std::string exec;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "-l" || a == "--listen") listen = true;
        else if (a.rfind("--", 0) == 0 && a.size() > 2) {
            std::string name = a.substr(2), value;
            std::size_t eq = name.find('=');
            if (eq != std::string::npos) value = name.substr(eq + 1), name = name.substr(0, eq);
            else if (kValueLong.count(name) && i + 1 < args.size()) value = args[++i];
            if (name == "sh-exec" || name == "exec") exec = value;
        } else if (a.size() >= 2 && a[0] == '-') {
            for (std::size_t k = 1; k < a.size(); ++k) {
                char c = a[k];
                if (c == 'l') listen = true;
                if (std::string_view("pscegGmdoxiwq").find(c) == std::string_view::npos) continue;
                std::string value = k + 1 < a.size() ? a.substr(k + 1) : (i + 1 < args.size() ? args[++i] : "");
                if (c == 'c' || c == 'e') exec = value;
                break;
            }
        }
    }
    return exec;
}

// What the per-connection command connects to: ncat/nc/netcat HOST PORT or socat.
bool exec_target(const std::string& exec, Forward& f) {
    ProgramArgs inner = program_of(shell_words(exec));
    if (inner.program == "ncat" || inner.program == "nc" || inner.program == "netcat") {
        std::vector<std::string> pos;
        for (std::size_t i = 0; i < inner.args.size(); ++i) {
            const std::string& a = inner.args[i];
            if (a.size() > 1 && a[0] == '-') {
                if (a.size() == 2 && std::string_view("pswiqx").find(a[1]) != std::string_view::npos) ++i;
                continue;
            }
            pos.push_back(a);
        }
        if (pos.size() < 2) return false;
        f.set("remote_host", pos[0]);
        f.set("remote_port", pos[1]);
        return true;
    }
    if (inner.program == "socat") {
        for (const std::string& a : inner.args)
            if ((a.empty() || a[0] != '-') && connect_target(parse_address(a), f)) return true;
    }
    return false;
}

}  // namespace

Forward ncat_forward(const std::string& program, const std::vector<std::string>& args) {
    Forward f;
    f.kind = program;
    f.program = "ncat";
    f.command = program;
    bool listen = false;
    std::string exec = ncat_exec(args, listen);
    if (!listen || exec.empty()) {
        f.problems.push_back(program + (listen ? " runs no command per connection" : " is not listening"));
        return f;
    }
    if (!exec_target(exec, f)) {
        f.problems.push_back(program + " runs a command sentinel cannot follow");
        return f;
    }
    f.goal = Forward::Goal::remote;
    f.command = program + " -l \u2192 " + where(f);
    return f;
}

}  // namespace sentinel
