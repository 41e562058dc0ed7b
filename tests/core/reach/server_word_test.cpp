#include "sentinel/core/reach/server_word.hpp"

#include <doctest/doctest.h>

#include "sentinel/core/classify.hpp"

using namespace sentinel;

namespace {

Config config(const std::string& toml = "") {
    if (toml.empty()) return build_config(std::nullopt, std::nullopt);
    auto user = parse_config(toml, "/h/.config/sentinel/config.toml", false);
    REQUIRE(user);
    return build_config(std::nullopt, user.value());
}

Target pg(const std::string& service, const std::string& host) {
    Target t;
    t.kind = Kind::pg;
    t.set("service", service, "PGSERVICE");
    t.set("host", host, "service");
    t.set("port", "5432", "default");
    t.set("dbname", "app", "service");
    t.set("user", "u", "service");
    return t;
}

}  // namespace

TEST_CASE("pg_server_word: the seven columns of the probe statement") {
    ServerWord w = pg_server_word({"production", "main", "t", "127.0.0.2", "5433", "15.4", "7312345678901234567"});
    CHECK(w.declared_tier == "production");
    CHECK(w.cluster_name == "main");
    CHECK(w.replica);
    CHECK(w.server_address == "127.0.0.2:5433");
    CHECK(w.server_version == "15.4");
    CHECK(w.system_identifier == "7312345678901234567");
    ServerWord socket = pg_server_word({"", "", "f", "", "", "15.4", ""});
    CHECK_FALSE(socket.replica);
    CHECK(socket.server_address.empty());
    CHECK(pg_server_word({"", "", "f", "::1", "5432"}).server_address == "[::1]:5432");
    CHECK(std::string(kPgProbeQuery).find("current_setting('sentinel.tier', true)") != std::string::npos);
}

TEST_CASE("kube_server_word: the kube-system UID and a sentinel/tier label or annotation") {
    auto w = kube_server_word(R"({"kind":"Namespace","apiVersion":"v1","metadata":{"name":"kube-system",
        "uid":"0b6e-uid","labels":{"sentinel/tier":"production"},"annotations":{"sentinel/tier":"staging"}}})");
    REQUIRE(w);
    CHECK(w->kube_system_uid == "0b6e-uid");
    CHECK(w->declared_tier == "production");
    auto a = kube_server_word(R"({"kind":"Namespace","metadata":{"uid":"u","annotations":{"sentinel/tier":"staging"}}})");
    CHECK(a->declared_tier == "staging");
    CHECK(kube_server_word(R"({"kind":"Namespace","metadata":{"uid":"u"}})")->declared_tier.empty());
    CHECK(kube_server_word("not json").error().message == "the API server's answer is not JSON");
    CHECK(kube_server_word(R"({"kind":"Status"})").error().message == "the API server's answer is not a Namespace");
    CHECK(kube_server_word(R"({"kind":"Namespace","metadata":{}})").error().message == "namespace kube-system has no uid");
}

TEST_CASE("apply_server_word: a declared tier raises, never lowers; a pin raises; unknown names are unknown") {
    Config c = config();
    std::vector<std::string> warnings;
    Target dev = pg("dev-copy", "127.0.0.2");
    classify(dev, c);
    CHECK(dev.tier.name() == "local");  // 127.0.0.2
    ServerWord declared;
    declared.declared_tier = "production";
    apply_server_word(dev, declared, c, warnings);
    CHECK(dev.tier.name() == "production");
    CHECK(dev.rule == "declared by the server (sentinel.tier)");
    REQUIRE(dev.server);

    Target prod = pg("prod", "db1");
    classify(prod, c);
    ServerWord says_dev;
    says_dev.declared_tier = "development";
    apply_server_word(prod, says_dev, c, warnings);
    CHECK(prod.tier.name() == "production");
    CHECK(prod.rule.rfind("built-in: production names", 0) == 0);

    Target typo = pg("dev-x", "h");
    classify(typo, c);
    ServerWord bad;
    bad.declared_tier = "prod";
    apply_server_word(typo, bad, c, warnings);
    CHECK(typo.tier.name() == "unknown");
    CHECK(warnings.back().find("declares tier \"prod\", which the configuration does not define") != std::string::npos);
}

