#include "sentinel/core/agent/shell_reply.hpp"

#include <doctest/doctest.h>

using namespace sentinel;

TEST_CASE("shell_reply: zsh and fish get a line of fields, bash a counted body") {
    CHECK(shell_reply(false, "4", "new", {"g2", "production"}) == "4\x1fnew\x1fg2\x1fproduction");
    CHECK(shell_reply(false, "5", "stale", {}) == "5\x1fstale");
    CHECK(shell_reply(true, "4", "new", {"g2", "production"}) == "N000000400000013g2\x1fproduction");
    CHECK(shell_reply(true, "7", "same", {}) == "=000000700000000");
    CHECK(shell_reply(true, "8", "down", {"no agent"}) == "D000000800000008no agent");
}

TEST_CASE("shell_reply: a field cannot end the line or add a field; the body is capped") {
    CHECK(shell_reply(false, "1", "new", {"a\nb\x1f" "c\x7f"}) == "1\x1fnew\x1f" "a?b?c?");
    CHECK(clean_field("\x1b[31m\x01\x02") == "\x1b[31m\x01\x02");  // the segment's escapes stay
    std::string big(5000, 'x');
    CHECK(shell_reply(true, "1", "new", {big}).size() == 16 + 3000);
}
