#include "sentinel/core/display/chain.hpp"

#include <doctest/doctest.h>

#include "sentinel/core/agent/session.hpp"
#include "sentinel/core/display/format.hpp"
#include "sentinel/core/display/model.hpp"
#include "sentinel/core/display/statusline.hpp"
#include "sentinel/core/display/tmux.hpp"
#include "sentinel/core/guard/banner.hpp"
#include "tests/fake_fs.hpp"
#include "tests/fake_listeners.hpp"

using namespace sentinel;

namespace {

Hop hop(std::string kind, std::vector<Field> reached, std::string tier = "production") {
    Hop h;
    h.kind = std::move(kind);
    h.reached = std::move(reached);
    h.tier = Tier(std::move(tier));
    h.pid = 42;
    h.listen = "127.0.0.1:15432";
    return h;
}

}  // namespace

TEST_CASE("describe_hop: one short phrase per kind of forwarder") {
    CHECK(describe_hop(hop("kubectl port-forward", {{"resource", "svc/orders-db", ""}, {"context", "prod-eu", ""}})) ==
          "kubectl port-forward svc/orders-db (context prod-eu)");
    CHECK(describe_hop(hop("kubectl proxy", {{"context", "staging", ""}})) == "kubectl proxy (context staging)");
    CHECK(describe_hop(hop("ssh", {{"ssh_host", "bastion", ""}, {"remote_host", "db.prod", ""}, {"remote_port", "5432", ""}})) ==
          "ssh bastion \u2192 db.prod:5432");
    CHECK(describe_hop(hop("socat", {{"remote_host", "::1", ""}, {"remote_port", "5433", ""}})) == "socat \u2192 [::1]:5433");
    CHECK(describe_hop(hop("socat", {{"remote_socket", "/run/pg/.s.PGSQL.5432", ""}})) ==
          "socat \u2192 /run/pg/.s.PGSQL.5432");
    CHECK(describe_hop(hop("pgbouncer", {{"database", "orders", ""}, {"remote_host", "db1", ""}, {"remote_port", "6432", ""},
                                         {"remote_dbname", "orders_main", ""}})) ==
          "pgbouncer orders \u2192 db1:6432/orders_main");
    CHECK(describe_hop(hop("cloud-sql-proxy", {{"instance", "acme-prod:eu:orders", ""}})) ==
          "cloud-sql-proxy acme-prod:eu:orders");
    CHECK(describe_hop(hop("postgres", {{"data_directory", "/d", ""}}, "local")) == "postgres");
    CHECK(describe_hop(hop("docker-proxy", {{"container_ip", "172.17.0.2", ""}, {"container_port", "5432", ""}}, "local")) ==
          "docker-proxy \u2192 172.17.0.2:5432");
    Hop unknown = hop("unknown", {}, "unknown");
    unknown.command = "python3";
    CHECK(describe_hop(unknown) == "unrecognised listener python3 (pid 42)");
    unknown.pid = 0;
    unknown.uid = 65534;
    CHECK(describe_hop(unknown) == "a process of uid 65534 you cannot see");
    unknown.uid = -1;
    CHECK(describe_hop(unknown) == "an unknown listener");
    Hop lost = hop("pgbouncer", {}, "unknown");
    lost.problems.push_back("no entry");
    CHECK(describe_hop(lost) == "pgbouncer (destination unknown)");
    Hop hostile = hop("ssh", {{"ssh_host", "evil\x1b]0;x\a", ""}, {"remote_host", "h\u202e", ""}, {"remote_port", "1", ""}});
    std::string shown = describe_hop(hostile);
    CHECK(shown.find('\x1b') == std::string::npos);
    CHECK(shown.find("\u202e") == std::string::npos);
    CHECK(shown.find("evil\\e]0;x\\a") != std::string::npos);
}

