#include "sentinel/io/budget.hpp"

#include <doctest/doctest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

using namespace sentinel;

namespace {

Budget small() {
    Budget b;
    b.cpu_seconds = 1;
    b.memory_bytes = 64u << 20;
    b.wall_ms = 3000;
    return b;
}

std::string error_of(const Result<std::string>& r) { return r ? std::string("(no error)") : r.error().message; }

}  // namespace

TEST_CASE("budget: the child's answer comes back whole") {
    auto r = run_in_child([] { return std::string("a\0b\nc", 5) + std::string(200000, 'x'); }, small());
    REQUIRE(r);
    CHECK(r->size() == 200005);
    CHECK(r->substr(0, 5) == std::string("a\0b\nc", 5));
    auto empty = run_in_child([] { return std::string(); }, small());
    REQUIRE(empty);
    CHECK(empty->empty());
}

TEST_CASE("budget: a parser that never ends is stopped by its CPU limit") {
    Budget b = small();
    b.wall_ms = 120000;  // a loaded machine may take long to give the child its second
    auto r = run_in_child([]() -> std::string {
        volatile unsigned long n = 0;
        for (;;) n = n + 1;
    }, b);
    CHECK(error_of(r) == "could not parse in time (over 1 s of CPU)");
}

TEST_CASE("budget: a parser that waits is stopped at the deadline") {
    Budget b = small();
    b.wall_ms = 300;
    auto r = run_in_child([]() -> std::string {
        ::pause();
        return "never";
    }, b);
    CHECK(error_of(r) == "could not parse in time (over 0 s)");
}

TEST_CASE("budget: exceptions and crashes of the parser are errors") {
    CHECK(error_of(run_in_child([]() -> std::string { throw std::runtime_error("bad input"); }, small())) ==
          "the parser failed: bad input");
    CHECK(error_of(run_in_child([]() -> std::string {
              ::raise(SIGUSR1);  // doctest catches SIGABRT, also in a child
              return "";
          }, small())) == "the parser crashed (signal " + std::to_string(SIGUSR1) + ")");
    CHECK(error_of(run_in_child([]() -> std::string { ::_exit(0); }, small())) == "the parser ended without an answer");
}

TEST_CASE("budget: a parser that grows without end meets its memory limit") {
    if (!kBudgetLimitsMemory) {
        MESSAGE("AddressSanitizer build: no memory limit (checked in the normal build)");
        return;
    }
    auto r = run_in_child([]() -> std::string {
        std::vector<std::string> hog;
        for (;;) hog.emplace_back(1u << 20, 'x');
    }, small());
    CHECK(error_of(r) == "could not parse within 64 MiB of memory");
}

TEST_CASE("budget: the budget grows with the input") {
    CHECK(parse_budget(0).cpu_seconds == 2);
    CHECK(parse_budget(32u << 20).cpu_seconds == 10);
    CHECK(parse_budget(32u << 20).wall_ms == 21000);
    CHECK(parse_budget(1u << 20).memory_bytes == (512u << 20) + (16u << 20));
}
