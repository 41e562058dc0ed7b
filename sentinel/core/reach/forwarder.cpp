#include "sentinel/core/reach/forwarder.hpp"

#include <algorithm>

namespace sentinel {
namespace {

std::string base_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

bool is_interpreter(const std::string& name) {
    static const char* const kNames[] = {"sh", "bash", "dash", "zsh", "python", "python2", "python3", "perl", "ruby",
                                         "node", "nodejs"};
    for (const char* n : kNames)
        if (name == n) return true;
    // python3.11 and the like
    return name.rfind("python3.", 0) == 0;
}

Forward postgres_forward(const std::vector<std::string>& args, const std::string& pgdata) {
    Forward f;
    f.goal = Forward::Goal::local;
    f.kind = "postgres";
    f.program = "postgres";
    std::string datadir = pgdata;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "-D" && i + 1 < args.size()) datadir = args[i + 1];
        else if (args[i].rfind("-D", 0) == 0 && args[i].size() > 2) datadir = args[i].substr(2);
    }
    f.command = "postgres";
    if (!datadir.empty()) {
        f.set("data_directory", datadir);
        f.command += " -D " + datadir;
    }
    return f;
}

}  // namespace

const std::string& Forward::get(std::string_view name) const {
    static const std::string empty;
    for (const Field& field : reached)
        if (field.name == name) return field.value;
    return empty;
}

void Forward::set(std::string_view name, std::string value, std::string origin) {
    for (Field& field : reached) {
        if (field.name == name) {
            field.value = std::move(value);
            field.origin = std::move(origin);
            return;
        }
    }
    reached.push_back({std::string(name), std::move(value), std::move(origin)});
}

ProgramArgs program_of(const std::vector<std::string>& argv) {
    ProgramArgs out;
    if (argv.empty()) return out;
    out.program = base_name(argv[0]);
    std::size_t first = 1;
    if (is_interpreter(out.program)) {
        std::size_t i = 1;
        while (i < argv.size() && argv[i].size() > 1 && argv[i][0] == '-') {
            // `sh -c CMD`, `python3 -c CODE`, `python3 -m MODULE`: no script file.
            if (argv[i] == "-c" || argv[i] == "-m" || argv[i] == "-e") {
                out.args.assign(argv.begin() + 1, argv.end());
                return out;
            }
            ++i;
        }
        if (i < argv.size()) {
            out.program = base_name(argv[i]);
            first = i + 1;
        }
    }
    out.args.assign(argv.begin() + static_cast<long>(std::min(first, argv.size())), argv.end());
    return out;
}

std::vector<std::string> shell_words(std::string_view text) {
    std::vector<std::string> out;
    std::string word;
    bool in_word = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word) out.push_back(std::move(word));
            word.clear();
            in_word = false;
            continue;
        }
        in_word = true;
        if (c == '\\' && i + 1 < text.size()) {
            word += text[++i];
        } else if (c == '\'') {
            std::size_t close = text.find('\'', i + 1);
            if (close == std::string_view::npos) close = text.size();
            word += text.substr(i + 1, close - i - 1);
            i = close;
        } else if (c == '"') {
            for (++i; i < text.size() && text[i] != '"'; ++i) {
                if (text[i] == '\\' && i + 1 < text.size() && std::string_view("\"\\$`").find(text[i + 1]) != std::string_view::npos)
                    ++i;
                word += text[i];
            }
        } else {
            word += c;
        }
    }
    if (in_word) out.push_back(std::move(word));
    return out;
}

bool is_postgres_command(const std::vector<std::string>& argv) {
    if (argv.empty()) return false;
    if (argv[0].rfind("postgres:", 0) == 0) return true;
    std::string base = base_name(argv[0]);
    return base == "postgres" || base == "postmaster";
}

Forward recognise(const std::vector<std::string>& argv, int port, const std::string& path, const std::string& pgdata) {
    ProgramArgs p = program_of(argv);
    const std::string& name = p.program;
    if (is_postgres_command(argv) || name == "postgres" || name == "postmaster") return postgres_forward(p.args, pgdata);
    if (name == "kubectl" || name == "oc") return kubectl_forward(name, p.args, port);
    if (name == "ssh") return ssh_forward(p.args, port, path);
    if (name == "socat") return socat_forward(p.args);
    if (name == "ncat" || name == "nc" || name == "netcat" || name.rfind("nc.", 0) == 0) return ncat_forward(name, p.args);
    if (name == "cloud-sql-proxy" || name == "cloud_sql_proxy") return cloud_sql_forward(name, p.args, port, path);
    if (name == "pgbouncer") return pgbouncer_forward(p.args);
    if (name == "docker-proxy") return docker_proxy_forward(p.args);
    Forward f;
    f.kind = "unknown";
    f.program = "unknown";
    f.command = name.empty() ? std::string("(no command line)") : name;
    f.problems.push_back("not a recognised forwarder: " + (name.empty() ? std::string("no command line") : name));
    return f;
}

Forward docker_proxy_forward(const std::vector<std::string>& args) {
    Forward f;
    f.goal = Forward::Goal::local;
    f.kind = "docker-proxy";
    f.program = "docker-proxy";
    f.command = "docker-proxy";
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
        std::string flag = args[i];
        if (flag.rfind("--", 0) == 0) flag = flag.substr(1);
        if (flag == "-container-ip") f.set("container_ip", args[i + 1]);
        else if (flag == "-container-port") f.set("container_port", args[i + 1]);
    }
    if (!f.get("container_ip").empty())
        f.command += " → " + f.get("container_ip") + (f.get("container_port").empty() ? "" : ":" + f.get("container_port"));
    return f;
}

}  // namespace sentinel
