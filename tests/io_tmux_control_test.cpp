// A real tmux server on a private socket and a real pseudo-terminal: the
// control client sets pane options, and SessionDisplay drives every sink of
// one session at the moments the agent calls it.

#include "sentinel/io_tmux_control.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "sentinel/io_bar_session.hpp"

using namespace sentinel;

namespace {

std::string run(const std::string& command) {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    if (!p) return out;
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

// A private tmux server with one session; killed at the end of the test.
struct Server {
    std::string name = "sentinel-unit-" + std::to_string(getpid());
    std::string socket;
    Server() {
        run("tmux -L " + name + " -f /dev/null new-session -d -s u -x 80 -y 24 'sleep 60'");
        socket = run("tmux -L " + name + " display-message -p '#{socket_path}'");
    }
    ~Server() { run("tmux -L " + name + " kill-server 2>/dev/null"); }
    std::string option(const std::string& o) { return run("tmux -L " + name + " show-options -p -q -v -t %0 " + o); }
};

// Everything the pty master has to read now.
std::string drain(int master) {
    std::string out;
    char buf[4096];
    struct pollfd pfd = {master, POLLIN, 0};
    while (poll(&pfd, 1, 50) > 0) {
        ssize_t n = read(master, buf, sizeof buf);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

LineContent prod() {
    LineContent c;
    c.tier = "production";
    c.label = "PROD";
    c.color = "red";
    c.items = {"kube #(touch /tmp/sentinel-unit-canary)/payments"};
    c.production = true;
    return c;
}

}  // namespace

TEST_CASE("TmuxControlPool sets pane options through one control client") {
    Server server;
    REQUIRE_FALSE(server.socket.empty());
    TmuxPane pane{server.socket, "%0", "$0"};
    TmuxControlPool pool;
    REQUIRE(pool.set(pane, tmux_pane_options(prod(), true, {})).ok());
    usleep(100000);
    CHECK(server.option("@sentinel_tier") == "production");
    CHECK(server.option("@sentinel_text") == "kube ##(touch /tmp/sentinel-unit-canary)/payments");
    CHECK(server.option("window-style") == "bg=colour52");
    CHECK(run("tmux -L " + server.name + " list-clients -F '#{client_flags}'").find("control-mode") != std::string::npos);
    CHECK(access("/tmp/sentinel-unit-canary", F_OK) != 0);
}

TEST_CASE("SessionDisplay: prompt reserves, idle change repaints, busy does not, exit releases; tmux follows") {
    Server server;
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master >= 0);
    REQUIRE(grantpt(master) == 0);
    REQUIRE(unlockpt(master) == 0);
    std::string tty = ptsname(master);
    struct winsize ws{};
    ws.ws_row = 24;
    ws.ws_col = 80;
    REQUIRE(ioctl(master, TIOCSWINSZ, &ws) == 0);
    int keep = open(tty.c_str(), O_RDWR | O_NOCTTY);  // the "shell" holding its terminal open
    REQUIRE(keep >= 0);
    struct termios raw{};
    tcgetattr(keep, &raw);
    cfmakeraw(&raw);  // bytes as written, no ONLCR
    tcsetattr(keep, TCSANOW, &raw);

    TmuxControlPool pool;
    DisplaySettings settings;
    SessionDisplay display({.tty = tty, .term = "xterm-256color", .tmux = server.socket + ",1,0", .tmux_pane = "%0"},
                           settings, pool);
    TermCaps caps = load_term_caps("xterm-256color").value();
    LineContent dev;
    dev.tier = "development";
    dev.label = "DEV";
    dev.color = "blue";
    dev.items = {"kube dev/default"};

    display.at_prompt(dev);
    CHECK(drain(master) == reserve_bytes(caps, layout_status_line(dev, 79, false), Placement::bottom, {24, 80}));
    usleep(100000);
    CHECK(server.option("@sentinel_tier") == "development");

    display.on_change(prod(), true);
    CHECK(drain(master) == paint_bytes(caps, layout_status_line(prod(), 79, false), Placement::bottom, {24, 80}));
    usleep(100000);
    CHECK(server.option("@sentinel_tier") == "production");

    display.on_change(dev, false);  // a command runs: the terminal is left alone, tmux still follows
    CHECK(drain(master) == "");
    usleep(100000);
    CHECK(server.option("@sentinel_tier") == "development");
    CHECK(server.option("window-style") == "");

    display.on_exit();
    CHECK(drain(master) == release_bytes(caps, Placement::bottom, {24, 80}));
    close(keep);
    close(master);
    CHECK(access("/tmp/sentinel-unit-canary", F_OK) != 0);
}

TEST_CASE("session_terminal reads TERM and NO_COLOR of a process of this user") {
    setenv("TERM", "xterm-256color", 1);
    setenv("NO_COLOR", "1", 1);
    pid_t child = fork();
    if (child == 0) {
        execlp("sleep", "sleep", "5", nullptr);
        _exit(127);
    }
    usleep(100000);
    SessionTerminal t = session_terminal(child, "/dev/pts/9", "/tmp/s,1,0", "%1");
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
    unsetenv("NO_COLOR");
    CHECK(t.term == "xterm-256color");
    CHECK(t.no_color);
    CHECK(t.tty == "/dev/pts/9");
    CHECK(session_terminal(1 << 30, "", "", "").term == "");
}
