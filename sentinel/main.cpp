// sentinel: shows what a command typed in this terminal would act on, and
// how dangerous that is. main() only dispatches to a subcommand.

#include <cstdio>
#include <string>
#include <vector>

#include "sentinel/cmd/cli.hpp"
#include "sentinel/cmd/commands.hpp"
#include "sentinel/core/sanitize.hpp"

int main(int argc, char** argv) {
    const auto commands = sentinel::all_commands();
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(sentinel::usage(commands).c_str(), args.empty() ? stderr : stdout);
        return args.empty() ? sentinel::kExitUsage : sentinel::kExitOk;
    }
    if (args[0] == "--version") return sentinel::print_version();
    for (const sentinel::CommandSpec* spec : commands) {
        const sentinel::CommandSpec& command = *spec;
        if (!command.named(args[0])) continue;
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
                 sentinel::usage(commands).c_str());
    return sentinel::kExitUsage;
}
