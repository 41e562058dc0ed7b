#include "sentinel/core/doctor/checks.hpp"

#include <cstdlib>

namespace sentinel {
namespace {

Check ok(std::string name, std::string message) { return {std::move(name), CheckStatus::ok, std::move(message), ""}; }

Check fail(std::string name, std::string message, std::string fix) {
    return {std::move(name), CheckStatus::fail, std::move(message), std::move(fix)};
}

Check warn(std::string name, std::string message, std::string fix) {
    return {std::move(name), CheckStatus::warn, std::move(message), std::move(fix)};
}

// The line that loads the integration, in the file each shell reads.
std::string init_line(const std::string& shell) {
    if (shell == "zsh") return "add  eval \"$(sentinel init zsh)\"  to ~/.zshrc, then start a new shell";
    if (shell == "fish") return "add  sentinel init fish | source  to ~/.config/fish/config.fish, then start a new shell";
    return "add  eval \"$(sentinel init bash)\"  to ~/.bashrc, then start a new shell";
}

std::string joined(const std::vector<std::string>& list, const std::string& sep) {
    std::string out;
    for (const std::string& s : list) out += (out.empty() ? "" : sep) + s;
    return out;
}

}  // namespace

std::string_view check_status_name(CheckStatus status) {
    switch (status) {
        case CheckStatus::ok: return "ok";
        case CheckStatus::warn: return "warn";
        case CheckStatus::fail: break;
    }
    return "fail";
}

std::optional<InitMarker> parse_init_marker(std::string_view text) {
    std::vector<std::string> words;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find(' ', at);
        if (end == std::string_view::npos) end = text.size();
        if (end > at) words.emplace_back(text.substr(at, end - at));
        at = end + 1;
    }
    if (words.size() < 3) return std::nullopt;
    char* stop = nullptr;
    long pid = std::strtol(words[2].c_str(), &stop, 10);
    if (!stop || *stop || pid <= 0) return std::nullopt;
    InitMarker m{words[0], words[1], pid, {words.begin() + 3, words.end()}};
    return m;
}

Check check_shell(const ShellFacts& f) {
    const std::string shell = f.shell.empty() ? "shell" : f.shell;
    if (!f.marker) {
        return fail("shell", "the sentinel integration is not loaded in this " + shell +
                                 (f.shell_pid ? " (pid " + std::to_string(f.shell_pid) + ")" : ""),
                    init_line(f.shell));
    }
    auto m = parse_init_marker(*f.marker);
    if (!m) return fail("shell", "SENTINEL_INIT is malformed (set by hand?)", init_line(f.shell));
    if (f.shell_pid && m->pid != f.shell_pid) {
        return fail("shell",
                    "the integration was loaded in shell " + std::to_string(m->pid) + ", not in this " + shell +
                        " (pid " + std::to_string(f.shell_pid) + "): it inherited the variable only",
                    init_line(f.shell));
    }
    if (m->version != f.version) {
        return fail("shell", "this " + m->shell + " loaded the integration of sentinel " + m->version +
                                 "; this binary is " + f.version,
                    "start a new shell (exec " + m->shell + ") so that it loads the integration of this version");
    }
    if (f.session_known && !*f.session_known) {
        return fail("shell", m->shell + " integration " + m->version + " loaded, but the agent has no session for it",
                    "press Enter for a new prompt (the relay registers at a prompt); if it persists, start a new shell");
    }
    return ok("shell", m->shell + " integration loaded (sentinel " + m->version + ", pid " + std::to_string(m->pid) +
                           (f.session_known ? ", session known to the agent)" : ")"));
}

Check check_agent(const AgentFacts& f) {
    const std::string start = f.autostart ? "it starts at the next prompt of a shell with the integration, or run: sentinel agent"
                                          : "SENTINEL_AUTOSTART=0: start it (systemctl --user start sentinel-agent, or sentinel agent)";
    const std::string pid = f.pid.empty() ? "" : " (pid " + f.pid + ")";
    switch (f.reach) {
        case AgentReach::no_runtime:
            return fail("agent", "cannot look for the agent: the runtime directory is unusable", "fix the runtime directory (below)");
        case AgentReach::no_socket: return fail("agent", "no agent is running (no socket at " + f.socket + ")", start);
        case AgentReach::stale:
            return fail("agent", "no agent is running (stale socket " + f.socket + ")", start);
        case AgentReach::silent:
            return fail("agent", "the agent" + pid + " does not answer: stopped or hung",
                        f.pid.empty() ? "restart it: kill it, then " + start
                                      : "resume it (kill -CONT " + f.pid + ") or restart it (kill " + f.pid + "; the next prompt starts one)");
        case AgentReach::refused:
            return fail("agent", "the agent" + pid + " refused this client: " + f.detail,
                        "restart the agent so that it is this version: kill " + (f.pid.empty() ? "it" : f.pid));
        case AgentReach::unreachable:
            return fail("agent", "cannot reach the agent at " + f.socket + ": " + f.detail, start);
        case AgentReach::answered: break;
    }
    if (f.agent_version != f.version) {
        return fail("agent", "the agent" + pid + " is sentinel " + (f.agent_version.empty() ? "of an unknown version" : f.agent_version) +
                                 "; this binary is " + f.version,
                    "restart it: kill " + (f.pid.empty() ? "the agent" : f.pid) + " (the next prompt starts this version)");
    }
    return ok("agent", "the agent" + pid + " answers at " + f.socket + " (sentinel " + f.agent_version + ")");
}

