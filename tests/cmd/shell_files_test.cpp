#include "sentinel/cmd/shell_files.hpp"

#include <doctest/doctest.h>

#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "sentinel/core/agent/protocol.hpp"
#include "sentinel/core/display/prompt.hpp"

using namespace sentinel;

namespace {

// The words of the first line of `text` matching `pattern` (its group 1),
// split at spaces; empty when no line matches.
std::vector<std::string> words_of(std::string_view text, const std::regex& pattern) {
    std::istringstream in{std::string(text)};
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (!std::regex_match(line, m, pattern)) continue;
        std::vector<std::string> words;
        std::istringstream list(m[1].str());
        for (std::string w; list >> w;) words.push_back(w);
        return words;
    }
    return {};
}

// `_sentinel_protocol=2`, `typeset -g _sentinel_protocol=2` or `set -g _sentinel_protocol 2`.
const std::regex kProtocol(R"(\s*(?:typeset -g )?(?:_sentinel_protocol=|set -g _sentinel_protocol )(\d+)\s*)");

// `_sentinel_fields=(a b)` (bash, zsh) or `set -g _sentinel_fields a b` (fish).
std::vector<std::string> fields_of(std::string_view text) {
    std::vector<std::string> words = words_of(text, std::regex(R"(\s*_sentinel_fields=\((.*)\)\s*)"));
    return words.empty() ? words_of(text, std::regex(R"(\s*set -g _sentinel_fields (.*))")) : words;
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

}  // namespace

TEST_CASE("every embedded shell file lists the STATE fields in the order the binary sends them") {
    std::vector<std::string> variables;
    for (const StateField& f : state_fields()) variables.push_back(std::string(f.variable));
    for (const StateField& f : stale_fields()) variables.push_back(std::string(f.variable));
    // bash, zsh and fish: each is held to the one table, none may drop out.
    REQUIRE(kShellFileCount >= 3);
    REQUIRE(shell_file("fish"));
    for (std::size_t i = 0; i < kShellFileCount; ++i) {
        CAPTURE(kShellFiles[i].shell);
        CHECK(joined(fields_of(kShellFiles[i].text)) == joined(variables));
        std::vector<std::string> protocol = words_of(kShellFiles[i].text, kProtocol);
        REQUIRE(protocol.size() == 1);
        CHECK(protocol[0] == std::to_string(kShellProtocolVersion));
    }
}

TEST_CASE("the STATE layout is pinned to the protocol versions: changing it needs new versions") {
    // Each shell protocol version's fields of a full reply, and the agent's
    // STATE fields. A change of state_fields() or stale_fields() fails here
    // until kShellProtocolVersion is raised (and kProtocolVersion when the
    // agent's STATE frame changes: it carries state_fields() only; the
    // stale fields travel in AHEAD frames) and the new layout is added:
    // shells of the old layout then see "restart your shell".
    const std::map<int, std::string> layouts = {
        {2, "token tier label segment changed-from kube-context kube-namespace pg env names"},
        {3, "token tier label segment changed-from kube-context kube-namespace pg env names "
            "stale-tier stale-label stale-segment stale-label-segment"},
    };
    const std::map<int, std::string> agent_layouts = {
        {1, "token tier label segment changed-from kube-context kube-namespace pg env names"},
    };
    const std::map<int, int> agent_version = {{2, 1}, {3, 1}};
    std::vector<std::string> names, state;
    for (const StateField& f : state_fields()) names.push_back(std::string(f.name));
    state = names;
    for (const StateField& f : stale_fields()) names.push_back(std::string(f.name));
    REQUIRE(layouts.count(kShellProtocolVersion));
    CHECK(layouts.at(kShellProtocolVersion) == joined(names));
    CHECK(agent_version.at(kShellProtocolVersion) == kProtocolVersion);
    REQUIRE(agent_layouts.count(kProtocolVersion));
    CHECK(agent_layouts.at(kProtocolVersion) == joined(state));
}

TEST_CASE("shell_file finds a shell by name") {
    REQUIRE(shell_file("bash"));
    CHECK(shell_file("bash")->text.find("'@SENTINEL_BIN@'") != std::string_view::npos);
    CHECK(shell_file("zsh"));
    CHECK(shell_file("fish"));
    CHECK_FALSE(shell_file("tcsh"));
    CHECK_FALSE(shell_file(""));
}
