#include "sentinel/core/doctor/checks.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using namespace sentinel;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

ShellFacts bash_shell(std::optional<std::string> marker) {
    return ShellFacts{"bash", 4242, std::move(marker), "0.1.0", std::nullopt};
}

}  // namespace

TEST_CASE("doctor: SENTINEL_INIT is shell, version, pid and wrapped tools") {
    auto m = parse_init_marker("bash 0.1.0 4242 psql kubectl");
    REQUIRE(m);
    CHECK(m->shell == "bash");
    CHECK(m->version == "0.1.0");
    CHECK(m->pid == 4242);
    CHECK(m->wrapped == std::vector<std::string>{"psql", "kubectl"});
    CHECK(parse_init_marker("fish 0.1.0 7 ")->wrapped.empty());
    CHECK(!parse_init_marker("bash 0.1.0"));
    CHECK(!parse_init_marker("bash 0.1.0 x12"));
    CHECK(!parse_init_marker("bash 0.1.0 -3"));
    CHECK(!parse_init_marker(""));
}

TEST_CASE("doctor: the shell integration") {
    SUBCASE("not loaded: the line for this shell's startup file") {
        Check c = check_shell(bash_shell(std::nullopt));
        CHECK(c.status == CheckStatus::fail);
        CHECK(c.message == "the sentinel integration is not loaded in this bash (pid 4242)");
        CHECK(c.fix == "add  eval \"$(sentinel init bash)\"  to ~/.bashrc, then start a new shell");
        ShellFacts fish = bash_shell(std::nullopt);
        fish.shell = "fish";
        CHECK(check_shell(fish).fix == "add  sentinel init fish | source  to ~/.config/fish/config.fish, then start a new shell");
        fish.shell = "zsh";
        CHECK(has(check_shell(fish).fix, "~/.zshrc"));
    }
    SUBCASE("inherited from a parent shell only") {
        Check c = check_shell(bash_shell("bash 0.1.0 1000"));
        CHECK(c.status == CheckStatus::fail);
        CHECK(has(c.message, "loaded in shell 1000, not in this bash (pid 4242)"));
    }
    SUBCASE("another version: start a new shell") {
        Check c = check_shell(bash_shell("bash 0.0.9 4242"));
        CHECK(c.status == CheckStatus::fail);
        CHECK(has(c.message, "sentinel 0.0.9; this binary is 0.1.0"));
        CHECK(c.fix == "start a new shell (exec bash) so that it loads the integration of this version");
    }
    SUBCASE("loaded, but the agent has no session for it") {
        ShellFacts f = bash_shell("bash 0.1.0 4242");
        f.session_known = false;
        CHECK(check_shell(f).status == CheckStatus::fail);
        f.session_known = true;
        Check c = check_shell(f);
        CHECK(c.status == CheckStatus::ok);
        CHECK(c.message == "bash integration loaded (sentinel 0.1.0, pid 4242, session known to the agent)");
    }
    SUBCASE("a malformed marker") { CHECK(check_shell(bash_shell("junk")).status == CheckStatus::fail); }
}

TEST_CASE("doctor: the agent") {
    AgentFacts f;
    f.socket = "/run/user/1000/sentinel/agent.sock";
    f.version = "0.1.0";
    f.reach = AgentReach::no_socket;
    Check c = check_agent(f);
    CHECK(c.status == CheckStatus::fail);
    CHECK(c.message == "no agent is running (no socket at /run/user/1000/sentinel/agent.sock)");
    CHECK(has(c.fix, "sentinel agent"));
    f.autostart = false;
    CHECK(has(check_agent(f).fix, "SENTINEL_AUTOSTART=0"));
    f.reach = AgentReach::stale;
    CHECK(has(check_agent(f).message, "stale socket"));
    f.reach = AgentReach::silent;
    f.pid = "777";
    c = check_agent(f);
    CHECK(c.message == "the agent (pid 777) does not answer: stopped or hung");
    CHECK(c.fix == "resume it (kill -CONT 777) or restart it (kill 777; the next prompt starts one)");
    f.reach = AgentReach::answered;
    f.agent_version = "0.0.9";
    c = check_agent(f);
    CHECK(c.status == CheckStatus::fail);
    CHECK(has(c.message, "is sentinel 0.0.9; this binary is 0.1.0"));
    f.agent_version = "0.1.0";
    CHECK(check_agent(f).status == CheckStatus::ok);
    f.reach = AgentReach::no_runtime;
    CHECK(check_agent(f).status == CheckStatus::fail);
}

