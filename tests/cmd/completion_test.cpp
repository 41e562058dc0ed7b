#include "sentinel/cmd/completion.hpp"

#include <doctest/doctest.h>

#include "sentinel/cmd/commands.hpp"

using namespace sentinel;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

constexpr OptionSpec kOptions[] = {
    {.name = "mode", .value = "MODE", .help = "it's [odd] \\ text", .values = "fast slow"},
    {.name = "out", .value = "PATH", .help = "a file"},
    {.name = "flag", .value = "", .help = "a flag"},
};

int run_nothing(const Invocation&) { return 0; }

const CommandSpec kSpec = {
    .name = "probe",
    .synopsis = "probe [--mode=MODE]",
    .summary = "a test command: it's odd",
    .help = "Help.",
    .options = kOptions,
    .run = run_nothing,
    .positional = 1,
    .arguments = "one two",
    .takes_command = true,
};

const CommandSpec* const kSpecs[] = {&kSpec};

}  // namespace

TEST_CASE("completion: only bash, zsh and fish") {
    CHECK(completion_script("bash", kSpecs));
    CHECK(completion_script("zsh", kSpecs));
    CHECK(completion_script("fish", kSpecs));
    CHECK(!completion_script("tcsh", kSpecs));
    CHECK(words_of("  a b  c ") == std::vector<std::string_view>{"a", "b", "c"});
}

TEST_CASE("completion: bash, from the table") {
    std::string s = *completion_script("bash", kSpecs);
    CHECK(has(s, "compgen -W '--help --version probe'"));
    CHECK(has(s, "'probe --mode') COMPREPLY=($(compgen -W 'fast slow' -- \"$val\")) ;;"));
    CHECK(has(s, "'probe --out') compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$val\")) ;;"));
    CHECK(has(s, "probe) words='--mode= --out= --flag'; (( COMP_CWORD == 2 )) && words+=' one two' ;;"));
    CHECK(has(s, "      probe)\n        if declare -F _command_offset"));
    CHECK(has(s, "complete -F _sentinel sentinel\n"));
}

TEST_CASE("completion: zsh, descriptions escaped") {
    std::string s = *completion_script("zsh", kSpecs);
    CHECK(s.rfind("#compdef sentinel\n", 0) == 0);
    CHECK(has(s, "'probe:a test command: it'\\''s odd'"));
    CHECK(has(s, "'--mode=[it'\\''s \\[odd\\] \\\\ text]:MODE:(fast slow)'"));
    CHECK(has(s, "'--out=[a file]:PATH:_files'"));
    CHECK(has(s, "'--flag[a flag]'"));
    CHECK(has(s, "'1:probe:(one two)'"));
    CHECK(has(s, "      local at=${words[(i)--]}\n"));
    CHECK(has(s, "        _normal\n"));
}

TEST_CASE("completion: fish, descriptions escaped") {
    std::string s = *completion_script("fish", kSpecs);
    CHECK(has(s, "complete -c sentinel -n __fish_use_subcommand -a probe -d 'a test command: it\\'s odd'\n"));
    CHECK(has(s, "-l mode -x -a 'fast slow' -d 'it\\'s [odd] \\\\ text'\n"));
    CHECK(has(s, "-l out -r -F -d 'a file'\n"));
    CHECK(has(s, "-l flag -d 'a flag'\n"));
    CHECK(has(s, "-a 'one two'\n"));
    CHECK(has(s, "-x -a '(__sentinel_after_dashdash)'\n"));
}

TEST_CASE("completion: every command, option and value of sentinel's own tables") {
    for (const char* shell : {"bash", "zsh", "fish"}) {
        std::string s = *completion_script(shell, all_commands());
        for (const CommandSpec* c : all_commands()) {
            CHECK_MESSAGE(has(s, std::string(c->name)), shell << ": " << c->name);
            for (const OptionSpec& o : c->options) {
                std::string option = std::string(shell) == "fish" ? "-l " + std::string(o.name) : "--" + std::string(o.name);
                CHECK_MESSAGE(has(s, option), shell << ": " << c->name << " " << option);
                if (!o.values.empty()) CHECK_MESSAGE(has(s, std::string(o.values)), shell << ": " << o.values);
            }
        }
        CHECK(has(s, "plain prompt json"));
        CHECK(has(s, "psql kubectl helm terraform auto"));
        CHECK(has(s, "kube pg env"));
    }
}
