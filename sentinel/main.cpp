// sentinel: shows what a command typed in this terminal would act on, and
// how dangerous that is. main() only dispatches to a subcommand.

#include <cstdio>
#include <string>
#include <vector>

#include "sentinel/cli.hpp"
#include "sentinel/commands.hpp"
#include "sentinel/sanitize.hpp"

namespace {

using sentinel::CommandSpec;
using sentinel::OptionSpec;

constexpr OptionSpec kStatusOptions[] = {
    {.name = "format", .value = "FORMAT", .help = "plain (default), prompt (one line) or json"},
    {.name = "json", .value = "", .help = "same as --format=json; the shape is a stable interface"},
    {.name = "color", .value = "WHEN", .help = "auto (default: when stdout is a terminal and NO_COLOR is unset), always, never"},
    {.name = "help", .value = "", .help = "print this help"},
};

constexpr OptionSpec kExplainOptions[] = {
    {.name = "color", .value = "WHEN", .help = "auto (default), always, never"},
    {.name = "help", .value = "", .help = "print this help"},
};

constexpr CommandSpec kCommands[] = {
    {.name = "status",
     .synopsis = "status [--format=plain|prompt|json] [--json] [-- CMD ARGS...]",
     .help = "Print what this terminal would act on: kube context, PostgreSQL targets and\n"
             "configured variables, each with its tier, and the terminal's overall tier.\n"
             "With a command after --, print what that command would act on instead\n"
             "(kubectl and helm: their kube target; psql: its PostgreSQL targets).",
     .options = kStatusOptions,
     .run = sentinel::run_status},
    {.name = "explain",
     .synopsis = "explain [-- CMD ARGS...]",
     .help = "Say why this terminal (or the command after --) has the tier it has: which\n"
             "files, lines, variables and flags gave each value and which rule decided.",
     .options = kExplainOptions,
     .run = sentinel::run_explain},
};

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(sentinel::usage(kCommands).c_str(), args.empty() ? stderr : stdout);
        return args.empty() ? sentinel::kExitUsage : sentinel::kExitOk;
    }
    if (args[0] == "--version") {
        std::puts("sentinel 0.1.0");
        return sentinel::kExitOk;
    }
    for (const CommandSpec& command : kCommands) {
        if (args[0] != command.name) continue;
        auto inv = sentinel::parse_invocation(command, {args.begin() + 1, args.end()});
        if (!inv) {
            std::fprintf(stderr, "sentinel: error: %s\n%s", sentinel::sanitize(inv.error().message).c_str(),
                         sentinel::command_help(command).c_str());
            return sentinel::kExitUsage;
        }
        if (inv->has("help")) {
            std::fputs(sentinel::command_help(command).c_str(), stdout);
            return sentinel::kExitOk;
        }
        return command.run(inv.value());
    }
    std::fprintf(stderr, "sentinel: error: unknown command \"%s\"\n%s", sentinel::sanitize(args[0]).c_str(),
                 sentinel::usage(kCommands).c_str());
    return sentinel::kExitUsage;
}