Check check_runtime_dir(const std::string& path, const std::optional<std::string>& error) {
    if (error) return fail("runtime-dir", *error, "see the message: the directory must be yours, mode 0700, not a symlink");
    return ok("runtime-dir", path + " is private (yours, mode 0700)");
}

Check check_config(const Config& config) {
    if (!config.errors.empty()) {
        return fail("config", joined(config.errors, "; "),
                    "correct the file at that line and column; until then every terminal is unknown (sentinel explain)");
    }
    std::string files = config.files.empty() ? "no config file (built-in rules)" : joined(config.files, ", ") + " parse";
    if (!config.notes.empty()) return warn("config", files + "; " + joined(config.notes, "; "), "see man sentinel.toml (locked tiers)");
    return ok("config", files);
}

Check check_terminal(const TerminalFacts& f) {
    if (f.placement == Placement::off) return ok("terminal", "the status line is off ([display] statusline = \"off\")");
    if (!f.is_tty) return warn("terminal", "not run from a terminal: TERM=" + f.term + " not checked", "run sentinel doctor in the terminal itself");
    const std::string fix = "set TERM to your terminal's type (xterm-256color, tmux-256color, screen-256color), "
                            "or [display] statusline = \"off\"";
    if (f.entry_error) return fail("terminal", *f.entry_error, fix);
    if (!f.missing.empty()) {
        return fail("terminal", "no status line: TERM=" + f.term + " lacks " + joined(f.missing, ", ") + " (terminfo)", fix);
    }
    return ok("terminal", "TERM=" + f.term + " has what the status line needs (csr sc rc cup el ind cuu1)");
}

Check check_tmux(const TmuxFacts& f) {
    if (!f.inside) return ok("tmux", "not inside tmux");
    if (f.error) return fail("tmux", "tmux cannot be asked: " + *f.error, "run doctor inside a live tmux pane, with tmux on PATH");
    if (!f.plugin) {
        return fail("tmux", "the sentinel tmux plugin is not loaded (status-left/right do not show @sentinel_ options)",
                    "add  run-shell " + f.plugin_path + "  to ~/.tmux.conf, then: tmux source-file ~/.tmux.conf");
    }
    if (f.tier.empty()) {
        return fail("tmux", "the plugin is loaded but pane " + f.pane + " has no @sentinel_tier: nothing sets it",
                    "load the shell integration in this pane's shell with the agent running (see shell and agent)");
    }
    return ok("tmux", "plugin loaded; pane " + f.pane + " shows tier " + f.tier);
}

Check check_tool(const ToolFacts& f) {
    const std::string name = "wrapper " + f.tool;
    if (f.function) {
        std::string runs = f.path.empty() ? "(not on PATH)" : f.path;
        return ok(name, f.tool + " is a shell function: sentinel guard, then " + runs);
    }
    if (f.path.empty()) return ok(name, f.tool + " is not installed");
    if (f.path_is_wrapper) {
        if (f.real.empty()) return fail(name, f.path + " is sentinel's wrapper but no real " + f.tool + " follows it on PATH", "install " + f.tool);
        return ok(name, f.tool + " runs " + f.path + " (sentinel's wrapper), then " + f.real);
    }
    return warn(name, f.tool + " runs " + f.path + " directly: the guard is not in front of it",
                "set SENTINEL_WRAP=\"psql kubectl helm terraform\" before the init line, or put " + f.wrappers_dir + " first on PATH");
}

Check check_audit(const AuditFacts& f) {
    if (f.path.empty()) return fail("audit", "no place for the audit log: neither XDG_STATE_HOME nor HOME is set", "set HOME");
    if (f.error) {
        return fail("audit", "the audit log " + f.path + " cannot be written: " + *f.error +
                                 (f.required ? " (audit = \"required\": the guard refuses everything)" : " (the guard warns each time)"),
                    "make its directory writable or free space; XDG_STATE_HOME moves it");
    }
    return ok("audit", "the audit log " + f.path + " can be appended to");
}

bool all_well(const std::vector<Check>& checks) {
    for (const Check& c : checks)
        if (c.status == CheckStatus::fail) return false;
    return true;
}

}  // namespace sentinel
