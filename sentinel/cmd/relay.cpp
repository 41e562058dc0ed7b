// `sentinel relay`: the per-shell relay the shell integration starts once
// per interactive shell (io/agent_relay.hpp). Not meant to be run by hand.
// Its earlier name, `sentinel client`, still runs it: a shell started before
// an upgrade starts its relay under that name.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sentinel/cmd/commands.hpp"
#include "sentinel/io/agent_relay.hpp"
#include "sentinel/io/fish_relay.hpp"

namespace sentinel {
namespace {

int run_relay_command(const Invocation& inv);

constexpr OptionSpec kRelayOptions[] = {
    {.name = "shell", .value = "SHELL", .help = "bash, zsh or fish: how replies and the prompt segment are escaped",
     .values = "bash zsh fish"},
    {.name = "pid", .value = "PID", .help = "the shell's pid; the relay exits with it"},
    {.name = "no-autostart", .value = "", .help = "never start the agent (when systemd runs it)"},
    {.name = "protocol", .value = "N", .help = "the shell integration's protocol version (1 when absent: a shell started before versions)"},
    {.name = "prompt", .value = "SEQ", .help = "fish: ask the shell's relay for prompt SEQ and print its reply"},
    {.name = "gen", .value = "TOKEN", .help = "fish, with --prompt: the generation the shell shows now"},
    {.name = "timeout", .value = "MS", .help = "fish, with --prompt: how long to wait for the agent (default 10)"},
    {.name = "busy", .value = "", .help = "fish: tell the shell's relay that a command starts"},
    {.name = "help", .value = "", .help = "print this help"},
};

int run_relay_command(const Invocation& inv) {
    RelayOptions options;
    auto shell = inv.options.find("shell");
    auto pid = inv.options.find("pid");
    if (shell == inv.options.end() || pid == inv.options.end() || std::atol(pid->second.c_str()) <= 0) {
        std::fprintf(stderr, "sentinel: error: relay needs --shell and --pid\n");
        return kExitUsage;
    }
    options.shell = shell->second;
    options.shell_pid = std::atol(pid->second.c_str());
    if (auto protocol = inv.options.find("protocol"); protocol != inv.options.end()) {
        options.protocol = std::atoi(protocol->second.c_str());
        if (options.protocol < 1) {
            std::fprintf(stderr, "sentinel: error: relay --protocol must be a version number\n");
            return kExitUsage;
        }
    }
    const char* autostart = std::getenv("SENTINEL_AUTOSTART");
    options.autostart = !inv.has("no-autostart") && !(autostart && std::string(autostart) == "0");
    if (inv.has("prompt") || inv.has("busy")) {
        if (options.shell != "fish") {
            std::fprintf(stderr, "sentinel: error: --prompt and --busy are for --shell=fish\n");
            return kExitUsage;
        }
        FishAsk ask;
        ask.shell_pid = options.shell_pid;
        ask.protocol = options.protocol;
        ask.busy = inv.has("busy");
        ask.autostart = options.autostart;
        if (auto it = inv.options.find("prompt"); it != inv.options.end()) ask.seq = it->second;
        if (auto it = inv.options.find("gen"); it != inv.options.end()) ask.gen = it->second;
        if (auto it = inv.options.find("timeout"); it != inv.options.end())
            ask.timeout_ms = std::clamp(std::atol(it->second.c_str()), 1L, 5000L);
        return run_fish_ask(ask);
    }
    return run_relay(options);
}

}  // namespace

const CommandSpec kRelayCommand = {
    .name = "relay",
    .synopsis = "relay --shell=bash|zsh|fish --pid=PID --protocol=N [--no-autostart] "
                "[--prompt=SEQ --gen=TOKEN --timeout=MS | --busy]",
    .summary = "the per-shell relay to the agent (started by init)",
    .help = "The relay between one interactive shell and the agent, started once per shell\n"
            "by `sentinel init`. It answers each prompt within the timeout the shell gives,\n"
            "even when the agent is stopped or gone, starts the agent when none runs\n"
            "(unless --no-autostart or SENTINEL_AUTOSTART=0) and exits with its shell.\n"
            "fish keeps no descriptor between commands: its prompt runs this command\n"
            "with --prompt (and each command line with --busy), which carries one\n"
            "exchange to the shell's relay, starting the relay when there is none.",
    .options = kRelayOptions,
    .run = run_relay_command,
    .old_name = "client",
};

}  // namespace sentinel
