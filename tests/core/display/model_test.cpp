#include "sentinel/core/display/model.hpp"

#include <doctest/doctest.h>

#include "sentinel/core/agent/session.hpp"
#include "sentinel/core/display/format.hpp"
#include "sentinel/core/display/prompt.hpp"
#include "sentinel/core/display/statusline.hpp"
#include "sentinel/core/display/tmux.hpp"
#include "sentinel/core/guard/banner.hpp"
#include "sentinel/core/sanitize.hpp"
#include "tests/builders.hpp"

using namespace sentinel;
using test::env;
using test::kube;
using test::pg;

namespace {

std::string option(const std::vector<TmuxOption>& options, const std::string& name) {
    for (const TmuxOption& o : options)
        if (o.name == name) return o.value;
    return "<absent>";
}

// The targets field of a SESSION frame, as names.
std::vector<std::string> session_names(const Frame& f) {
    std::vector<std::string> out;
    std::string field = f.at(15);
    for (std::size_t start = 0; start < field.size();) {
        std::size_t end = field.find('\n', start);
        std::string line = field.substr(start, end - start);
        out.push_back(line.substr(line.find('\t') + 1));
        start = end + 1;
    }
    return out;
}

}  // namespace

TEST_CASE("short_name: one form per kind") {
    CHECK(short_name(kube("prod-eu").ns("payments")) == "prod-eu/payments");
    CHECK(short_name(kube("prod-eu")) == "prod-eu");
    CHECK(short_name(kube("").ns("payments")) == "(no context)/payments");
    CHECK(short_name(pg("orders", "db1")) == "orders@db1");
    CHECK(short_name(pg("orders", "db1", "5433")) == "orders@db1:5433");
    CHECK(short_name(pg("orders", "db1", "")) == "orders@db1");
    CHECK(short_name(pg("orders", "db1", "5433").service("billing")) == "billing");
    CHECK(short_name(test::TargetBuilder(Kind::pg).field("hostaddr", "10.0.0.5").field("dbname", "x")) == "x@10.0.0.5");
    CHECK(short_name(env("APP_ENV", "production")) == "APP_ENV=production");
    CHECK(short_name(kube("\x1b]0;x\x07")) == "\\e]0;x\\a");
}

TEST_CASE("make_display: overall and per-target tier, label, colour, name") {
    Display d = make_display(test::Snap().add(kube("dev").ns("web")).add(env("APP_ENV", "production")));
    CHECK(d.tier == Tier::production());
    CHECK(d.label == "PROD");
    CHECK(d.color == Color::ansi(1));
    CHECK(d.dangerous);
    REQUIRE(d.targets.size() == 2);
    CHECK(d.targets[0].tier == Tier("development"));
    CHECK(d.targets[0].label == "DEV");
    CHECK(d.targets[0].color == Color::ansi(4));
    CHECK(d.targets[0].name == "dev/web");
    CHECK(d.targets[1].name == "APP_ENV=production");
    CHECK(d.note.empty());

    Display none = make_display(test::Snap());
    CHECK(none.tier == Tier::none());
    CHECK(none.label.empty());
    CHECK(none.shown_label() == "none");
    CHECK_FALSE(none.dangerous);
    CHECK(make_display(test::Snap().add(kube("mystery"))).dangerous);  // unknown ranks with production
}

TEST_CASE("the prompt, the status line, tmux, the prompt variables and `sentinel bar` name a target alike (bug)") {
    // Before: a pg service was "billing (bills@db1)" in the prompt and "pg
    // billing" on the status line; a kube target without namespace was
    // "ctx/" in the prompt and "kube ctx" on the status line.
    Snapshot s = test::Snap()
                     .add(kube("prod-eu"))
                     .add(pg("bills", "db1").service("billing"))
                     .add(pg("orders", "db2", "5433"))
                     .add(pg("app", "db3", ""))
                     .add(env("APP_ENV", "production"));
    Display d = make_display(s);
    const std::vector<std::string> names = {"prod-eu", "billing", "orders@db2:5433", "app@db3", "APP_ENV=production"};
    CHECK(distinct_names(d) == names);

    CHECK(format_prompt(d, false) == "PROD prod-eu billing orders@db2:5433 app@db3 APP_ENV=production");
    CHECK(line_items(d) ==
          std::vector<std::string>{"kube prod-eu", "pg billing", "pg orders@db2:5433", "pg app@db3", "APP_ENV=production"});
    std::string line = layout_status_line(d, 200, false).text();
    CHECK(line == " PROD  kube prod-eu \u00b7 pg billing \u00b7 pg orders@db2:5433 \u00b7 pg app@db3 \u00b7 APP_ENV=production");
    CHECK(option(tmux_pane_options(d, {.max_width = 200}), "@sentinel_text") == line.substr(7));

    View v = make_view(s, d);
    CHECK(v.text == format_prompt(d, false));
    CHECK(v.kube_context == "prod-eu");
    CHECK(v.pg == "billing orders@db2:5433 app@db3");
    CHECK(v.env == "APP_ENV=production");

    Session session;
    apply_view(session, v);
    CHECK(session_names(session_frame("i", session)) == names);
}

