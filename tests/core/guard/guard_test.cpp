#include <doctest/doctest.h>

#include <algorithm>

#include "sentinel/core/classify.hpp"
#include "sentinel/core/guard/guard.hpp"
#include "sentinel/core/guard/banner.hpp"
#include "sentinel/core/guard/describe.hpp"
#include "sentinel/core/guard/grace.hpp"
#include "sentinel/core/guard/pin.hpp"
#include "tests/builders.hpp"

namespace sentinel {
namespace {

// A snapshot with classified targets under the built-in configuration,
// from the shared builders (tests/builders.hpp); `s` is the snapshot so far.
struct Snap {
    test::Snap builder;
    std::optional<test::TargetBuilder> last;  // the target being added: problem() amends it
    Snapshot s = builder;
    Snap& kube(const std::string& context, const std::string& cluster = "c", const std::string& ns = "default") {
        return add(test::kube(context).cluster(cluster).ns(ns).user("u"));
    }
    Snap& pg(const std::string& service, const std::string& host, const std::string& port = "5432") {
        return add(test::TargetBuilder(Kind::pg)
                       .service(service)
                       .field("host", host)
                       .field("port", port)
                       .field("dbname", "app")
                       .user("alice"));
    }
    Snap& add(const test::TargetBuilder& t) {
        if (last) builder.add(*last);
        last = t;
        return done();
    }
    Snap& problem(const std::string& why) {
        last->problem(why);
        return done();
    }
    Snap& config_error(const std::string& e) {
        builder.config_error(e);
        return done();
    }

private:
    Snap& done() {
        test::Snap all = builder;
        if (last) all.add(*last);
        s = all;
        return *this;
    }
};

Action act(Risk risk) {
    Action a;
    a.tool = "kubectl";
    a.verb = "delete";
    a.risk = risk;
    return a;
}

using V = Decision::Verdict;

}  // namespace

TEST_CASE("decide: policy none runs silently, even writes") {
    Decision d = decide(Snap().kube("dev-eu").s, act(Risk::destructive), true, std::nullopt);
    CHECK(d.verdict == V::run);
    CHECK(d.policy == Policy::none);
}

TEST_CASE("decide: production asks for the exact name; reads pass") {
    Snapshot s = Snap().kube("prod-eu").s;
    Decision d = decide(s, act(Risk::write), true, std::nullopt);
    CHECK(d.verdict == V::ask);
    CHECK(d.policy == Policy::type_name);
    CHECK(d.expected == "prod-eu");
    CHECK(decide(s, act(Risk::read), true, std::nullopt).verdict == V::run);
}

TEST_CASE("decide: staging asks yes") {
    Decision d = decide(Snap().kube("staging-1").s, act(Risk::write), true, std::nullopt);
    CHECK(d.verdict == V::ask);
    CHECK(d.expected == "yes");
}

TEST_CASE("decide: unknown, dangling context and broken config count as production") {
    Decision unknown = decide(Snap().kube("mystery").s, act(Risk::write), true, std::nullopt);
    CHECK(unknown.tier.name() == "unknown");
    CHECK(unknown.verdict == V::ask);
    CHECK(unknown.expected == "mystery");
    Decision dangling = decide(Snap().kube("dev-eu").problem("context names no cluster").s, act(Risk::write), true,
                               std::nullopt);
    CHECK(dangling.verdict == V::ask);
    CHECK(dangling.policy == Policy::type_name);
    Decision broken = decide(Snap().kube("dev-eu").config_error("c.toml:1:1: bad").s, act(Risk::write), true,
                             std::nullopt);
    CHECK(broken.verdict == V::ask);
    CHECK(broken.policy == Policy::type_name);
    CHECK(broken.expected == "dev-eu");
}

TEST_CASE("decide: a target without a name cannot be confirmed") {
    Decision d = decide(Snap().kube("").problem("no kubeconfig").s, act(Risk::write), true, std::nullopt);
    CHECK(d.verdict == V::refuse);
}

TEST_CASE("decide: the most dangerous target is the one confirmed") {
    Snapshot s = Snap().kube("dev-eu").pg("prod-db", "db1.example.com").s;
    Decision d = decide(s, act(Risk::write), true, std::nullopt);
    CHECK(d.target == 1);
    CHECK(d.expected == "prod-db");
    Snap empty;
    empty.s.tier = overall_tier({}, empty.s.config);
    CHECK(decide(empty.s, act(Risk::write), true, std::nullopt).verdict == V::run);  // nothing to act on
}

TEST_CASE("decide: no terminal refuses; the override is bound to the exact name") {
    Snapshot s = Snap().kube("prod-eu").s;
    Decision none = decide(s, act(Risk::write), false, std::nullopt);
    CHECK(none.verdict == V::refuse);
    CHECK(format_refusal(none, act(Risk::write)).find("SENTINEL_CONFIRM='prod-eu'") != std::string::npos);
    CHECK(decide(s, act(Risk::write), false, std::string("prod-eu")).verdict == V::override);
    CHECK(decide(s, act(Risk::write), false, std::string("prod-us")).verdict == V::refuse);
    CHECK(decide(s, act(Risk::write), false, std::string("prod")).verdict == V::refuse);
    Snapshot staging = Snap().kube("staging-1").s;
    CHECK(decide(staging, act(Risk::write), false, std::string("yes")).verdict == V::refuse);
    CHECK(decide(staging, act(Risk::write), false, std::string("staging-1")).verdict == V::override);
    // With a terminal the override is ignored: the person answers.
    CHECK(decide(s, act(Risk::write), true, std::string("prod-eu")).verdict == V::ask);
}

TEST_CASE("answers: only the exact name") {
    Decision d = decide(Snap().kube("prod-eu").s, act(Risk::write), true, std::nullopt);
    CHECK(answer_accepted(d, "prod-eu"));
    for (const char* wrong : {"", "y", "yes", "prod", "PROD-EU", "Prod-eu", "prod-eu ", " prod-eu", "prod-eu\r", "prod-us"}) {
        CAPTURE(wrong);
        CHECK_FALSE(answer_accepted(d, wrong));
    }
    Decision yes = decide(Snap().kube("staging-1").s, act(Risk::write), true, std::nullopt);
    CHECK(answer_accepted(yes, "yes"));
    CHECK_FALSE(answer_accepted(yes, "y"));
    CHECK_FALSE(answer_accepted(yes, "YES"));
}

TEST_CASE("fingerprint changes with any field or tier") {
    std::string a = fingerprint(Snap().pg("prod", "db1", "5432").s);
    CHECK(a == fingerprint(Snap().pg("prod", "db1", "5432").s));
    CHECK(a != fingerprint(Snap().pg("prod", "db2", "5432").s));
    CHECK(a != fingerprint(Snap().pg("prod", "db1", "5433").s));
}

TEST_CASE("banner: target, action, rule; names sanitized") {
    Snapshot s = Snap().kube("prod-\x1b]0;pwn\x07").s;
    Action a = act(Risk::destructive);
    a.detail = "DELETE FROM users";
    Decision d = decide(s, a, true, std::nullopt);
    std::string text = format_question(s, make_display(s), d, a, false);
    CHECK(text.find("[UNKNOWN]") == 0);
    CHECK(text.find("\x1b") == std::string::npos);
    CHECK(text.find("\\e]0;pwn\\a") != std::string::npos);
    CHECK(text.find("action  kubectl delete (destructive)") != std::string::npos);
    CHECK(text.find("DELETE FROM users") != std::string::npos);
    Snapshot p = Snap().kube("prod-eu", "gke-prod", "payments").s;
    std::string prod = format_question(p, make_display(p), decide(p, a, true, std::nullopt), a, true);
    CHECK(prod.find("\033[1;41m PROD \033[0m") == 0);
    CHECK(prod.find("context=prod-eu  cluster=gke-prod  namespace=payments") != std::string::npos);
    CHECK(prod.find("why     production by built-in: production names") != std::string::npos);
    CHECK(format_answer_prompt(decide(p, a, true, std::nullopt)) ==
          "Type the target name \"prod-eu\" to go ahead (anything else refuses): ");
}

TEST_CASE("shell_quote") {
    CHECK(shell_quote("prod") == "'prod'");
    CHECK(shell_quote("it's") == "'it'\\''s'");
}

TEST_CASE("psql command line: connection options removed, SQL collected") {
    PsqlCommandLine c = parse_psql_command_line(
        {"-Xq", "-hdb1", "-p", "5433", "--username=bob", "-c", "select 1", "-f", "x.sql", "appdb", "--write"});
    CHECK(c.kept == std::vector<std::string>{"-X", "-q", "-c", "select 1", "-f", "x.sql"});
    REQUIRE(c.sql.size() == 2);
    CHECK_FALSE(c.sql[0].file);
    CHECK(c.sql[0].text == "select 1");
    CHECK(c.sql[1].file);
    CHECK(c.write);
    CHECK(parse_psql_command_line({"--version"}).info_only);
    CHECK(parse_psql_command_line({"-l"}).list);
    CHECK(parse_psql_command_line({"-d", "service=prod", "--", "-c"}).kept.empty());
    CHECK(parse_psql_command_line({"--comm=select 2"}).kept == std::vector<std::string>{"--command=select 2"});
    CHECK(psql_interactive(parse_psql_command_line({"-X"}), true));
    CHECK_FALSE(psql_interactive(parse_psql_command_line({"-X"}), false));
    CHECK_FALSE(psql_interactive(parse_psql_command_line({"-c", "select 1"}), true));
}

TEST_CASE("pin_psql: one conninfo, no service, password in the environment") {
    PinnedConnection conn;
    conn.params = {{"host", "10.0.0.5"}, {"port", "5432"}, {"dbname", "app"}, {"user", "o'neil"}, {"sslmode", "require"}};
    conn.options = "-c search_path=app";
    conn.password = "s3cret";
    PsqlCommandLine cmd = parse_psql_command_line({"-X", "service=prod"});
    PinnedCommand pc = pin_psql("psql", cmd, conn, true, nullptr);
    CHECK(pc.argv == std::vector<std::string>{"psql", "-X", "-d",
                                              "host='10.0.0.5' port='5432' dbname='app' user='o\\'neil' sslmode='require'"});
    for (const std::string& a : pc.argv) CHECK(a.find("s3cret") == std::string::npos);
    CHECK(std::find(pc.unset_env.begin(), pc.unset_env.end(), "PGSERVICE") != pc.unset_env.end());
    CHECK(std::find(pc.unset_env.begin(), pc.unset_env.end(), "PGSERVICEFILE") != pc.unset_env.end());
    CHECK(std::find(pc.unset_env.begin(), pc.unset_env.end(), "SENTINEL_CONFIRM") != pc.unset_env.end());
    using Env = std::pair<std::string, std::string>;
    CHECK(std::find(pc.set_env.begin(), pc.set_env.end(), Env{"PGPASSWORD", "s3cret"}) != pc.set_env.end());
    CHECK(std::find(pc.set_env.begin(), pc.set_env.end(),
                    Env{"PGOPTIONS", "-c search_path=app -c default_transaction_read_only=on"}) != pc.set_env.end());
}

TEST_CASE("pin_psql: the prompt shows the tier in colour") {
    Display t;
    t.tier = Tier::production();
    t.label = "PROD%";
    t.color = Color::ansi(1);
    PinnedConnection conn;
    conn.params = {{"host", "h"}};
    PinnedCommand pc = pin_psql("psql", {}, conn, false, &t);
    REQUIRE(pc.argv.size() >= 3);
    CHECK(pc.argv[1] == "-v");
    CHECK(pc.argv[2] == "PROMPT1=%[%033[1;31m%]PROD%%%[%033[0m%] %/%R%x%# ");
}

TEST_CASE("pin_matches: a moved host or port is a mismatch") {
    Snapshot s = Snap().pg("prod", "127.0.0.1", "5433").s;
    PinnedConnection conn;
    conn.params = {{"host", "127.0.0.1"}, {"port", "5433"}, {"dbname", "app"}, {"user", "alice"}};
    CHECK(pin_matches(s.targets, conn));
    conn.params[1].second = "5434";
    CHECK_FALSE(pin_matches(s.targets, conn));
    CHECK_FALSE(pin_matches({}, conn));
}

TEST_CASE("pin_kube: context, cluster and user pinned after the verb") {
    Snapshot s = Snap().kube("prod-eu", "gke-prod").s;
    Target t = s.targets[0];
    t.files = {"/home/u/.kube/config"};
    std::string env;
    std::vector<std::string> argv = {"kubectl", "-n", "x", "delete", "pod", "web"};
    CHECK(pin_kube(Tool::kubectl, argv, 4, t, {}, env) ==
          std::vector<std::string>{"kubectl", "-n", "x", "delete", "--context=prod-eu", "--cluster=gke-prod",
                                   "--user=u", "--kubeconfig=/home/u/.kube/config", "pod", "web"});
    CHECK(env.empty());
    KubeOverrides given;
    given.context = "prod-eu";
    t.files = {"/a", "/b"};
    CHECK(pin_kube(Tool::helm, {"helm", "upgrade", "web"}, 2, t, given, env) ==
          std::vector<std::string>{"helm", "upgrade", "web"});
    CHECK(env == "/a:/b");
}

TEST_CASE("psql_action: statement kinds and interactive sessions") {
    SqlReader none = [](const std::string&) { return std::optional<std::string>(); };
    Action a = psql_action(parse_psql_command_line({"-c", "delete from users"}), false, none, std::nullopt);
    CHECK(a.risk == Risk::destructive);
    CHECK(a.verb == "DELETE without WHERE");
    CHECK(a.detail == "delete from users");
    CHECK(psql_action(parse_psql_command_line({"-c", "select 1"}), false, none, std::nullopt).risk == Risk::read);
    CHECK(psql_action(parse_psql_command_line({"-f", "missing.sql"}), false, none, std::nullopt).risk ==
          Risk::destructive);
    CHECK(psql_action(parse_psql_command_line({}), false, none, std::string("insert into t values (1);")).risk ==
          Risk::write);
    CHECK(psql_action(parse_psql_command_line({}), true, none, std::nullopt).risk == Risk::read);
    CHECK(psql_action(parse_psql_command_line({"--write"}), true, none, std::nullopt).risk == Risk::write);
    Action two = psql_action(parse_psql_command_line({"-c", "select 1", "-c", "update t set a=1 where b=2"}), false,
                             none, std::nullopt);
    CHECK(two.verb == "UPDATE +1 more");
}

TEST_CASE("grace: bound to uid, tty, session and exact target") {
    GraceKey k{.uid = 1000, .tty = "34816", .session = 4242, .session_start = "123456", .target = "prod-eu"};
    std::string d = grace_digest(k);
    CHECK(d.size() == 16);
    CHECK(d == grace_digest(k));
    GraceKey other_tty = k;
    other_tty.tty = "34817";
    GraceKey relogin = k;
    relogin.session_start = "999999";
    GraceKey other_target = k;
    other_target.target = "prod-us";
    GraceKey other_uid = k;
    other_uid.uid = 1001;
    for (const GraceKey& o : {other_tty, relogin, other_target, other_uid}) CHECK(grace_digest(o) != d);
}

TEST_CASE("grace: within the period only; clock moved back asks again") {
    std::vector<GraceEntry> entries = {{"aaaaaaaaaaaaaaaa", 1000}};
    CHECK(grace_allows(entries, "aaaaaaaaaaaaaaaa", 1000, 60));
    CHECK(grace_allows(entries, "aaaaaaaaaaaaaaaa", 1059, 60));
    CHECK_FALSE(grace_allows(entries, "aaaaaaaaaaaaaaaa", 1060, 60));
    CHECK_FALSE(grace_allows(entries, "aaaaaaaaaaaaaaaa", 999, 60));  // clock moved back
    CHECK_FALSE(grace_allows(entries, "bbbbbbbbbbbbbbbb", 1001, 60));
    CHECK_FALSE(grace_allows(entries, "aaaaaaaaaaaaaaaa", 1001, 0));
}

TEST_CASE("grace: store round trip, old and future entries dropped") {
    std::string text = "aaaaaaaaaaaaaaaa 1000\nbbbbbbbbbbbbbbbb 5000\ngarbage\ncccccccccccccccc 1990\n";
    auto entries = parse_grace_store(text);
    REQUIRE(entries.size() == 3);
    CHECK(format_grace_store(entries, "dddddddddddddddd", 2000, 60) ==
          "cccccccccccccccc 1990\ndddddddddddddddd 2000\n");
    CHECK(format_grace_store(entries, "cccccccccccccccc", 2000, 60) == "cccccccccccccccc 2000\n");
}

}  // namespace sentinel

