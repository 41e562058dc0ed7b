#include "sentinel/core/reach/listener.hpp"

#include <doctest/doctest.h>

using namespace sentinel;

TEST_CASE("Listener::identity: inode, pid and start time; inode alone when no process was seen") {
    Listener l;
    l.inode = 12345;
    CHECK(l.identity() == "12345");
    l.pid = 42;
    l.start_time = 777;
    CHECK(l.identity() == "12345:42:777");
}

TEST_CASE("listener_env_names: only what tracing needs, never a secret") {
    CHECK(listener_env_names() == std::vector<std::string>{"KUBECONFIG", "HOME", "PGDATA"});
}