TEST_CASE("chain_text: a name alone, or its hops and the tier it reaches") {
    TargetView t = test::view(Kind::pg, "app@localhost:15432");
    CHECK(chain_text(t) == "app@localhost:15432");
    t.via = {"kubectl port-forward svc/db (prod-eu)"};
    t.tier = Tier::production();
    t.label = "PROD";
    CHECK(chain_text(t) == "app@localhost:15432 \u2192 kubectl port-forward svc/db (prod-eu) \u2192 PROD");
    t.label = "";
    CHECK(chain_text(t) == "app@localhost:15432 \u2192 kubectl port-forward svc/db (prod-eu) \u2192 production");
}

TEST_CASE("a chain and extra lines reach every sink that has room for them") {
    Snapshot s = test::Snap().add(pg("app", "localhost", "15432"));
    Display d = make_display(s);
    d.targets[0].via = {"kubectl port-forward svc/db (prod-eu)"};
    d.targets[0].lines = {"about 120 rows"};
    const std::string chain = "app@localhost:15432 \u2192 kubectl port-forward svc/db (prod-eu) \u2192 LOCAL";
    CHECK(distinct_names(d) == std::vector<std::string>{chain});
    CHECK(format_prompt(d, false) == "LOCAL " + chain);
    CHECK(layout_status_line(d, 200, false).text() == " LOCAL  pg " + chain);
    CHECK(option(tmux_pane_options(d, {.max_width = 200}), "@sentinel_text") == "pg " + chain);
    CHECK(format_plain(s, d, false).find("  reaches " + chain + "\n  about 120 rows\n") != std::string::npos);
    CHECK(format_explain(s, d, false).find("  reaches   " + chain + "\n") != std::string::npos);
    CHECK(format_explain(s, d, false).find("  about 120 rows\n") != std::string::npos);
    Action a;
    a.tool = "psql";
    a.verb = "DELETE";
    a.risk = Risk::destructive;
    Decision decision;
    decision.tier = d.tier;
    decision.target = 0;
    std::string banner = format_question(s, d, decision, a, false);
    CHECK(banner.find("  reaches " + chain + "\n          about 120 rows\n") != std::string::npos);
}

TEST_CASE("distinct_names and line_items show a name once") {
    Display d = make_display(test::Snap().add(kube("dev")).add(kube("dev")).add(env("A", "dev")).add(env("A", "dev")));
    CHECK(distinct_names(d) == std::vector<std::string>{"dev", "A=dev"});
    CHECK(line_items(d) == std::vector<std::string>{"kube dev", "A=dev"});
}

TEST_CASE("an unknown target says briefly why, never a name with empty fields (issue 8)") {
    Display d = make_display(test::Snap()
                                 .add(kube("ghost").problem("context \"ghost\" is not defined in any kubeconfig file "
                                                            "(from /h/.kube/config:9:18)"))
                                 .add(test::TargetBuilder(Kind::pg)
                                          .service("nosuch")
                                          .problem("libpq: definition of service \"nosuch\" not found")));
    CHECK(distinct_names(d) == std::vector<std::string>{"kube: context \"ghost\" is not defined in any kubeconfig file",
                                                        "pg: definition of service \"nosuch\" not found"});
    CHECK(format_prompt(d, false) ==
          "UNKNOWN kube: context \"ghost\" is not defined in any kubeconfig file pg: definition of service "
          "\"nosuch\" not found");
    // The status line gives the rest: the name and the whole problem.
    CHECK(line_items(d)[0] ==
          "kube ghost: context \"ghost\" is not defined in any kubeconfig file (from /h/.kube/config:9:18)");
    CHECK(line_items(d)[1] == "pg nosuch: libpq: definition of service \"nosuch\" not found");
    // A long problem is cut to a few words; a control byte never reaches a terminal.
    Display longer = make_display(test::Snap().add(kube("x").problem(std::string(200, 'a') + "\x1b[2J")));
    CHECK(display_width(distinct_names(longer)[0]) <= 6 + 60);
    CHECK(line_items(longer)[0].find('\x1b') == std::string::npos);
}

TEST_CASE("explain: a regex as written; `explain -- CMD` speaks of the command (issue 8)") {
    Snapshot s = test::Snap().add(kube("k8s.eu.x")).done();
    s.targets[0].rule = "cfg.toml:1:1 (context ~ /k8s\\.eu\\./)";
    std::string e = format_explain(s, make_display(s), false);
    CHECK(e.find("decided by cfg.toml:1:1 (context ~ /k8s\\.eu\\./)\n") != std::string::npos);
    CHECK(e.rfind("This terminal is ", 0) == 0);
    CHECK(format_explain(s, make_display(s), false, true).rfind("This command acts on ", 0) == 0);
    s.targets[0].rule = "x\x1b[2J";
    CHECK(format_explain(s, make_display(s), false).find('\x1b') == std::string::npos);
}
