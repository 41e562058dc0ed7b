#include "sentinel/io/curses.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <clocale>
#include <cstdio>
#include <cstring>
#include <map>
#include <utility>

// Last: <curses.h> defines macros named clear, move, erase, refresh, ...
#include <curses.h>

namespace sentinel {
namespace {

volatile sig_atomic_t g_stop = 0;

void on_stop(int) { g_stop = 1; }

// Colour pairs in use, allocated on first need (pair 0 is the default).
class Pairs {
public:
    explicit Pairs(bool enabled) : enabled_(enabled) {}
    int attr(const Style& style) {
        int a = A_NORMAL;
        if (style.bold) a |= A_BOLD;
        if (style.reverse) a |= A_REVERSE;
        if (!enabled_ || (style.fg < 0 && style.bg < 0)) return a;
        std::pair<int, int> key{fit(style.fg), fit(style.bg)};
        auto it = pairs_.find(key);
        if (it == pairs_.end()) {
            int n = static_cast<int>(pairs_.size()) + 1;
            if (n >= COLOR_PAIRS || init_pair(static_cast<short>(n), static_cast<short>(key.first),
                                              static_cast<short>(key.second)) == ERR)
                return a;
            it = pairs_.emplace(key, n).first;
        }
        return a | COLOR_PAIR(it->second);
    }

private:
    static int fit(PaletteIndex index) {
        if (index < 0 || index < COLORS) return index;
        return downgrade_to_8(index);
    }
    bool enabled_;
    std::map<std::pair<int, int>, int> pairs_;
};

void draw(const Display& content, const BarScreenOptions& options, Pairs& pairs) {
    erase();
    int width = COLS > 1 ? COLS - 1 : 0;
    StatusLine line = layout_status_line(content, static_cast<std::size_t>(width), options.no_color);
    move(0, 0);
    for (const Segment& seg : line.segments) {
        int a = pairs.attr(seg.style);
        attrset(a);
        addstr(seg.text.c_str());
    }
    attrset(A_NORMAL);
    refresh();
}

}  // namespace

int run_bar_screen(BarFeed& feed, const BarScreenOptions& options) {
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        std::fputs("sentinel: error: bar needs a terminal on stdin and stdout\n", stderr);
        return 1;
    }
    // Wide characters (the "·" separator, "…", names in any script) need a
    // UTF-8 locale in ncursesw.
    if (!std::setlocale(LC_ALL, "") || !std::strstr(std::setlocale(LC_CTYPE, nullptr), "UTF-8"))
        std::setlocale(LC_CTYPE, "C.UTF-8");
    struct sigaction sa{};
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, nullptr);

    SCREEN* screen = newterm(nullptr, stdout, stdin);
    if (!screen) {
        std::fputs("sentinel: error: bar: this terminal type cannot be used by curses\n", stderr);
        return 1;
    }
    cbreak();
    noecho();
    nodelay(stdscr, TRUE);
    keypad(stdscr, TRUE);
    curs_set(0);
    bool colours = !options.no_color && has_colors() && start_color() != ERR;
    if (colours) use_default_colors();
    Pairs pairs(colours);

    Display content;
    if (auto first = feed.next()) content = std::move(*first);
    draw(content, options, pairs);

    while (!g_stop && feed.alive()) {
        struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {feed.fd(), POLLIN, 0}};
        int n = poll(fds, feed.fd() >= 0 ? 2 : 1, -1);
        if (n < 0 && errno != EINTR) break;
        bool redraw = false;
        // SIGWINCH interrupts poll; curses reports the new size as KEY_RESIZE.
        for (int ch; (ch = getch()) != ERR;) {
            if (ch == KEY_RESIZE) redraw = true;
            else if (ch == 'q' || ch == 4) g_stop = 1;
        }
        if (n > 0 && (fds[0].revents & (POLLHUP | POLLERR))) break;
        if (n > 0 && feed.fd() >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            if (auto next = feed.next()) {
                content = std::move(*next);
                redraw = true;
            }
        }
        if (redraw) draw(content, options, pairs);
    }
    endwin();
    delscreen(screen);
    return 0;
}

std::string curses_library_version() {
    std::string v = curses_version();
    const std::string prefix = "ncurses ";
    return v.rfind(prefix, 0) == 0 ? v.substr(prefix.size()) : v;
}

}  // namespace sentinel