TEST_CASE("identity pins: every identifier given must match; the first entry wins") {
    Config c = config(
        "[[identity]]\nsystem_identifier = \"7312\"\ntier = \"production\"\n\n"
        "[[identity]]\ncluster_name = \"scratch\"\ntier = \"staging\"\n\n"
        "[[identity]]\nkube_system_uid = \"0b6e\"\ntier = \"production\"\n");
    ServerWord w;
    w.system_identifier = "7312";
    REQUIRE(matching_identity(w, c));
    CHECK(matching_identity(w, c)->tier.name() == "production");
    CHECK(matching_identity(w, c)->origin == "/h/.config/sentinel/config.toml:1:1");
    w.system_identifier = "9999";
    CHECK_FALSE(matching_identity(w, c));
    w.cluster_name = "scratch";
    CHECK(matching_identity(w, c)->tier.name() == "staging");
    ServerWord k;
    k.kube_system_uid = "0b6e";
    CHECK(matching_identity(k, c)->tier.name() == "production");

    std::vector<std::string> warnings;
    Target other = pg("reporting-dev", "127.0.0.9");
    classify(other, c);
    ServerWord same;
    same.system_identifier = "7312";
    apply_server_word(other, same, c, warnings);
    CHECK(other.tier.name() == "production");
    CHECK(other.rule == "pinned identity at /h/.config/sentinel/config.toml:1:1");
    CHECK(other.server->pinned_tier == "production");
}

TEST_CASE("wants_probe: guarded when traced, on this machine or on a tier that asks; always; never") {
    Config c = config();
    Target local = pg("", "localhost");
    classify(local, c);
    CHECK(wants_probe(local, c));
    Target sock = pg("", "/var/run/postgresql");
    classify(sock, c);
    CHECK(wants_probe(sock, c));
    Target dev = pg("dev", "dev-db.example.com");
    classify(dev, c);
    CHECK_FALSE(wants_probe(dev, c));
    Target prod = pg("prod", "db1");
    classify(prod, c);
    CHECK_FALSE(wants_probe(prod, c));  // type-name already: nothing the server says changes the decision
    Target staging = pg("stg", "db2");
    classify(staging, c);
    CHECK(wants_probe(staging, c));
    Hop h;
    h.kind = "socat";
    dev.via.push_back(h);
    CHECK(wants_probe(dev, c));
    Config never = config("probe = \"never\"\n");
    CHECK_FALSE(wants_probe(staging, never));
    CHECK_FALSE(wants_probe(dev, never));
    Config always = config("probe = \"always\"\n");
    Target dev2 = pg("dev", "dev-db.example.com");
    classify(dev2, always);
    CHECK(wants_probe(dev2, always));
    Target broken = prod;
    broken.problems.push_back("x");
    CHECK_FALSE(wants_probe(broken, always));
}

TEST_CASE("identity_entry: the strongest identifier, a comment, a valid TOML table") {
    Config c = config();
    ServerWord w;
    w.system_identifier = "7312345678901234567";
    w.cluster_name = "main";
    auto e = identity_entry(w, Kind::pg, "production", "pg dev-copy, asked now", c);
    REQUIRE(e);
    CHECK(*e ==
          "\n# pinned by `sentinel probe --pin production`: pg dev-copy, asked now\n[[identity]]\n"
          "system_identifier = \"7312345678901234567\"\ntier = \"production\"\n");
    auto parsed = parse_config(*e, "x.toml", false);
    REQUIRE(parsed);
    CHECK(parsed->identities.size() == 1);

    ServerWord named;
    named.cluster_name = "we\"ird\\name";
    auto n = identity_entry(named, Kind::pg, "staging", "line\nbreak", c);
    REQUIRE(n);
    CHECK(n->find("cluster_name = \"we\\\"ird\\\\name\"") != std::string::npos);
    CHECK(n->find("line?break") != std::string::npos);
    CHECK(parse_config(*n, "x.toml", false));

    ServerWord k;
    k.kube_system_uid = "0b6e";
    CHECK(identity_entry(k, Kind::kube, "production", "kube", c)->find("kube_system_uid = \"0b6e\"") != std::string::npos);
    CHECK_FALSE(identity_entry(ServerWord{}, Kind::pg, "production", "x", c));
    CHECK(identity_entry(w, Kind::pg, "prd", "x", c).error().message == "unknown tier \"prd\"");
    ServerWord ctl;
    ctl.system_identifier = "1\x1b[2J";
    CHECK_FALSE(identity_entry(ctl, Kind::pg, "production", "x", c));
}
