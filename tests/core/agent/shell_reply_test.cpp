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

TEST_CASE("shell_reply: a field cannot end the line or add a field; long fields are shortened, not dropped") {
    CHECK(shell_reply(false, "1", "new", {"a\nb\x1f" "c\x7f"}) == "1\x1fnew\x1f" "a?b?c?");
    CHECK(clean_field("\x1b[31m\x01\x02") == "\x1b[31m\x01\x02");  // the segment's escapes stay
    // A long field is shortened in its middle ("…"), the fields after it kept.
    std::string big = "head" + std::string(5000, 'x') + "tail";
    std::string reply = shell_reply(true, "1", "new", {big, "last"});
    CHECK(reply.size() <= 16 + kMaxShellReplyBody);
    CHECK(reply.size() > 16 + kMaxShellReplyBody - 16);
    CHECK(reply.substr(16, 4) == "head");
    CHECK(reply.find("\xe2\x80\xa6") != std::string::npos);
    CHECK(reply.substr(reply.size() - 9) == "tail\x1flast");
}
