// `sentinel init bash|zsh`: prints the shell integration (shell/sentinel.bash,
// shell/sentinel.zsh, embedded at build time) with this binary's absolute
// path filled in, for `eval "$(sentinel init bash)"`.

#include <limits.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "sentinel/cmd/commands.hpp"
#include "sentinel/cmd/shell_files.hpp"
#include "sentinel/core/sanitize.hpp"

namespace sentinel {

namespace {

int run_init(const Invocation& inv);

constexpr OptionSpec kInitOptions[] = {
    {.name = "shell", .value = "SHELL", .help = "bash or zsh (the same as the SHELL argument)"},
    {.name = "help", .value = "", .help = "print this help"},
};

// `text` as one single-quoted shell word.
std::string single_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
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
    const std::string placeholder = "'@SENTINEL_BIN@'";
    if (auto at = text.find(placeholder); at != std::string::npos) text.replace(at, placeholder.size(), single_quoted(self_path()));
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? kExitOk : 1;
}

}  // namespace

const CommandSpec kInitCommand = {
    .name = "init",
    .synopsis = "init bash|zsh",
    .help = "Print the shell integration for bash or zsh, to be evaluated from the shell's\n"
            "startup file:  eval \"$(sentinel init bash)\" in ~/.bashrc,\n"
            "eval \"$(sentinel init zsh)\" in ~/.zshrc. It starts the agent when\n"
            "needed and shows the segment in front of PS1/PROMPT (SENTINEL_AUTO_PROMPT=0:\n"
            "place ${SENTINEL_SEGMENT} yourself).",
    .options = kInitOptions,
    .run = run_init,
    .positional = 1,
};

}  // namespace sentinel
