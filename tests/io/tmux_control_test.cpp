// A real tmux server on a private socket and a real pseudo-terminal: the
// control client sets pane options, and SessionDisplay drives every sink of
// one session at the moments the agent calls it.

#include "sentinel/io/tmux_control.hpp"

#include <doctest/doctest.h>

#include "tests/builders.hpp"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "sentinel/io/session_display.hpp"

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

// Where `#(touch ...)` in a name would create a file if a name ever reached
// tmux as a command: unique to this run, never created.
const std::string& canary() {
    struct Dir {
        std::string path;
        Dir() {
            char tmpl[] = "/tmp/sentinel-unit-XXXXXX";
            const char* dir = mkdtemp(tmpl);
            path = std::string(dir ? dir : "/nonexistent");
        }
        ~Dir() { rmdir(path.c_str()); }
    };
    static const Dir dir;
    static const std::string path = dir.path + "/canary";
    return path;
}

// A private tmux server with one session; killed at the end of the test.
// Each instance gets its own socket name: `kill-server` returns before the
// old server has gone, and a new client that reaches a dying server on the
// same socket fails with "server exited unexpectedly".
struct Server {
    static inline int count = 0;
    std::string name = "sentinel-unit-" + std::to_string(getpid()) + "-" + std::to_string(++count);
    std::string socket;
    Server() {
        run("tmux -L " + name + " -f /dev/null new-session -d -s u -x 80 -y 24 'sleep 60'");
        socket = run("tmux -L " + name + " display-message -p '#{socket_path}'");
    }
    ~Server() { run("tmux -L " + name + " kill-server 2>/dev/null"); }
    std::string option(const std::string& o) { return run("tmux -L " + name + " show-options -p -q -v -t %0 " + o); }
    // The option once it equals `want`, or its value after 5 s: the control
    // client writes asynchronously, so a fixed sleep would race a busy machine.
    std::string option_when(const std::string& o, const std::string& want) {
        std::string v;
        for (int i = 0; i < 250; ++i) {
            v = option(o);
            if (v == want) break;
            usleep(20000);
        }
        return v;
    }
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

Display prod() {
    Display c;
    c.tier = Tier("production");
    c.label = "PROD";
    c.color = Color::ansi(1);
    c.targets = {test::view(Kind::kube, "#(touch " + canary() + ")/payments")};
    c.dangerous = true;
    return c;
}

}  // namespace

TEST_CASE("TmuxControlPool sets pane options through one control client") {
    Server server;
    REQUIRE_FALSE(server.socket.empty());
    TmuxPane pane{server.socket, "%0", "$0"};
    TmuxControlPool pool;
    REQUIRE(pool.set(pane, tmux_pane_options(prod(), {})).ok());
    CHECK(server.option_when("@sentinel_tier", "production") == "production");
    CHECK(server.option("@sentinel_text") == "kube ##(touch " + canary() + ")/payments");
    CHECK(server.option("window-style") == "bg=colour52");
    CHECK(run("tmux -L " + server.name + " list-clients -F '#{client_flags}'").find("control-mode") != std::string::npos);
    CHECK(access(canary().c_str(), F_OK) != 0);
}

TEST_CASE("SessionDisplay: prompt reserves, idle change repaints, busy does not, exit releases; tmux follows") {
    Server server;
    REQUIRE_FALSE(server.socket.empty());
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
    Display dev;
    dev.tier = Tier("development");
    dev.label = "DEV";
    dev.color = Color::ansi(4);
    dev.targets = {test::view(Kind::kube, "dev/default")};

    display.at_prompt(dev);
    CHECK(drain(master) == reserve_bytes(caps, layout_status_line(dev, 79, false), Placement::bottom, {24, 80}));
    CHECK(server.option_when("@sentinel_tier", "development") == "development");

    display.on_change(prod(), true);
    CHECK(drain(master) == paint_bytes(caps, layout_status_line(prod(), 79, false), Placement::bottom, {24, 80}));
    CHECK(server.option_when("@sentinel_tier", "production") == "production");

    display.on_change(dev, false);  // a command runs: the terminal is left alone, tmux still follows
    CHECK(drain(master) == "");
    CHECK(server.option_when("@sentinel_tier", "development") == "development");
    CHECK(server.option_when("window-style", "") == "");

    display.on_exit();
    CHECK(drain(master) == release_bytes(caps, Placement::bottom, {24, 80}));
    close(keep);
    close(master);
    CHECK(access(canary().c_str(), F_OK) != 0);
}

TEST_CASE("session_terminal reads TERM and NO_COLOR of a process of this user") {
    setenv("TERM", "xterm-256color", 1);
    setenv("NO_COLOR", "1", 1);
    int exec_seen[2];
    REQUIRE(pipe2(exec_seen, O_CLOEXEC) == 0);
    pid_t child = fork();
    if (child == 0) {
        execlp("sleep", "sleep", "5", nullptr);
        _exit(127);
    }
    close(exec_seen[1]);
    char byte;
    REQUIRE(read(exec_seen[0], &byte, 1) == 0);  // end of file: the child has exec'd
    close(exec_seen[0]);
    SessionTerminal t = session_terminal(child, "/dev/pts/9", "/tmp/s,1,0", "%1");
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
    unsetenv("NO_COLOR");
    CHECK(t.term == "xterm-256color");
    CHECK(t.no_color);
    CHECK(t.tty == "/dev/pts/9");
    CHECK(session_terminal(1 << 30, "", "", "").term == "");
}
