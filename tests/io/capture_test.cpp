#include "sentinel/io/capture.hpp"

#include <doctest/doctest.h>
#include <sys/wait.h>

using namespace sentinel;

TEST_CASE("run_capture: output, exit code, directory, timeout, size limit") {
    auto ok = run_capture({"/bin/sh", "-c", "pwd; echo oops >&2; exit 3"}, "/tmp", 5000, 1024);
    REQUIRE(ok);
    CHECK(ok->exit_code == 3);
    CHECK(ok->out == "/tmp\n");
    CHECK(ok->err == "oops\n");
    auto slow = run_capture({"/bin/sh", "-c", "sleep 5"}, "", 100, 1024);
    REQUIRE_FALSE(slow);
    CHECK(slow.error().message == "/bin/sh: no answer within 100 ms");
    auto big = run_capture({"/bin/sh", "-c", "head -c 5000 /dev/zero"}, "", 5000, 100);
    REQUIRE_FALSE(big);
    CHECK(big.error().message == "/bin/sh: printed more than 100 bytes");
    auto exact = run_capture({"/bin/sh", "-c", "printf 12345"}, "", 5000, 5);
    REQUIRE(exact);
    CHECK(exact->out == "12345");
    CHECK_FALSE(run_capture({"/nonexistent/program"}, "", 1000, 10));
}

TEST_CASE("spawn_background: exactly the environment given") {
    char path[] = "/tmp/sentinel-spawn-XXXXXX";
    int fd = ::mkstemp(path);
    REQUIRE(fd >= 0);
    ::close(fd);
    auto pid = spawn_background({"/bin/sh", "-c", std::string("env > ") + path}, {{"ONLY", "this"}});
    REQUIRE(pid);
    int status = 0;
    ::waitpid(*pid, &status, 0);
    FILE* f = std::fopen(path, "r");
    char buf[256] = {0};
    std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    ::unlink(path);
    std::string env(buf, n);
    CHECK(env.find("ONLY=this") != std::string::npos);
    CHECK(env.find("HOME=") == std::string::npos);
}