TEST_CASE("server_marks, format_server_word, target_lines") {
    Config c = build_config(std::nullopt, std::nullopt);
    Target t;
    t.kind = Kind::pg;
    CHECK(server_marks(t, c).empty());
    CHECK(format_server_word(t).empty());
    CHECK(target_lines(t).empty());
    t.server = ServerWord{};
    t.server->replica = true;
    t.server->declared_tier = "production";
    t.server->pinned_tier = "staging";
    CHECK(server_marks(t, c) == " \u00b7 replica \u00b7 declared PROD \u00b7 pinned STAGING");
    t.server->cluster_name = "c\x07";
    t.server->system_identifier = "73";
    t.server->server_version = "15.4";
    t.server->server_address = "127.0.0.2:5433";
    t.server->pinned_tier.clear();
    CHECK(format_server_word(t) == "replica (in recovery), cluster_name \"c\\a\", declares production, system identifier 73, "
                                   "PostgreSQL 15.4, at 127.0.0.2:5433");
    Hop h = hop("socat", {{"remote_host", "db", ""}, {"remote_port", "1", ""}}, "unknown");
    h.command = "socat TCP-LISTEN:15432 TCP:db:1";
    h.uid = 1000;
    h.rule = "no rule matches";
    h.problems.push_back("why");
    t.via.push_back(h);
    auto lines = target_lines(t);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "via socat on 127.0.0.1:15432 (pid 42, uid 1000): socat TCP-LISTEN:15432 TCP:db:1; reaches unknown "
                      "by no rule matches");
    CHECK(lines[1] == "  problem: why");
    CHECK(lines[2].rfind("server said: replica (in recovery)", 0) == 0);
}

TEST_CASE("every sink names the chain: status, explain, JSON, prompt, status line, tmux, guard banner") {
    test::FakeFs fs;
    fs.file("/k/config",
            "contexts:\n- name: prod-eu\n  context: {cluster: c, user: u}\nclusters:\n- name: c\n"
            "  cluster: {server: 'https://10.0.0.1:6443'}\nusers:\n- name: u\n  user: {}\n");
    test::FakeListeners l;
    Listener fwd = test::process({"kubectl", "port-forward", "--context", "prod-eu", "svc/orders#db", "15433:5432"});
    fwd.env = {{"KUBECONFIG", "/k/config"}};
    l.on(15433, fwd);
    Vars vars = {{"HOME", "/h"}, {"PGHOST", "localhost"}, {"PGPORT", "15433"}, {"PGDATABASE", "app"}, {"PGUSER", "u"}};
    Snapshot s = evaluate(vars, fs, {}, nullptr, {}, &l);
    Display d = make_display(s);
    const std::string chain = "app@localhost:15433 \u2192 kubectl port-forward svc/orders#db (context prod-eu) \u2192 PROD";
    REQUIRE(d.targets.size() == 1);
    CHECK(chain_text(d.targets[0]) == chain);
    CHECK(format_prompt(d, false) == "PROD " + chain);
    CHECK(format_plain(s, d, false).find("  reaches " + chain + "\n") != std::string::npos);
    CHECK(format_plain(s, d, false).find("  via kubectl port-forward on 127.0.0.1:15433 (pid 4242, uid 1000)") !=
          std::string::npos);
    CHECK(format_explain(s, d, false).find("  reaches   " + chain) != std::string::npos);
    CHECK(format_json(s, d).find("\"via\":[{\"kind\":\"kubectl port-forward\",\"listen\":\"127.0.0.1:15433\",\"pid\":4242") !=
          std::string::npos);
    CHECK(line_items(d) == std::vector<std::string>{"pg " + chain});
    CHECK(layout_status_line(d, 160, false).text() == " PROD  pg " + chain);
    auto options = tmux_pane_options(d, TmuxSettings{.max_width = 200});
    CHECK(options[2].name == "@sentinel_text");
    CHECK(options[2].value == "pg app@localhost:15433 \u2192 kubectl port-forward svc/orders##db (context prod-eu) \u2192 PROD");
    CHECK(make_view(s, d).text == "PROD " + chain);
    Action action{"psql", "DELETE", Risk::destructive, ""};
    Decision decision = decide(s, action, false, std::nullopt);
    CHECK(format_question(s, d, decision, action, false).find("  reaches " + chain + "\n") != std::string::npos);
}
