// `sentinel relay`: the per-shell relay the shell integration starts once
// per interactive shell (io/agent_relay.hpp). Not meant to be run by hand.
// Its earlier name, `sentinel client`, still runs it: a shell started before
// an upgrade starts its relay under that name.

#include <cstdio>
#include <cstdlib>
#include <string>

#include "sentinel/cmd/commands.hpp"
#include "sentinel/io/agent_relay.hpp"

namespace sentinel {
namespace {

int run_relay_command(const Invocation& inv);

constexpr OptionSpec kRelayOptions[] = {
    {.name = "shell", .value = "SHELL", .help = "bash or zsh: how the prompt segment is escaped"},
    {.name = "pid", .value = "PID", .help = "the shell's pid; the relay exits with it"},
    {.name = "no-autostart", .value = "", .help = "never start the agent (when systemd runs it)"},
    {.name = "protocol", .value = "N", .help = "the shell integration's protocol version (1 when absent: a shell started before versions)"},
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
    return run_relay(options);
}

}  // namespace

const CommandSpec kRelayCommand = {
    .name = "relay",
    .synopsis = "relay --shell=bash|zsh --pid=PID --protocol=N [--no-autostart]",
    .help = "The relay between one interactive shell and the agent, started once per shell\n"
            "by `sentinel init`. It answers each prompt within the timeout the shell gives,\n"
            "even when the agent is stopped or gone, starts the agent when none runs\n"
            "(unless --no-autostart or SENTINEL_AUTOSTART=0) and exits with its shell.",
    .options = kRelayOptions,
    .run = run_relay_command,
    .old_name = "client",
};

}  // namespace sentinel
