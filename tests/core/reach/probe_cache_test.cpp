#include "sentinel/core/reach/probe_cache.hpp"

#include <doctest/doctest.h>

#include "sentinel/core/classify.hpp"
#include "sentinel/core/snapshot.hpp"

using namespace sentinel;

namespace {

Target pg(const std::string& host, const std::string& port) {
    Target t;
    t.kind = Kind::pg;
    t.set("service", "dev-copy", "PGSERVICE");
    t.set("host", host, "service");
    t.set("port", port, "service");
    t.set("dbname", "app", "service");
    t.set("user", "u", "service");
    return t;
}

}  // namespace

TEST_CASE("probe_cache_path: XDG_CACHE_HOME, else HOME/.cache, else none") {
    CHECK(probe_cache_path({{"XDG_CACHE_HOME", "/c"}, {"HOME", "/h"}}) == "/c/sentinel/probes.json");
    CHECK(probe_cache_path({{"XDG_CACHE_HOME", "rel"}, {"HOME", "/h"}}) == "/h/.cache/sentinel/probes.json");
    CHECK(probe_cache_path({}).empty());
}

TEST_CASE("probe_key: the route, with the listener's identity when traced") {
    Target t = pg("127.0.0.2", "5433");
    CHECK(probe_key(t) == "pg 127.0.0.2  5433 app u");
    Hop h;
    h.identity = "77:42:1000";
    t.via.push_back(h);
    CHECK(probe_key(t) == "pg 127.0.0.2  5433 app u via 77:42:1000");
    Target k;
    k.kind = Kind::kube;
    k.set("server", "https://127.0.0.1:6443", "f");
    CHECK(probe_key(k) == "kube https://127.0.0.1:6443");
    k.problems.push_back("x");
    CHECK(probe_key(k).empty());
}

TEST_CASE("probe cache: round trip, newest kept, malformed text ignored") {
    std::map<std::string, ProbeEntry> entries;
    ProbeEntry e;
    e.word.declared_tier = "production";
    e.word.replica = true;
    e.word.system_identifier = "73";
    e.word.pinned_tier = "never stored";
    e.time = 1000;
    entries["pg a"] = e;
    std::string text = format_probe_cache(entries);
    CHECK(text.find("never stored") == std::string::npos);
    auto back = parse_probe_cache(text);
    REQUIRE(back.count("pg a"));
    CHECK(back["pg a"].word.declared_tier == "production");
    CHECK(back["pg a"].word.replica);
    CHECK(back["pg a"].time == 1000);
    CHECK(parse_probe_cache("{not json").empty());
    CHECK(parse_probe_cache("{\"version\":2,\"entries\":{}}").empty());
    CHECK(parse_probe_cache("{\"version\":1,\"entries\":{\"k\":5}}").empty());

    std::map<std::string, ProbeEntry> many;
    for (int i = 0; i < static_cast<int>(kMaxProbeEntries) + 10; ++i) {
        ProbeEntry x;
        x.time = i;
        many["k" + std::to_string(i)] = x;
    }
    auto kept = parse_probe_cache(format_probe_cache(many));
    CHECK(kept.size() == kMaxProbeEntries);
    CHECK_FALSE(kept.count("k0"));
    CHECK(kept.count("k265"));
}

TEST_CASE("apply_probe_cache: a remembered answer raises the target and the snapshot") {
    Snapshot s;
    s.config = build_config(std::nullopt, std::nullopt);
    Target t = pg("127.0.0.2", "5433");
    classify(t, s.config);
    s.targets.push_back(t);
    s.tier = overall_tier(s.targets, s.config);
    CHECK(s.tier.name() == "local");  // 127.0.0.2 is on this machine
    std::map<std::string, ProbeEntry> entries;
    entries["pg 127.0.0.2  5433 app u"].word.declared_tier = "production";
    apply_probe_cache(s.targets, s.config, entries, s.warnings);
    s.tier = overall_tier(s.targets, s.config);
    CHECK(s.tier.name() == "production");
    CHECK(s.targets[0].server->declared_tier == "production");
}
