#include "sentinel/io/tmux.hpp"

#include <doctest/doctest.h>

using namespace sentinel;

TEST_CASE("tmux_pane_of: the socket is before the last two comma fields") {
    CHECK(tmux_pane_of("/tmp/tmux-1000/default,1234,0", "%3") == TmuxPane{"/tmp/tmux-1000/default", "%3", "$0"});
    CHECK(tmux_pane_of("/tmp/a,b/sock,1234,0", "%12") == TmuxPane{"/tmp/a,b/sock", "%12", "$0"});
    CHECK_FALSE(tmux_pane_of("", "%3"));
    CHECK_FALSE(tmux_pane_of("/tmp/tmux-1000/default,1234,0", ""));
    CHECK_FALSE(tmux_pane_of("/tmp/tmux-1000/default,1234,0", "%"));
    CHECK_FALSE(tmux_pane_of("/tmp/tmux-1000/default,1234,0", "%3;x"));
    CHECK_FALSE(tmux_pane_of("relative,1,0", "%3"));
    CHECK_FALSE(tmux_pane_of("/tmp/sock", "%3"));
    CHECK(tmux_pane_of("/tmp/s,1,x", "%3")->session == "");
}

TEST_CASE("tmux_set_argv: one tmux run, ; as its own argument, values as given") {
    TmuxPane pane{"/tmp/s", "%1", "$0"};
    auto argv = tmux_set_argv("tmux", pane,
                              {{"@sentinel_tier", "production"}, {"@sentinel_label", "a;"}, {"window-style", "", true}});
    CHECK(argv == std::vector<std::string>{"tmux", "-S", "/tmp/s",
                                           "set-option", "-p", "-q", "-t", "%1", "@sentinel_tier", "production", ";",
                                           "set-option", "-p", "-q", "-t", "%1", "@sentinel_label", "a\\;", ";",
                                           "set-option", "-p", "-q", "-u", "-t", "%1", "window-style"});
}

TEST_CASE("run_argv: exit status, a missing program, a timeout") {
    CHECK(run_argv({"true"}).value() == 0);
    CHECK(run_argv({"false"}).value() == 1);
    CHECK_FALSE(run_argv({"/nonexistent/program"}).ok());
    auto slow = run_argv({"sleep", "5"}, 100);
    REQUIRE_FALSE(slow.ok());
    CHECK(slow.error().message.find("no answer within 100 ms") != std::string::npos);
}
