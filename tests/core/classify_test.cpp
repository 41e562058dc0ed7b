#include "sentinel/core/classify.hpp"

#include <doctest/doctest.h>

#include "tests/builders.hpp"

using namespace sentinel;
using test::env;

namespace {

const Config& builtin() {
    static const Config c = build_config(std::nullopt, std::nullopt);
    return c;
}

Target kube(const std::string& context, const std::string& server = "https://10.1.2.3:6443") {
    return test::kube(context).cluster("c1").server(server).ns("default").user("admin");
}

Target pg(const std::string& host, const std::string& dbname = "app") {
    return test::TargetBuilder(Kind::pg).service("").field("host", host).field("port", "5432").field("dbname", dbname).user("app");
}

Target classified(Target t, const Config& config = builtin()) {
    classify(t, config);
    return t;
}

std::string tier_of(const Target& t, const Config& config = builtin()) { return classified(t, config).tier.name(); }

Config with_user(const std::string& toml) { return test::config_with(toml); }

}  // namespace

TEST_CASE("classify: built-in production names, as whole words") {
    CHECK(tier_of(kube("prod-eu")) == "production");
    CHECK(tier_of(kube("eu_prod1")) == "production");
    CHECK(tier_of(kube("PRODUCTION")) == "production");
    CHECK(tier_of(kube("gke_acme_europe-west1_prd")) == "production");
    CHECK(tier_of(kube("live")) == "production");
    CHECK(tier_of(kube("x", "https://api.prod.example.com")) == "production");
    CHECK(classified(kube("prod-eu")).rule == "built-in: production names (prod, production, prd, live)");
}

TEST_CASE("classify: words that merely contain prod or live are not production") {
    CHECK(tier_of(kube("product")) == "unknown");
    CHECK(tier_of(kube("delivery")) == "unknown");
    CHECK(tier_of(kube("olive")) == "unknown");
    CHECK(classified(kube("product")).rule == "no rule matches");
}

TEST_CASE("classify: staging, local and development names") {
    CHECK(tier_of(kube("staging")) == "staging");
    CHECK(tier_of(kube("stg-eu")) == "staging");
    CHECK(tier_of(kube("preprod")) == "staging");
    CHECK(tier_of(kube("uat")) == "staging");
    CHECK(tier_of(kube("kind-x")) == "local");
    CHECK(tier_of(kube("minikube")) == "local");
    CHECK(tier_of(kube("docker-desktop")) == "local");
    CHECK(tier_of(kube("anything", "https://127.0.0.1:6443")) == "local");
    CHECK(tier_of(kube("dev")) == "development");
    CHECK(tier_of(kube("team-test-1")) == "development");
    CHECK(tier_of(kube("qa")) == "development");
}

TEST_CASE("classify: pg targets") {
    CHECK(tier_of(pg("/var/run/postgresql")) == "local");
    CHECK(tier_of(pg("localhost")) == "local");
    CHECK(tier_of(pg("127.0.0.1")) == "local");
    CHECK(tier_of(pg("db.prod.example")) == "production");
    CHECK(tier_of(pg("db1.example", "orders_prod")) == "production");
    CHECK(tier_of(pg("db1.example", "orders")) == "unknown");
    // The kube-only local rule does not apply to pg.
    CHECK(tier_of(pg("db1.example", "minikube")) == "unknown");
}

TEST_CASE("classify: env targets") {
    CHECK(tier_of(env("NODE_ENV", "production")) == "production");
    CHECK(tier_of(env("APP_ENV", "staging")) == "staging");
    CHECK(tier_of(env("RAILS_ENV", "development")) == "development");
    CHECK(tier_of(env("AWS_PROFILE", "acme-sandbox")) == "development");
    // The variable's name is not a name-like field: only its value counts.
    CHECK(tier_of(env("PROD_FLAG", "1")) == "unknown");
}

TEST_CASE("classify: first match wins") {
    CHECK(tier_of(kube("prod-dev")) == "production");
    CHECK(tier_of(kube("dev-prod")) == "production");
    CHECK(tier_of(kube("staging-dev")) == "staging");
    CHECK(tier_of(kube("kind-prod")) == "production");
    Config c = with_user("[[rules]]\ntier = \"development\"\ncontext = \"prod-sandbox-*\"\n");
    Target t = classified(kube("prod-sandbox-1"), c);
    CHECK(t.tier.name() == "development");
    CHECK(t.rule == "user.toml:1:1 (context = \"prod-sandbox-*\")");
    CHECK(tier_of(kube("prod-eu"), c) == "production");
}