namespace sentinel {

TEST_CASE("runs_unasked: what the agent may answer for the guard (EVAL)") {
    Snapshot prod = Snap().kube("prod-eu").s;
    Snapshot dev = Snap().kube("dev-eu").s;
    CHECK(runs_unasked(dev, {"kubectl", "delete", "ns", "payments"}));
    CHECK(runs_unasked(prod, {"kubectl", "-n", "x", "get", "pods"}));
    CHECK(runs_unasked(prod, {"helm", "list"}));
    CHECK_FALSE(runs_unasked(prod, {"kubectl", "delete", "ns", "payments"}));
    CHECK_FALSE(runs_unasked(prod, {"helm", "upgrade", "web", "./chart"}));
    // psql statements live in -f files and stdin the agent does not see:
    // on a guarded tier even a SELECT is left to the guard.
    CHECK_FALSE(runs_unasked(Snap().pg("orders", "prod-db.example.com").s, {"psql", "-c", "select 1"}));
    // A local server is asked who it is before anything may write there
    // (probe = "guarded"): the guard does that, not the agent.
    CHECK_FALSE(runs_unasked(Snap().pg("orders", "localhost").s, {"psql", "-c", "drop table users"}));
    Snap never;
    never.builder.user_toml("probe = \"never\"\n");
    CHECK(runs_unasked(never.pg("orders", "localhost").s, {"psql", "-c", "drop table users"}));
    CHECK(runs_unasked(Snap().pg("orders-dev", "dev-db.example.com").s, {"psql", "-c", "drop table users"}));
    CHECK_FALSE(runs_unasked(prod, {"./deploy.sh"}));
    CHECK(runs_unasked(Snap().kube("dev-eu").config_error("x:1:1: bad").s, {"kubectl", "get", "pods"}));
    CHECK_FALSE(runs_unasked(Snap().kube("dev-eu").config_error("x:1:1: bad").s, {"kubectl", "delete", "pod", "x"}));
    CHECK_FALSE(runs_unasked(Snapshot{}, {"kubectl", "delete", "pod", "x"}));
}

TEST_CASE("refusal: the confirmed target is named with its own tier when production ranks 200 (bug)") {
    // Reproduced: `on production target "APP_ENV=weird"`; that target is unknown.
    Snapshot s = test::Snap()
                     .add(test::env("APP_ENV", "weird"))
                     .add(test::env("AWS_PROFILE", "prod-eu"))
                     .user_toml("[tiers.production]\nrank = 200\n");
    Decision d = decide(s, act(Risk::write), false, std::nullopt);
    REQUIRE(d.target >= 0);
    CHECK(s.targets[static_cast<std::size_t>(d.target)].tier == d.tier);
    CHECK(d.tier == Tier::unknown());
    std::string refusal = format_refusal(d, act(Risk::write));
    CHECK(refusal.find("on unknown target \"APP_ENV=weird\"") != std::string::npos);
    // The chosen target's tier is the overall tier, in any order and at any rank.
    for (const char* toml : {"", "[tiers.production]\nrank = 200\n", "[tiers.production]\nrank = 5\n"}) {
        for (bool reversed : {false, true}) {
            test::Snap snap;
            snap.user_toml(toml);
            if (reversed) snap.add(test::env("AWS_PROFILE", "prod-eu")).add(test::env("APP_ENV", "weird"));
            else snap.add(test::env("APP_ENV", "weird")).add(test::env("AWS_PROFILE", "prod-eu"));
            Snapshot t = snap;
            CAPTURE(toml);
            CAPTURE(reversed);
            CHECK(t.targets[static_cast<std::size_t>(chosen_target(t))].tier == t.tier);
        }
    }
}

}  // namespace sentinel
