#include "sentinel/core/pg/args.hpp"

#include <algorithm>
#include <string_view>

namespace sentinel {
namespace {

struct Option {
    std::string_view long_name;
    char short_name;  // 0 when the option has no short form
    bool has_arg;
};

// psql 15's options (psql --help, startup.c).
constexpr Option kOptions[] = {
    {"echo-all", 'a', false},        {"no-align", 'A', false},          {"echo-errors", 'b', false},
    {"command", 'c', true},          {"dbname", 'd', true},             {"echo-queries", 'e', false},
    {"echo-hidden", 'E', false},     {"file", 'f', true},               {"field-separator", 'F', true},
    {"host", 'h', true},             {"html", 'H', false},              {"list", 'l', false},
    {"log-file", 'L', true},         {"no-readline", 'n', false},       {"single-transaction", '1', false},
    {"output", 'o', true},           {"port", 'p', true},               {"pset", 'P', true},
    {"quiet", 'q', false},           {"record-separator", 'R', true},   {"single-step", 's', false},
    {"single-line", 'S', false},     {"tuples-only", 't', false},       {"table-attr", 'T', true},
    {"username", 'U', true},         {"set", 'v', true},                {"variable", 'v', true},
    {"version", 'V', false},         {"no-password", 'w', false},       {"password", 'W', false},
    {"expanded", 'x', false},        {"no-psqlrc", 'X', false},         {"help", '?', false},
    {"field-separator-zero", 'z', false}, {"record-separator-zero", '0', false}, {"csv", 0, false},
};

const Option* by_short(char c) {
    for (const Option& o : kOptions)
        if (o.short_name == c) return &o;
    return nullptr;
}

// getopt_long: an exact match wins, otherwise a prefix shared by exactly one
// option.
const Option* by_long(std::string_view name) {
    const Option* prefix_match = nullptr;
    int prefix_matches = 0;
    for (const Option& o : kOptions) {
        if (o.long_name == name) return &o;
        if (o.long_name.substr(0, name.size()) == name) {
            ++prefix_matches;
            prefix_match = &o;
        }
    }
    return prefix_matches == 1 ? prefix_match : nullptr;
}

PsqlToken option_token(const Option& o, bool spelled_short, std::string value) {
    PsqlToken t;
    t.kind = PsqlToken::Kind::option;
    t.name = std::string(o.long_name);
    t.short_name = o.short_name;
    t.takes_value = o.has_arg;
    t.spelled_short = spelled_short;
    t.value = std::move(value);
    return t;
}

PsqlToken unknown_token(std::string text) {
    PsqlToken t;
    t.kind = PsqlToken::Kind::unknown;
    t.text = std::move(text);
    return t;
}

PsqlToken positional_token(std::string value) {
    PsqlToken t;
    t.value = std::move(value);
    return t;
}

}  // namespace

std::vector<PsqlToken> tokenize_psql_args(const std::vector<std::string>& args) {
    std::vector<PsqlToken> out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (arg == "--") {
            for (++i; i < args.size(); ++i) out.push_back(positional_token(args[i]));
            break;
        }
        if (arg.size() > 2 && arg.substr(0, 2) == "--") {
            std::string_view body = arg.substr(2);
            auto eq = body.find('=');
            const Option* o = by_long(body.substr(0, eq));
            if (!o || (!o->has_arg && eq != std::string_view::npos)) {
                out.push_back(unknown_token(std::string(arg)));
                continue;
            }
            if (!o->has_arg) out.push_back(option_token(*o, false, {}));
            else if (eq != std::string_view::npos) out.push_back(option_token(*o, false, std::string(body.substr(eq + 1))));
            else if (i + 1 < args.size()) out.push_back(option_token(*o, false, args[++i]));
            else out.push_back(unknown_token(std::string(arg)));
        } else if (arg.size() > 1 && arg[0] == '-') {
            for (std::size_t k = 1; k < arg.size(); ++k) {
                const Option* o = by_short(arg[k]);
                if (!o) {
                    out.push_back(unknown_token(std::string("-") + arg[k]));
                } else if (!o->has_arg) {
                    out.push_back(option_token(*o, true, {}));
                } else {
                    if (k + 1 < arg.size()) out.push_back(option_token(*o, true, std::string(arg.substr(k + 1))));
                    else if (i + 1 < args.size()) out.push_back(option_token(*o, true, args[++i]));
                    else out.push_back(unknown_token(std::string("-") + arg[k]));
                    break;
                }
            }
        } else {
            out.push_back(positional_token(std::string(arg)));
        }
    }
    return out;
}

PsqlConnArgs parse_psql_args(const std::vector<std::string>& args) {
    PsqlConnArgs out;
    std::vector<std::string> positional;
    for (PsqlToken& t : tokenize_psql_args(args)) {
        if (t.kind == PsqlToken::Kind::positional) positional.push_back(std::move(t.value));
        if (t.kind != PsqlToken::Kind::option) continue;
        if (t.name == "list") out.list = true;
        std::optional<std::string>* slot = t.name == "host"       ? &out.host
                                           : t.name == "port"     ? &out.port
                                           : t.name == "username" ? &out.user
                                           : t.name == "dbname"   ? &out.dbname
                                                                  : nullptr;
        if (!slot) continue;
        *slot = std::move(t.value);
        out.given.push_back(t.spelled_short ? std::string("-") + t.short_name : "--" + t.name);
    }
    for (const std::string& p : positional) {
        if (!out.dbname) {
            out.dbname = p;
            out.given.push_back("dbname (argument)");
        } else if (!out.user) {
            out.user = p;
            out.given.push_back("user (argument)");
        }
    }
    return out;
}


PsqlCommandLine parse_psql_command_line(const std::vector<std::string>& args) {
    PsqlCommandLine out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--write" && std::find(args.begin(), args.begin() + static_cast<long>(i), "--") ==
                                        args.begin() + static_cast<long>(i)) {
            out.write = true;  // sentinel's option, not psql's
            continue;
        }
        out.args.push_back(args[i]);
    }
    out.conn = parse_psql_args(out.args);
    for (const PsqlToken& t : tokenize_psql_args(out.args)) {
        if (t.kind == PsqlToken::Kind::positional) continue;  // dbname, user: replaced by the pinned conninfo
        if (t.kind == PsqlToken::Kind::unknown) {
            out.kept.push_back(t.text);  // psql reports it
            continue;
        }
        if (t.name == "host" || t.name == "port" || t.name == "username" || t.name == "dbname") continue;
        if (t.name == "command") out.sql.push_back({false, t.value});
        if (t.name == "file") out.sql.push_back({true, t.value});
        if (t.name == "list") out.list = true;
        if (t.name == "version" || t.name == "help") out.info_only = true;
        if (t.name == "single-transaction") out.single_transaction = true;
        if (t.name == "quiet") out.quiet = true;
        std::size_t before = out.kept.size();
        if (!t.takes_value) out.kept.push_back(t.spelled_short ? std::string("-") + t.short_name : "--" + t.name);
        else if (t.spelled_short) out.kept.insert(out.kept.end(), {std::string("-") + t.short_name, t.value});
        else out.kept.push_back("--" + t.name + "=" + t.value);
        if (t.name != "command" && t.name != "file" && t.name != "single-transaction")
            out.kept_options.insert(out.kept_options.end(), out.kept.begin() + static_cast<long>(before),
                                    out.kept.end());
    }
    return out;
}

bool psql_interactive(const PsqlCommandLine& cmd, bool stdin_tty) {
    return cmd.sql.empty() && !cmd.list && !cmd.info_only && stdin_tty;
}

}  // namespace sentinel
