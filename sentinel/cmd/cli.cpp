#include "sentinel/cmd/cli.hpp"

#include <cstdio>
#include <cstdlib>

namespace sentinel {

Result<Invocation> parse_invocation(const CommandSpec& spec, const std::vector<std::string>& args) {
    Invocation inv;
    inv.command = spec.name;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") {
            inv.rest.assign(args.begin() + static_cast<long>(i) + 1, args.end());
            break;
        }
        if (arg.rfind("--", 0) != 0 && inv.rest.size() < spec.positional) {
            inv.rest.push_back(arg);
            continue;
        }
        if (arg.rfind("--", 0) != 0) return Error{"", 0, 0, "unexpected argument \"" + arg + "\" (a command goes after --)"};
        std::string name = arg.substr(2);
        std::string value;
        bool has_value = false;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.resize(eq);
            has_value = true;
        }
        const OptionSpec* option = nullptr;
        for (const OptionSpec& o : spec.options)
            if (o.name == name) option = &o;
        if (!option) return Error{"", 0, 0, "unknown option --" + name + " for \"" + std::string(spec.name) + "\""};
        if (option->value.empty()) {
            if (has_value) return Error{"", 0, 0, "--" + name + " takes no value"};
        } else if (!has_value) {
            if (i + 1 >= args.size()) return Error{"", 0, 0, "--" + name + " needs a value (" + std::string(option->value) + ")"};
            value = args[++i];
        }
        inv.options[name] = value;
    }
    return inv;
}

std::string command_help(const CommandSpec& spec) {
    std::string out = "usage: sentinel " + std::string(spec.synopsis) + "\n\n" + std::string(spec.help) + "\n";
    if (!spec.options.empty()) out += "\noptions:\n";
    for (const OptionSpec& o : spec.options) {
        std::string left = "  --" + std::string(o.name);
        if (!o.value.empty()) left += "=" + std::string(o.value);
        if (left.size() < 24) left.append(24 - left.size(), ' ');
        else left += "  ";
        out += left + std::string(o.help) + "\n";
    }
    return out;
}

std::string usage(std::span<const CommandSpec* const> commands) {
    std::string out = "usage: sentinel COMMAND [OPTIONS] [-- CMD ARGS...]\n\n"
                      "sentinel shows what a command typed in this terminal would act on\n"
                      "(Kubernetes context, PostgreSQL server, environment) and how dangerous it is.\n\ncommands:\n";
    for (const CommandSpec* c : commands) out += "  sentinel " + std::string(c->synopsis) + "\n";
    out += "\n'sentinel COMMAND --help' describes one command. Exit codes: 0 ok, 64 usage, 77 refused, 78 config error.\n";
    return out;
}

std::optional<int> question_timeout(const Invocation& inv) {
    if (!inv.has("timeout")) return 60;
    char* end = nullptr;
    long t = std::strtol(inv.options.at("timeout").c_str(), &end, 10);
    if (!end || *end || t < 1 || t > 86400) {
        std::fprintf(stderr, "sentinel: error: --timeout must be 1 to 86400 seconds\n");
        return std::nullopt;
    }
    return static_cast<int>(t);
}

}  // namespace sentinel
