// The shell files start with the agent's list of reported variables, so that
// the first REPORT of a new shell already carries every variable that counts
// (the agent's STATE replaces the list later; core/agent/session.hpp).

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sentinel/core/agent/session.hpp"
#include "sentinel/core/config/config.hpp"
#include "sentinel/cmd/shell_files.hpp"


using namespace sentinel;

namespace {

std::string first_names(std::string_view shell) {
    const ShellFile* file = shell_file(shell);
    REQUIRE(file != nullptr);
    std::string text(file->text);
    std::string marker = "  _sentinel_names=(HOME ";
    auto at = text.find(marker);
    if (at == std::string::npos) return "";
    at += marker.size() - 5;
    return text.substr(at, text.find(')', at) - at);
}

}  // namespace

TEST_CASE("init: the bash and zsh files start with reported_names of the built-in config") {
    std::string expected;
    for (const std::string& n : reported_names(build_config(std::nullopt, std::nullopt)))
        expected += (expected.empty() ? "" : " ") + n;
    CHECK(first_names("bash") == expected);
    CHECK(first_names("zsh") == expected);
}