TEST_CASE("classify: all conditions and the kind must hold") {
    Config c = with_user("[[rules]]\ntier = \"local\"\nkind = \"pg\"\nhost = \"db1.*\"\ndbname = { regex = \"^scratch\" }\n");
    CHECK(tier_of(pg("db1.example", "scratch_1"), c) == "local");
    CHECK(tier_of(pg("db1.example", "orders"), c) == "unknown");
    CHECK(tier_of(pg("db2.example", "scratch_1"), c) == "unknown");
    // Conditions are listed in key order (toml++ sorts a table), not file order.
    CHECK(classified(pg("db1.example", "scratch_1"), c).rule == "user.toml:1:1 (dbname ~ /^scratch/, host = \"db1.*\")");
}

TEST_CASE("classify: problems and suspicious names make a target unknown") {
    Target t = kube("dev");
    t.problems.push_back("cluster \"c1\" has no server");
    t = classified(t);
    CHECK(t.tier.name() == "unknown");
    CHECK(t.rule == "problem: cluster \"c1\" has no server");

    Target look_alike = classified(kube("pr\u043ed-eu"));
    CHECK(look_alike.tier.name() == "unknown");
    CHECK(look_alike.rule.find("suspicious characters in context") == 0);
    CHECK(tier_of(kube("dev\u202e")) == "unknown");
    CHECK(tier_of(kube("de\u200bv")) == "unknown");
    CHECK(tier_of(kube("dev\x1b[2J")) == "unknown");
    CHECK(tier_of(kube("dev", "https://dev\xff")) == "unknown");
}

TEST_CASE("classify: nothing matches: unknown") {
    CHECK(tier_of(kube("acme-eu-1")) == "unknown");
    Config none = with_user("builtin_rules = false\n");
    CHECK(tier_of(kube("prod-eu"), none) == "unknown");
    CHECK(tier_of(kube("kind-x"), none) == "unknown");
}

TEST_CASE("overall_tier: the highest rank, unknown with production, earlier on a tie") {
    auto overall = [](std::vector<Target> ts, const Config& c = builtin()) {
        for (Target& t : ts) classify(t, c);
        return overall_tier(ts, c).name();
    };
    CHECK(overall({kube("dev"), kube("prod-eu")}) == "production");
    CHECK(overall({kube("kind-a"), env("APP_ENV", "staging")}) == "staging");
    CHECK(overall({kube("dev"), kube("mystery")}) == "unknown");
    CHECK(overall({kube("prod-eu"), kube("mystery")}) == "production");
    CHECK(overall({kube("mystery"), kube("prod-eu")}) == "unknown");
    CHECK(overall({kube("kind-a"), pg("localhost")}) == "local");
    CHECK(overall({}) == "none");

    Config broken = builtin();
    broken.errors.push_back("user.toml:3:1: unknown tier \"prod\"");
    CHECK(overall({kube("kind-a")}, broken) == "unknown");
    CHECK(overall({}, broken) == "unknown");
}

TEST_CASE("name_fields") {
    CHECK(name_fields(Kind::kube) == std::vector<std::string>{"context", "cluster", "server", "namespace"});
    CHECK(name_fields(Kind::pg) == std::vector<std::string>{"service", "host", "hostaddr", "dbname", "instance"});
    CHECK(name_fields(Kind::env) == std::vector<std::string>{"value"});
}

TEST_CASE("Config::rank: one rule; unknown and undefined tiers rank with production, however high") {
    Config c = with_user("[tiers.production]\nrank = 200\n[tiers.dr]\nrank = 150\n");
    CHECK(c.rank(Tier::production()) == 200);
    CHECK(c.rank(Tier::unknown()) == 200);
    CHECK(c.rank(Tier("never-defined")) == 200);
    CHECK(c.rank(Tier("dr")) == 150);
    CHECK(c.rank(Tier("staging")) == 50);
    CHECK(c.rank(Tier::none()) == -1);
    CHECK(c.production_ranked(Tier::unknown()));
    CHECK(c.production_ranked(Tier::production()));
    CHECK_FALSE(c.production_ranked(Tier("dr")));
    CHECK_FALSE(c.production_ranked(Tier::none()));
    // A higher unknown rank stands (it can only be raised).
    CHECK(with_user("[tiers.unknown]\nrank = 300\n").rank(Tier::unknown()) == 300);
}

