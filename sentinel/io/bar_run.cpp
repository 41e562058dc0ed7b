#include "sentinel/io/bar_run.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "sentinel/io/terminfo.hpp"
#include "sentinel/io/terminfo_tty.hpp"
#include "sentinel/io/session_display.hpp"
#include "sentinel/core/sanitize.hpp"
#include "sentinel/core/display/osc.hpp"

namespace sentinel {
namespace {

volatile sig_atomic_t g_stop = 0;
volatile sig_atomic_t g_resized = 0;

void on_stop(int) { g_stop = 1; }
void on_winch(int) { g_resized = 1; }

void install_handlers(bool winch) {
    struct sigaction sa{};
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_stop;
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, nullptr);
    if (winch) {
        sa.sa_handler = on_winch;
        sigaction(SIGWINCH, &sa, nullptr);
    }
    // A bar started from a shell's rc ends with the shell.
    prctl(PR_SET_PDEATHSIG, SIGHUP);
    if (getppid() == 1) g_stop = 1;
}

// Waits for the feed (or a signal). True when the feed has input.
bool wait_feed(BarFeed& feed) {
    struct pollfd pfd = {feed.fd(), POLLIN, 0};
    int n = poll(&pfd, feed.fd() >= 0 ? 1 : 0, -1);
    return n > 0;
}

}  // namespace

int run_inline_line(BarFeed& feed, const std::string& term, Placement placement, bool no_color, bool osc_tint) {
    const std::string tty = "/dev/tty";
    OscTint tint(osc_tint && !no_color);
    ReservedLine line(term, placement);
    if (!line.usable()) {
        std::fputs(line.take_notice().c_str(), stderr);
        return 0;
    }
    install_handlers(true);
    Display content;
    if (auto first = feed.next()) content = *first;
    auto size = tty_size(tty);
    if (!size) {
        std::fputs("sentinel: no status line: not a terminal\n", stderr);
        return 0;
    }
    std::string first_paint = line.at_prompt(content, *size, no_color);
    if (first_paint.empty()) {  // too small: no line now, no scrolling later
        std::fputs(line.take_notice().c_str(), stderr);
        return 0;
    }
    if (!write_to_tty(tty, first_paint + tint.update(content.dangerous, content.color.palette()))) return 1;
    while (!g_stop && feed.alive()) {
        bool input = wait_feed(feed);
        if (g_stop) break;
        bool changed = false;
        if (input) {
            if (auto next = feed.next()) {
                content = *next;
                changed = true;
            }
        }
        if (g_resized || changed) {
            g_resized = 0;
            if (auto now = tty_size(tty))
                write_to_tty(tty, line.on_change(content, *now, no_color) +
                                      tint.update(content.dangerous, content.color.palette()));
        }
    }
    write_to_tty(tty, line.release() + tint.release());
    return 0;
}

int run_tmux_push(BarFeed& feed, const TmuxPane& pane, const TmuxSettings& settings, const std::string& tmux_binary) {
    install_handlers(false);
    TmuxControlPool tmux(tmux_binary);
    auto push = [&](const Display& content) {
        auto done = tmux.set(pane, tmux_pane_options(content, settings));
        if (!done) std::fprintf(stderr, "sentinel: %s\n", sanitize(done.error().message).c_str());
    };
    Display content;
    if (auto first = feed.next()) content = *first;
    push(content);
    while (!g_stop && feed.alive()) {
        if (!wait_feed(feed) || g_stop) continue;
        if (auto next = feed.next()) push(*next);
    }
    return 0;
}

}  // namespace sentinel
