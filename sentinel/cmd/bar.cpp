// `sentinel bar`: a persistent one-line status for a dedicated pane or small
// window, drawn with curses, repainted when the target changes (no polling);
// or, headless, the reserved line of this terminal (--inline) or this tmux
// pane's options (--push-tmux).

#include <cstdio>
#include <memory>

#include "sentinel/cmd/commands.hpp"
#include "sentinel/io/bar_agent.hpp"
#include "sentinel/io/bar_feed.hpp"
#include "sentinel/io/bar_run.hpp"
#include "sentinel/io/curses.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/core/sanitize.hpp"
#include "sentinel/core/config/config.hpp"

namespace sentinel {
namespace {

int run_bar(const Invocation& inv);

constexpr OptionSpec kBarOptions[] = {
    {.name = "session", .value = "PID", .help = "follow the shell with this process id, through the agent"},
    {.name = "pane", .value = "%N", .help = "follow the shell in this tmux pane (e.g. \"$TMUX_PANE\" of the pane beside), through the agent"},
    {.name = "active", .value = "", .help = "follow the most recently active shell, through the agent"},
    {.name = "inline", .value = "", .help = "no pane: reserve this terminal's own status line ([display] statusline) until exit"},
    {.name = "push-tmux", .value = "", .help = "no drawing: set this tmux pane's @sentinel_* options ($TMUX, $TMUX_PANE) on every change"},
    {.name = "help", .value = "", .help = "print this help"},
};

}  // namespace

const CommandSpec kBarCommand = {
    .name = "bar",
    .synopsis = "bar [--inline | --push-tmux] [--session PID | --pane %N | --active]",
    .summary = "a status line for a tmux pane or a small window",
    .help = "Draw this terminal's target as one status line, for a one-line tmux split\n"
            "or a small window, and repaint it the moment the target changes (files\n"
            "watched with inotify; never a timer). It shows the target of the environment\n"
            "it was started in, or with --session, --pane or --active the shell it\n"
            "follows through the agent (repainted on the agent's pushes). Press q to\n"
            "quit. NO_COLOR selects reverse video.\n"
            "--inline paints the reserved line of its own terminal instead, and\n"
            "--push-tmux sets the pane options that contrib/tmux/sentinel.tmux shows.",
    .options = kBarOptions,
    .run = run_bar,
};

namespace {

int run_bar(const Invocation& inv) {
    if (inv.has("inline") && inv.has("push-tmux")) {
        std::fputs("sentinel: error: bar: --inline and --push-tmux are separate runs\n", stderr);
        return kExitUsage;
    }
    Vars vars = environment_vars();
    PosixFileReader files;
    Config config = load_config(vars, files);
    const DisplaySettings& display = config.display;
    for (const std::string& e : config.errors) std::fprintf(stderr, "sentinel: error: %s\n", sanitize(e).c_str());
    std::unique_ptr<BarFeed> followed;
    if (inv.has("session") || inv.has("pane") || inv.has("active")) {
        BarFollow follow;
        if (auto it = inv.options.find("session"); it != inv.options.end()) follow = {BarFollow::By::pid, it->second};
        else if (auto p = inv.options.find("pane"); p != inv.options.end()) follow = {BarFollow::By::pane, p->second};
        auto agent = AgentFeed::connect(vars, follow, config);
        if (!agent) {
            std::fprintf(stderr, "sentinel: error: bar: %s\n", sanitize(agent.error().message).c_str());
            return 1;
        }
        followed = std::move(agent.value());
    } else {
        followed = std::make_unique<LocalFeed>(vars);
    }
    BarFeed& feed = *followed;
    if (inv.has("inline"))
        return run_inline_line(feed, get(vars, "TERM").value_or(""), display.statusline, no_color(vars),
                               display.osc_tint && get(vars, "TMUX").value_or("").empty());
    if (inv.has("push-tmux")) {
        auto pane = tmux_pane_of(get(vars, "TMUX").value_or(""), get(vars, "TMUX_PANE").value_or(""));
        if (!pane) {
            std::fputs("sentinel: error: bar --push-tmux: not inside tmux ($TMUX and $TMUX_PANE)\n", stderr);
            return kExitUsage;
        }
        TmuxSettings settings{.tint = display.tmux_tint, .no_color = no_color(vars)};
        return run_tmux_push(feed, *pane, settings, get(vars, "SENTINEL_TMUX").value_or("tmux"));
    }
    return run_bar_screen(feed, BarScreenOptions{.no_color = no_color(vars)});
}

}  // namespace
}  // namespace sentinel
