#pragma once
// Shell completion scripts for bash, zsh and fish, generated from the
// command tables (cmd/cli.hpp): the commands with their summaries, each
// command's options with their help, the closed sets of option values
// (`--format`, `--tool`, `--kind`, `--color`, `--shell`), file names for
// PATH arguments, the positional words of `sentinel init`, and, after `--`
// of `status`, `explain` and `guard`, the command line of another program.
// The installed files (share/bash-completion/completions/sentinel,
// share/zsh/vendor-completions/_sentinel,
// share/fish/vendor_completions.d/sentinel.fish) are this output, produced
// by the built binary at build time, so they cannot drift from the tables.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "sentinel/cmd/cli.hpp"

namespace sentinel {

/// The completion script for `shell` ("bash", "zsh" or "fish") covering
/// `commands`, or nullopt for another shell. Pure.
std::optional<std::string> completion_script(std::string_view shell, std::span<const CommandSpec* const> commands);

/// The words of a space-separated list ("plain prompt json").
std::vector<std::string_view> words_of(std::string_view list);

}  // namespace sentinel
