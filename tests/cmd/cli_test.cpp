#include "sentinel/cmd/cli.hpp"

#include <doctest/doctest.h>

#include "sentinel/cmd/commands.hpp"

using namespace sentinel;

namespace {

constexpr OptionSpec kOptions[] = {
    {.name = "format", .value = "FORMAT", .help = "plain, prompt or json"},
    {.name = "json", .value = "", .help = "same as --format=json"},
    {.name = "a-very-long-option-name", .value = "", .help = "long"},
};

int run_nothing(const Invocation&) { return 0; }

const CommandSpec kSpec = {
    .name = "status",
    .synopsis = "status [--format=F] [-- CMD ARGS...]",
    .help = "Print things.",
    .options = kOptions,
    .run = run_nothing,
};

Invocation must_parse(const std::vector<std::string>& args) {
    auto r = parse_invocation(kSpec, args);
    if (!r) FAIL("unexpected error: " << r.error().message);
    return r.value();
}

std::string must_fail(const std::vector<std::string>& args) {
    auto r = parse_invocation(kSpec, args);
    if (r) FAIL("parsed, expected an error");
    return r.error().message;
}

}  // namespace

TEST_CASE("cli: options with values, flags, and the command after --") {
    Invocation inv = must_parse({"--format=json", "--json", "--", "kubectl", "--format", "x"});
    CHECK(inv.command == "status");
    CHECK(inv.options.at("format") == "json");
    CHECK(inv.has("json"));
    CHECK(inv.options.at("json") == "");
    CHECK(inv.rest == std::vector<std::string>{"kubectl", "--format", "x"});
    CHECK(must_parse({"--format", "prompt"}).options.at("format") == "prompt");
    CHECK(must_parse({"--format=a", "--format=b"}).options.at("format") == "b");
    CHECK(must_parse({}).options.empty());
    CHECK(must_parse({"--"}).rest.empty());
}

TEST_CASE("cli: errors") {
    CHECK(must_fail({"--bogus"}) == "unknown option --bogus for \"status\"");
    CHECK(must_fail({"--json=yes"}) == "--json takes no value");
    CHECK(must_fail({"--format"}) == "--format needs a value (FORMAT)");
    CHECK(must_fail({"kubectl"}) == "unexpected argument \"kubectl\" (a command goes after --)");
    CHECK(must_fail({"-j"}) == "unexpected argument \"-j\" (a command goes after --)");
}

TEST_CASE("cli: help and usage come from the table") {
    std::string help = command_help(kSpec);
    CHECK(help == "usage: sentinel status [--format=F] [-- CMD ARGS...]\n\nPrint things.\n\noptions:\n"
                  "  --format=FORMAT       plain, prompt or json\n"
                  "  --json                same as --format=json\n"
                  "  --a-very-long-option-name  long\n");
    const CommandSpec* const commands[] = {&kSpec};
    std::string u = usage(commands);
    CHECK(u.find("  sentinel status [--format=F] [-- CMD ARGS...]\n") != std::string::npos);
    CHECK(u.find("64 usage, 77 refused, 78 config error") != std::string::npos);
}

TEST_CASE("a command answers to its earlier name, which usage does not list") {
    CHECK(kRelayCommand.named("relay"));
    CHECK(kRelayCommand.named("client"));  // shells started before the rename
    CHECK_FALSE(kRelayCommand.named(""));
    CHECK_FALSE(kStatusCommand.named(""));
    const CommandSpec* commands[] = {&kRelayCommand};
    CHECK(usage(commands).find("sentinel relay") != std::string::npos);
    CHECK(usage(commands).find("client") == std::string::npos);
}
