#include "sentinel/core/config/identity.hpp"
#include "sentinel/core/config/config.hpp"

#include <doctest/doctest.h>

using namespace sentinel;

namespace {

std::string must_fail(const std::string& toml) {
    auto r = parse_config(toml, "cfg.toml", false);
    REQUIRE_FALSE(r);
    return r.error().to_string();
}

}  // namespace

TEST_CASE("[[identity]]: parsed with its position; identifiers and tier") {
    auto f = parse_config("# mine\n[[identity]]\nsystem_identifier = \"7312\"\ntier = \"production\"\n\n"
                          "[[identity]]\nsystem_identifier = 7312\ncluster_name = \"main\"\ntier = \"staging\"\n",
                          "cfg.toml", false);
    REQUIRE(f);
    REQUIRE(f->identities.size() == 2);
    CHECK(f->identities[0].system_identifier == "7312");
    CHECK(f->identities[0].origin == "cfg.toml:2:1");
    CHECK(f->identities[1].system_identifier == "7312");
    CHECK(f->identities[1].cluster_name == "main");
}

TEST_CASE("[[identity]] and probe errors as path:line:col") {
    CHECK(must_fail("[[identity]]\ntier = \"production\"\n") ==
          "cfg.toml:1:1: [[identity]] names no server: give system_identifier, cluster_name or kube_system_uid");
    CHECK(must_fail("[[identity]]\ncluster_name = \"x\"\n") == "cfg.toml:1:1: [[identity]] has no \"tier\"");
    CHECK(must_fail("[[identity]]\nhost = \"x\"\n").rfind("cfg.toml:2:1: unknown key \"host\" in [[identity]]", 0) == 0);
    CHECK(must_fail("[[identity]]\ncluster_name = \"\"\ntier = \"production\"\n") ==
          "cfg.toml:2:16: \"cluster_name\" must be a non-empty string");
    CHECK(must_fail("identity = 5\n") == "cfg.toml:1:12: \"identity\" must be an array of [[identity]] tables");
    CHECK(must_fail("probe = \"sometimes\"\n") == "cfg.toml:1:9: probe must be \"guarded\", \"always\" or \"never\"");
    CHECK(must_fail("probe_background = \"yes\"\n") == "cfg.toml:1:20: \"probe_background\" must be true or false");
}

TEST_CASE("build_config: identities of both files, unknown tiers are errors, probe settings, user over system") {
    auto system = parse_config("probe = \"always\"\n[[identity]]\ncluster_name = \"a\"\ntier = \"production\"\n",
                               "/etc/s.toml", true);
    auto user = parse_config("probe_background = true\n[[identity]]\ncluster_name = \"b\"\ntier = \"prd\"\n", "u.toml",
                             false);
    REQUIRE(system);
    REQUIRE(user);
    Config c = build_config(system.value(), user.value());
    CHECK(c.probe == ProbeMode::always);
    CHECK(c.probe_background);
    REQUIRE(c.identities.size() == 1);
    CHECK(c.identities[0].cluster_name == "a");
    REQUIRE(c.errors.size() == 1);
    CHECK(c.errors[0] == "u.toml:2:1: unknown tier \"prd\"");
    Config d = build_config(std::nullopt, std::nullopt);
    CHECK(d.probe == ProbeMode::guarded);
    CHECK_FALSE(d.probe_background);
    CHECK(probe_mode_name(ProbeMode::never) == "never");
    CHECK(parse_probe_mode("guarded") == ProbeMode::guarded);
    CHECK_FALSE(parse_probe_mode("Guarded"));
}

TEST_CASE("rules: the fields of what a traced target reaches") {
    auto f = parse_config("[[rules]]\ntier = \"production\"\nvia = \"ssh\"\nssh_host = \"*.prod.*\"\n\n"
                          "[[rules]]\ntier = \"production\"\ninstance = \"acme-prod:*\"\n",
                          "cfg.toml", false);
    REQUIRE(f);
    REQUIRE(f->rules[0].conditions.size() == 2);
    CHECK((f->rules[0].conditions[0].field == "via" || f->rules[0].conditions[1].field == "via"));
    CHECK(f->rules[1].conditions[0].field == "instance");
}