TEST_CASE("overall_tier: production ranked 200 does not hide an unknown target behind it (bug)") {
    Config c = with_user("[tiers.production]\nrank = 200\n[tiers.dr]\nrank = 150\n");
    auto overall = [&](std::vector<Target> ts) {
        for (Target& t : ts) classify(t, c);
        return overall_tier(ts, c).name();
    };
    CHECK(overall({env("APP_ENV", "weird"), env("AWS_PROFILE", "prod-eu")}) == "unknown");
    CHECK(overall({env("AWS_PROFILE", "prod-eu"), env("APP_ENV", "weird")}) == "production");
    Config dr = with_user("[tiers.production]\nrank = 200\n[tiers.dr]\nrank = 150\n"
                          "[[rules]]\ntier = \"dr\"\ncontext = \"dr-*\"\n");
    std::vector<Target> ts = {kube("dr-eu"), kube("mystery")};
    for (Target& t : ts) classify(t, dr);
    CHECK(overall_tier(ts, dr).name() == "unknown");  // not dr: unknown is treated as production
    CHECK(most_dangerous(ts, dr) == 1);
}

namespace {

Target cloud(Kind kind, std::vector<std::pair<std::string, std::string>> fields) {
    Target t;
    t.kind = kind;
    for (auto& [k, v] : fields) t.set(k, v, "f:1");
    return t;
}

}  // namespace

TEST_CASE("classify: the built-in words apply to terraform, aws and gcloud names") {
    CHECK(tier_of(cloud(Kind::terraform, {{"workspace", "prod"}, {"dir", "/h/dev/x"}, {"backend", "local"}})) ==
          "production");
    CHECK(tier_of(cloud(Kind::terraform, {{"workspace", "default"}, {"backend", "s3 tf/staging/app.tfstate"}})) ==
          "staging");
    // The directory is no name: a home called "dev" does not make a workspace safe.
    CHECK(tier_of(cloud(Kind::terraform, {{"workspace", "default"}, {"dir", "/home/dev/infra"}, {"backend", "local"}})) ==
          "unknown");
    CHECK(tier_of(cloud(Kind::aws, {{"profile", "prod-admin"}, {"account", "1"}})) == "production");
    CHECK(tier_of(cloud(Kind::aws, {{"profile", "default"}, {"role", "sandbox"}})) == "development");
    CHECK(tier_of(cloud(Kind::aws, {{"profile", "default"}, {"account", "123"}})) == "unknown");
    CHECK(tier_of(cloud(Kind::gcloud, {{"configuration", "default"}, {"project", "acme-prod"}})) == "production");
    CHECK(tier_of(cloud(Kind::gcloud, {{"configuration", "p\xd1\x80od"}, {"project", "x"}})) == "unknown");
}

TEST_CASE("classify: rules on the new fields and kinds") {
    Config c = with_user(
        "[[rules]]\ntier = \"production\"\nkind = \"aws\"\naccount = \"1234*\"\n"
        "[[rules]]\ntier = \"development\"\nkind = \"gcloud\"\nproject = { regex = '^acme-sandbox-' }\n"
        "[[rules]]\ntier = \"staging\"\nkind = \"terraform\"\ndir = \"*/envs/stg/*\"\n");
    CHECK(tier_of(cloud(Kind::aws, {{"profile", "default"}, {"account", "123456789012"}}), c) == "production");
    CHECK(tier_of(cloud(Kind::gcloud, {{"project", "acme-sandbox-7"}}), c) == "development");
    CHECK(tier_of(cloud(Kind::terraform, {{"workspace", "default"}, {"dir", "/r/envs/stg/net"}}), c) == "staging");
    CHECK(tier_of(cloud(Kind::aws, {{"profile", "default"}, {"account", "999"}}), c) == "unknown");
}

TEST_CASE("classify: a name with an invisible character is unknown, never development (bug: dev-pro\\u206Ad)") {
    for (const char* name : {"dev-pro\u206Ad", "dev-pro\uFE0Fd", "dev-pr\u3164od"}) {
        Target t = kube(name);
        classify(t, builtin());
        CHECK(t.tier.name() == "unknown");
    }
    Target real = kube("dev-prod");
    classify(real, builtin());
    CHECK(real.tier.name() == "production");
}