TEST_CASE("doctor: runtime directory, config, terminal") {
    CHECK(check_runtime_dir("/run/user/1/sentinel", std::nullopt).status == CheckStatus::ok);
    Check r = check_runtime_dir("", "/tmp/x is mode 0755; run: chmod 700 /tmp/x");
    CHECK(r.status == CheckStatus::fail);
    CHECK(r.message == "/tmp/x is mode 0755; run: chmod 700 /tmp/x");

    Config config;
    CHECK(check_config(config).message == "no config file (built-in rules)");
    config.files = {"/home/u/.config/sentinel/config.toml"};
    CHECK(check_config(config).status == CheckStatus::ok);
    config.errors = {"/home/u/.config/sentinel/config.toml:3:14: statusline must be \"bottom\", \"top\" or \"off\""};
    Check c = check_config(config);
    CHECK(c.status == CheckStatus::fail);
    CHECK(has(c.message, "config.toml:3:14: statusline must be"));
    config.errors.clear();
    config.notes = {"a.toml:1:1: policy of tier \"production\" is locked"};
    CHECK(check_config(config).status == CheckStatus::warn);

    TerminalFacts t;
    t.term = "dumb";
    t.entry_error = "no status line: TERM=dumb cannot address the cursor; the prompt segment still shows the target";
    c = check_terminal(t);
    CHECK(c.status == CheckStatus::fail);
    CHECK(has(c.message, "TERM=dumb"));
    CHECK(has(c.fix, "set TERM to your terminal's type"));
    t.entry_error.reset();
    t.term = "vt52";
    t.missing = {"csr", "el"};
    CHECK(check_terminal(t).message == "no status line: TERM=vt52 lacks csr, el (terminfo)");
    t.missing.clear();
    t.term = "xterm-256color";
    CHECK(check_terminal(t).status == CheckStatus::ok);
    t.placement = Placement::off;
    t.term = "dumb";
    CHECK(check_terminal(t).status == CheckStatus::ok);
}

TEST_CASE("doctor: tmux") {
    TmuxFacts f;
    CHECK(check_tmux(f).message == "not inside tmux");
    f.inside = true;
    f.pane = "%3";
    f.plugin_path = "/usr/share/sentinel/tmux/sentinel.tmux";
    Check c = check_tmux(f);
    CHECK(c.status == CheckStatus::fail);
    CHECK(has(c.message, "plugin is not loaded"));
    CHECK(c.fix == "add  run-shell /usr/share/sentinel/tmux/sentinel.tmux  to ~/.tmux.conf, then: tmux source-file ~/.tmux.conf");
    f.plugin = true;
    CHECK(has(check_tmux(f).message, "pane %3 has no @sentinel_tier"));
    f.tier = "production";
    CHECK(check_tmux(f).message == "plugin loaded; pane %3 shows tier production");
    f.error = "tmux: no server";
    CHECK(check_tmux(f).status == CheckStatus::fail);
}

TEST_CASE("doctor: which psql, kubectl and helm run") {
    ToolFacts f;
    f.tool = "psql";
    f.wrappers_dir = "/usr/share/sentinel/wrappers";
    CHECK(check_tool(f).message == "psql is not installed");
    f.path = "/usr/bin/psql";
    Check c = check_tool(f);
    CHECK(c.status == CheckStatus::warn);
    CHECK(c.message == "psql runs /usr/bin/psql directly: the guard is not in front of it");
    CHECK(has(c.fix, "SENTINEL_WRAP"));
    CHECK(has(c.fix, "/usr/share/sentinel/wrappers"));
    f.function = true;
    CHECK(check_tool(f).message == "psql is a shell function: sentinel guard, then /usr/bin/psql");
    f.function = false;
    f.path = "/home/u/w/psql";
    f.path_is_wrapper = true;
    CHECK(check_tool(f).status == CheckStatus::fail);
    f.real = "/usr/bin/psql";
    CHECK(check_tool(f).message == "psql runs /home/u/w/psql (sentinel's wrapper), then /usr/bin/psql");
}

TEST_CASE("doctor: the audit log") {
    AuditFacts f;
    CHECK(check_audit(f).status == CheckStatus::fail);
    f.path = "/home/u/.local/state/sentinel/audit.jsonl";
    CHECK(check_audit(f).status == CheckStatus::ok);
    f.error = "read-only file system";
    f.required = true;
    Check c = check_audit(f);
    CHECK(c.status == CheckStatus::fail);
    CHECK(has(c.message, "read-only file system (audit = \"required\": the guard refuses everything)"));
}

TEST_CASE("doctor: the report, as text and as JSON, sanitized") {
    std::vector<Check> checks = {
        {"shell", CheckStatus::ok, "bash integration loaded", ""},
        {"wrapper psql", CheckStatus::warn, "psql runs /usr/bin/psql directly", "set SENTINEL_WRAP"},
    };
    CHECK(all_well(checks));
    CHECK(format_doctor_text(checks) ==
          "ok   shell: bash integration loaded\n"
          "warn wrapper psql: psql runs /usr/bin/psql directly; fix: set SENTINEL_WRAP\n"
          "all is well (1 warning(s))\n");
    checks.push_back({"config", CheckStatus::fail, "a.toml:1:1: bad \x1b]0;x\x07", "fix it"});
    CHECK(!all_well(checks));
    std::string text = format_doctor_text(checks);
    CHECK(has(text, "FAIL config: a.toml:1:1: bad \\e]0;x\\a; fix: fix it\n"));
    CHECK(has(text, "1 problem(s) found\n"));
    auto json = nlohmann::json::parse(format_doctor_json(checks));
    CHECK(json["version"] == 1);
    CHECK(json["ok"] == false);
    CHECK(json["checks"].size() == 3);
    CHECK(json["checks"][1]["status"] == "warn");
    CHECK(json["checks"][2]["message"] == "a.toml:1:1: bad \\e]0;x\\a");
    CHECK(json["checks"][0]["fix"] == "");
}
