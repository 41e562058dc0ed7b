// `sentinel init bash|zsh|fish`: prints the shell integration
// (shell/sentinel.{bash,zsh,fish}, embedded at build time) with this
// binary's absolute path and version filled in, for
// `eval "$(sentinel init bash)"` or `sentinel init fish | source`.

#include <limits.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "sentinel/cmd/commands.hpp"
#include "sentinel/cmd/shell_files.hpp"
#include "sentinel/core/sanitize.hpp"
#include "sentinel/core/version.hpp"

namespace sentinel {

namespace {

int run_init(const Invocation& inv);

constexpr OptionSpec kInitOptions[] = {
    {.name = "shell", .value = "SHELL", .help = "bash, zsh or fish (the same as the SHELL argument)",
     .values = "bash zsh fish"},
    {.name = "help", .value = "", .help = "print this help"},
};

// `text` as one single-quoted word: POSIX shells take everything up to the
// next quote literally; fish also reads \\ and \' inside single quotes.
std::string single_quoted(const std::string& text, bool fish) {
    std::string out = "'";
    for (char c : text) {
        if (fish && (c == '\'' || c == '\\')) out += std::string("\\") + c;
        else if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

void fill(std::string& text, const std::string& placeholder, const std::string& value) {
    for (std::size_t at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size()))
        text.replace(at, placeholder.size(), value);
}

std::string self_path() {
    char buf[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("sentinel");
}

int run_init(const Invocation& inv) {
    std::string shell;
    if (auto it = inv.options.find("shell"); it != inv.options.end()) shell = it->second;
    else if (!inv.rest.empty()) shell = inv.rest[0];
    const ShellFile* file = shell_file(shell);
    if (!file) {
        std::string known;
        for (std::size_t i = 0; i < kShellFileCount; ++i)
            known += std::string(i ? (i + 1 == kShellFileCount ? " or " : ", ") : "") + std::string(kShellFiles[i].shell);
        std::fprintf(stderr, "sentinel: error: init needs a shell: %s (got \"%s\")\n", known.c_str(), sanitize(shell).c_str());
        return kExitUsage;
    }
    std::string text(file->text);
    fill(text, "'@SENTINEL_BIN@'", single_quoted(self_path(), shell == "fish"));
    fill(text, "@SENTINEL_VERSION@", std::string(kVersion));
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? kExitOk : 1;
}

}  // namespace

const CommandSpec kInitCommand = {
    .name = "init",
    .synopsis = "init bash|zsh|fish",
    .summary = "print the shell integration (bash, zsh, fish)",
    .help = "Print the shell integration for bash, zsh or fish, to be evaluated from the\n"
            "shell's startup file:  eval \"$(sentinel init bash)\" in ~/.bashrc,\n"
            "eval \"$(sentinel init zsh)\" in ~/.zshrc, sentinel init fish | source in\n"
            "~/.config/fish/config.fish. It starts the agent when needed and shows the\n"
            "segment in front of the prompt (SENTINEL_AUTO_PROMPT=0: place\n"
            "$SENTINEL_SEGMENT yourself).",
    .options = kInitOptions,
    .run = run_init,
    .positional = 1,
    .arguments = "bash zsh fish",
};

}  // namespace sentinel
