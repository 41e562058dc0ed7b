#include "sentinel/pg_args.hpp"

#include <string_view>

namespace sentinel {
namespace {

struct Option {
    std::string_view long_name;
    char short_name;  // 0 when the option has no short form
    bool has_arg;
    std::optional<std::string> PsqlConnArgs::*slot;  // nullptr for options we only skip
};

// psql 15's options (psql --help); only the ones with values matter for
// skipping correctly, and four of those for the connection.
constexpr Option kOptions[] = {
    {"echo-all", 'a', false, nullptr},
    {"no-align", 'A', false, nullptr},
    {"echo-errors", 'b', false, nullptr},
    {"command", 'c', true, nullptr},
    {"dbname", 'd', true, &PsqlConnArgs::dbname},
    {"echo-queries", 'e', false, nullptr},
    {"echo-hidden", 'E', false, nullptr},
    {"file", 'f', true, nullptr},
    {"field-separator", 'F', true, nullptr},
    {"host", 'h', true, &PsqlConnArgs::host},
    {"html", 'H', false, nullptr},
    {"list", 'l', false, nullptr},
    {"log-file", 'L', true, nullptr},
    {"no-readline", 'n', false, nullptr},
    {"single-transaction", '1', false, nullptr},
    {"output", 'o', true, nullptr},
    {"port", 'p', true, &PsqlConnArgs::port},
    {"pset", 'P', true, nullptr},
    {"quiet", 'q', false, nullptr},
    {"record-separator", 'R', true, nullptr},
    {"single-step", 's', false, nullptr},
    {"single-line", 'S', false, nullptr},
    {"tuples-only", 't', false, nullptr},
    {"table-attr", 'T', true, nullptr},
    {"username", 'U', true, &PsqlConnArgs::user},
    {"set", 'v', true, nullptr},
    {"variable", 'v', true, nullptr},
    {"version", 'V', false, nullptr},
    {"no-password", 'w', false, nullptr},
    {"password", 'W', false, nullptr},
    {"expanded", 'x', false, nullptr},
    {"no-psqlrc", 'X', false, nullptr},
    {"help", '?', false, nullptr},
    {"field-separator-zero", 0, false, nullptr},
    {"record-separator-zero", 'z', false, nullptr},
    {"csv", 0, false, nullptr},
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

void apply(PsqlConnArgs& out, const Option& o, std::string value, std::string spelled) {
    if (o.short_name == 'l') out.list = true;
    if (!o.has_arg || !o.slot) return;
    out.*o.slot = std::move(value);
    out.given.push_back(std::move(spelled));
}

}  // namespace

PsqlConnArgs parse_psql_args(const std::vector<std::string>& args) {
    PsqlConnArgs out;
    std::vector<std::string> positional;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (arg == "--") {
            for (++i; i < args.size(); ++i) positional.push_back(args[i]);
            break;
        }
        if (arg.size() > 2 && arg.substr(0, 2) == "--") {
            std::string_view body = arg.substr(2);
            auto eq = body.find('=');
            const Option* o = by_long(body.substr(0, eq));
            if (!o) continue;  // psql would exit with "invalid option"; nothing to resolve from it
            std::string value;
            if (o->has_arg) {
                if (eq != std::string_view::npos) value = std::string(body.substr(eq + 1));
                else if (i + 1 < args.size()) value = args[++i];
                else continue;
            }
            apply(out, *o, std::move(value), "--" + std::string(o->long_name));
        } else if (arg.size() > 1 && arg[0] == '-') {
            for (std::size_t k = 1; k < arg.size(); ++k) {
                const Option* o = by_short(arg[k]);
                if (!o) continue;
                if (!o->has_arg) {
                    apply(out, *o, {}, {});
                    continue;
                }
                std::string value;
                if (k + 1 < arg.size()) value = std::string(arg.substr(k + 1));
                else if (i + 1 < args.size()) value = args[++i];
                else break;
                apply(out, *o, std::move(value), std::string("-") + arg[k]);
                break;
            }
        } else {
            positional.emplace_back(arg);
        }
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

}  // namespace sentinel
