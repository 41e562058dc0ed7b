// pgbouncer: its configuration file from the command line, then the
// `[databases]` entry for the database asked for. Source: pgbouncer(1) and
// pgbouncer(5) of pgbouncer 1.18 (SECTION [databases], connection string
// keys; a missing host means a Unix socket in unix_socket_dir).

#include <cctype>

#include "sentinel/core/reach/forwarder.hpp"

namespace sentinel {
namespace {

std::string trim(std::string_view s) {
    std::size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
    return std::string(s.substr(a, b - a));
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// `key=value key='quoted value'` of a [databases] entry. Only the keys asked
// for are kept, so a password never leaves this function.
std::vector<std::pair<std::string, std::string>> connstr(std::string_view text) {
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        std::size_t eq = text.find('=', i);
        if (eq == std::string_view::npos) break;
        std::string key = lower(trim(text.substr(i, eq - i)));
        i = eq + 1;
        while (i < text.size() && text[i] == ' ') ++i;
        std::string value;
        if (i < text.size() && text[i] == '\'') {
            for (++i; i < text.size(); ++i) {
                if (text[i] == '\'' && i + 1 < text.size() && text[i + 1] == '\'') value += text[++i];
                else if (text[i] == '\'') break;
                else value += text[i];
            }
            ++i;
        } else {
            while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) value += text[i++];
        }
        if (key == "host" || key == "port" || key == "dbname") out.emplace_back(key, value);
    }
    return out;
}

}  // namespace

Forward pgbouncer_forward(const std::vector<std::string>& args) {
    Forward f;
    f.kind = "pgbouncer";
    f.program = "pgbouncer";
    f.command = "pgbouncer";
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "-u" || a == "--user") {
            ++i;
            continue;
        }
        if (!a.empty() && a[0] == '-') continue;
        f.pgbouncer_ini = a;
    }
    if (f.pgbouncer_ini.empty()) {
        f.problems.push_back("pgbouncer without a configuration file");
        return f;
    }
    f.goal = Forward::Goal::remote;
    f.set("config", f.pgbouncer_ini);
    f.command += " " + f.pgbouncer_ini;
    return f;
}

void apply_pgbouncer_ini(Forward& forward, std::string_view ini, const std::string& dbname) {
    std::string section, socket_dir = "/tmp";
    std::optional<std::string> exact, fallback;
    std::size_t start = 0;
    while (start < ini.size()) {
        std::size_t end = ini.find('\n', start);
        if (end == std::string_view::npos) end = ini.size();
        std::string line = trim(ini.substr(start, end - start));
        start = end + 1;
        if (line.empty() || line[0] == ';' || line[0] == '#') continue;
        if (line[0] == '[') {
            section = lower(trim(line.substr(1, line.find(']') - 1)));
            continue;
        }
        std::size_t eq = line.find('=');
        if (eq == std::string::npos) continue;
        std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
        if (section == "pgbouncer" && lower(key) == "unix_socket_dir" && !value.empty()) socket_dir = value;
        if (section != "databases") continue;
        if (key.size() >= 2 && key.front() == '"' && key.back() == '"') key = key.substr(1, key.size() - 2);
        if (key == dbname && !exact) exact = value;
        else if (key == "*" && !fallback) fallback = value;
    }
    if (!exact && !fallback) {
        forward.goal = Forward::Goal::unknown;
        forward.problems.push_back("pgbouncer has no [databases] entry for \"" + dbname + "\" and no \"*\"");
        return;
    }
    forward.set("database", exact ? dbname : "*", "pgbouncer ini");
    std::string host, port = "5432", remote_dbname = dbname;
    for (const auto& [k, v] : connstr(exact ? *exact : *fallback)) {
        if (k == "host") host = v.substr(0, v.find(','));
        else if (k == "port") port = v.substr(0, v.find(','));
        else if (k == "dbname") remote_dbname = v;
    }
    forward.set("remote_host", host.empty() ? socket_dir : host, "pgbouncer ini");
    forward.set("remote_port", port, "pgbouncer ini");
    forward.set("remote_dbname", remote_dbname, "pgbouncer ini");
}

}  // namespace sentinel
