// `sentinel doctor`: why something does not show. Gathers facts
// (io/doctor_probe.hpp), judges them (core/doctor/checks.hpp) and prints one
// line per check with its fix, or JSON.

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "sentinel/cmd/commands.hpp"
#include "sentinel/core/config/config.hpp"
#include "sentinel/core/doctor/checks.hpp"
#include "sentinel/io/doctor_probe.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/runtime_dir.hpp"
#include "sentinel/core/version.hpp"

namespace sentinel {
namespace {

int run_doctor(const Invocation& inv);

constexpr OptionSpec kDoctorOptions[] = {
    {.name = "json", .value = "", .help = "print the checks as one JSON object (version, ok, checks[])"},
    {.name = "help", .value = "", .help = "print this help"},
};

// Where the installed helpers are, for the fixes: the install's own
// share/sentinel when it has one, else the usual system place.
std::string share_path(const std::string& share, const std::string& relative) {
    std::string path = share + "/" + relative;
    return ::access(path.c_str(), F_OK) == 0 ? path : "/usr/share/sentinel/" + relative;
}

std::vector<Check> run_checks(const Vars& vars) {
    const std::string version(kVersion);
    std::vector<Check> checks;

    std::vector<long> session_pids;
    AgentFacts agent = probe_agent(vars, 300, session_pids);
    agent.version = version;

    auto [shell_pid, shell] = nearest_shell();
    ShellFacts sf{shell, shell_pid, get(vars, "SENTINEL_INIT"), version, std::nullopt};
    auto marker = sf.marker ? parse_init_marker(*sf.marker) : std::nullopt;
    if (marker && agent.reach == AgentReach::answered)
        sf.session_known = std::find(session_pids.begin(), session_pids.end(), marker->pid) != session_pids.end();
    checks.push_back(check_shell(sf));
    checks.push_back(check_agent(agent));

    auto dir = runtime_dir(vars);
    checks.push_back(check_runtime_dir(dir ? *dir : "", dir ? std::nullopt : std::optional(dir.error().to_string())));

    PosixFileReader files;
    Config config = load_config(vars, files);
    checks.push_back(check_config(config));
    checks.push_back(check_terminal(probe_terminal(vars, config.display.statusline)));

    const std::string share = installed_share_dir();
    checks.push_back(check_tmux(probe_tmux(vars, "tmux", share_path(share, "tmux/sentinel.tmux"))));
    // A wrapper function counts only in the shell that loaded it.
    bool own_marker = marker && marker->pid == shell_pid;
    for (const char* tool : {"psql", "kubectl", "helm", "terraform"}) {
        bool function = own_marker && std::find(marker->wrapped.begin(), marker->wrapped.end(), tool) != marker->wrapped.end();
        checks.push_back(check_tool(probe_tool(tool, vars, function, share_path(share, "wrappers"))));
    }
    checks.push_back(check_audit(probe_audit(vars, config.audit_required)));
    return checks;
}

int run_doctor(const Invocation& inv) {
    std::vector<Check> checks = run_checks(environment_vars());
    std::string text = inv.has("json") ? format_doctor_json(checks) : format_doctor_text(checks);
    std::fwrite(text.data(), 1, text.size(), stdout);
    if (std::fflush(stdout) != 0) return 1;
    return all_well(checks) ? kExitOk : 1;
}

}  // namespace

const CommandSpec kDoctorCommand = {
    .name = "doctor",
    .synopsis = "doctor [--json]",
    .summary = "say why something does not show, and how to fix it",
    .help = "Check, for the terminal it runs in, everything sentinel needs and say what to\n"
            "fix: the shell integration is loaded in this shell and is this version; the\n"
            "agent runs, answers and is this version; the runtime directory is private;\n"
            "the config files parse; $TERM has the terminfo capabilities of the status\n"
            "line; inside tmux, the plugin is loaded and this pane's options are set;\n"
            "which psql, kubectl, helm and terraform a command would run and whether the\n"
            "guard is in front of them; the audit log can be written. Exit 0 when all is\n"
            "well (warnings allowed), 1 otherwise.",
    .options = kDoctorOptions,
    .run = run_doctor,
};

}  // namespace sentinel
