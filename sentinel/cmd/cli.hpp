#pragma once
// Commands and their options, declared once in tables; parsing, usage and
// --help all come from the tables.

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <optional>

#include "sentinel/core/exit_codes.hpp"
#include "sentinel/core/result.hpp"

namespace sentinel {

/// One option of a command. `value` names its argument ("FORMAT"), or is
/// empty for a flag. `values` lists, space-separated, the words the argument
/// may be ("plain prompt json") when they are a closed set; shell
/// completion offers them (cmd/completion.hpp). A `value` of "PATH" completes
/// file names.
struct OptionSpec {
    std::string_view name;   ///< long name without "--"
    std::string_view value;
    std::string_view help;
    std::string_view values = {};
};

/// A parsed command line: the options given (flags map to "") and the
/// arguments after "--".
struct Invocation {
    std::string command;
    std::map<std::string, std::string, std::less<>> options;
    std::vector<std::string> rest;

    bool has(std::string_view option) const { return options.find(option) != options.end(); }
};

/// A subcommand: its name, a one-line synopsis, a paragraph of help, its
/// options and the function that runs it (returns the exit code).
struct CommandSpec {
    std::string_view name;
    std::string_view synopsis;
    /// A few words for menus (shell completion), without a final period.
    std::string_view summary = {};
    std::string_view help;
    std::span<const OptionSpec> options;
    int (*run)(const Invocation&);
    /// How many arguments may stand before options without "--" (`sentinel
    /// init bash`); they are put in Invocation::rest. 0: none.
    std::size_t positional = 0;
    /// An earlier name the command still answers to, unlisted (shells
    /// started before an upgrade run `sentinel client`); "" for none.
    std::string_view old_name = {};

    /// True when `word` (argv[1]) names this command.
    bool named(std::string_view word) const { return word == name || (!old_name.empty() && word == old_name); }
    /// The words a positional argument may be, space-separated ("bash zsh
    /// fish"), for shell completion; empty when any.
    std::string_view arguments = {};
    /// True when the command takes a command line after `--` (`sentinel
    /// guard -- psql ...`): completion then completes that command.
    bool takes_command = false;
};

/// Parses `args` (after the command name) against `spec`: `--name`,
/// `--name=value`, `--name value`; `--` ends options and the rest is kept.
/// Errors: unknown options, a missing or unexpected value, stray arguments.
Result<Invocation> parse_invocation(const CommandSpec& spec, const std::vector<std::string>& args);

/// The `--help` text of one command, built from its table entry.
std::string command_help(const CommandSpec& spec);

/// The top-level usage: every command with its synopsis.
std::string usage(std::span<const CommandSpec* const> commands);

/// The `--timeout=SECONDS` of `sentinel guard` and `sentinel confirm`: how
/// long a question waits for an answer. 60 when absent, else 1 to 86400;
/// anything else prints an error to stderr and gives nullopt (exit 64).
std::optional<int> question_timeout(const Invocation& inv);

}  // namespace sentinel
