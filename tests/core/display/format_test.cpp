#include "sentinel/core/display/format.hpp"

#include <doctest/doctest.h>

#include "tests/builders.hpp"

#include "sentinel/core/classify.hpp"
#include "sentinel/core/sanitize.hpp"

using namespace sentinel;

namespace {

// A kube target as kubeconfig resolution leaves it, with origins.
Target kube(const std::string& context, const std::string& ns = "default") {
    return test::TargetBuilder(Kind::kube)
        .field("context", context, "/k:1:18")
        .field("cluster", "c1", "/k:5:14")
        .field("server", "https://10.1.2.3:6443", "/k:9:13")
        .field("namespace", ns, ns == "default" ? "default" : "-n")
        .field("user", "admin", "/k:6:11")
        .file("/k")
        .source("KUBECONFIG");
}

// A pg target as libpq resolution leaves it, with origins.
Target pg(const std::string& service, const std::string& host, const std::string& port, const std::string& db) {
    return test::TargetBuilder(Kind::pg)
        .field("service", service, service.empty() ? "" : "PGSERVICE")
        .field("host", host, "PGHOST")
        .field("port", port, "PGPORT")
        .field("dbname", db, "PGDATABASE")
        .field("user", "app", "PGUSER")
        .source("environment")
        .source("PGHOST");
}

// A snapshot as evaluate() would build it, from targets and an optional user config.
Snapshot snapshot(const std::vector<Target>& targets, const std::vector<std::string>& warnings = {},
                  const char* user_toml = nullptr) {
    test::Snap snap;
    for (const Target& t : targets) snap.add(t);
    for (const std::string& w : warnings) snap.warning(w);
    if (user_toml) snap.user_toml(user_toml);
    return snap;
}

std::string json(const Snapshot& s) { return format_json(s, make_display(s)); }
std::string prompt(const Snapshot& s, bool color, std::size_t width = 0) { return format_prompt(make_display(s), color, width); }
std::string plain(const Snapshot& s, bool color) { return format_plain(s, make_display(s), color); }
std::string explain(const Snapshot& s, bool color) { return format_explain(s, make_display(s), color); }

bool ascii_only(const std::string& s) {
    for (unsigned char c : s)
        if (c >= 0x80 || (c < 0x20 && c != '\n')) return false;
    return true;
}

}  // namespace

TEST_CASE("format_json: the exact shape") {
    Snapshot s = snapshot({kube("prod-eu")}, {"/x: KUBECONFIG names a file that does not exist"});
    CHECK(json(s) ==
          "{\"version\":1,\"tier\":\"production\",\"label\":\"PROD\",\"targets\":[{\"kind\":\"kube\","
          "\"context\":\"prod-eu\",\"cluster\":\"c1\",\"server\":\"https://10.1.2.3:6443\",\"namespace\":\"default\","
          "\"user\":\"admin\",\"files\":[\"/k\"],\"sources\":[\"KUBECONFIG\"],\"tier\":\"production\","
          "\"rule\":\"built-in: production names (prod, production, prd, live)\",\"problems\":[]}],"
          "\"warnings\":[\"/x: KUBECONFIG names a file that does not exist\"]}\n");
}

TEST_CASE("format_json: pg targets have no files; no targets") {
    std::string j = json(snapshot({pg("", "localhost", "5432", "app")}));
    CHECK(j.find("{\"kind\":\"pg\",\"service\":\"\",\"host\":\"localhost\",\"port\":\"5432\",\"dbname\":\"app\","
                 "\"user\":\"app\",\"sources\":[\"environment\",\"PGHOST\"],\"tier\":\"local\"") != std::string::npos);
    CHECK(json(snapshot({})) == "{\"version\":1,\"tier\":\"none\",\"label\":\"\",\"targets\":[],\"warnings\":[]}\n");
}

TEST_CASE("format_json: ASCII only, hostile names escaped") {
    Target evil = kube("\x1b]0;pwn\x07");
    evil.problems.push_back("caf\u00e9 \u202e \x9b");
    std::string j = json(snapshot({evil, kube("caf\u00e9")}, {"warn\x1b[2J"}));
    CHECK(ascii_only(j));
    CHECK(j.find("\"context\":\"\\\\e]0;pwn\\\\a\"") != std::string::npos);
    CHECK(j.find("\"context\":\"caf\\u00e9\"") != std::string::npos);
    CHECK(j.find("\\\\u{202e}") != std::string::npos);
    CHECK(j.find("\\\\x9b") != std::string::npos);
    CHECK(j.find("warn\\\\e[2J") != std::string::npos);
    CHECK(j.find("\"tier\":\"unknown\"") != std::string::npos);
}

TEST_CASE("format_prompt: exact bytes without colour") {
    CHECK(prompt(snapshot({kube("prod-eu", "payments")}), false) == "PROD prod-eu/payments");
    CHECK(prompt(snapshot({kube("kind-a"), pg("", "db1", "5432", "orders")}), false) ==
          "UNKNOWN kind-a/default orders@db1");
    CHECK(prompt(snapshot({pg("", "localhost", "6432", "app")}), false) == "LOCAL app@localhost:6432");
    CHECK(prompt(snapshot({pg("billing", "db.prod", "5432", "bills")}), false) == "PROD billing");
    CHECK(prompt(snapshot({kube("dev"), kube("dev")}), false) == "DEV dev/default");  // repeats shown once
    CHECK(prompt(snapshot({}), false) == "");
    Target env;
    env.kind = Kind::env;
    env.set("name", "APP_ENV", "APP_ENV");
    env.set("value", "staging", "APP_ENV");
    CHECK(prompt(snapshot({env}), false) == "STAGING APP_ENV=staging");
}

TEST_CASE("format_prompt: SGR colours") {
    CHECK(prompt(snapshot({kube("prod-eu")}), true) == "\x1b[1;31mPROD\x1b[0m \x1b[31mprod-eu/default\x1b[0m");
    CHECK(prompt(snapshot({kube("dev")}), true) == "\x1b[1;34mDEV\x1b[0m \x1b[34mdev/default\x1b[0m");
    // A tier with colour "default" gets bold only.
    CHECK(prompt(snapshot({kube("x-1")}, {}, "[tiers.mine]\ncolor = \"default\"\n[[rules]]\ntier = \"mine\"\ncontext = \"x-*\"\n"),
                        true) == "\x1b[1mmine\x1b[0m x-1/default");
}

TEST_CASE("format_prompt: hostile names and labels are escaped") {
    std::string p = prompt(snapshot({kube("\x1b]0;pwn\x07")}), true);
    CHECK(p == "\x1b[1;35mUNKNOWN\x1b[0m \x1b[35m\\e]0;pwn\\a/default\x1b[0m");
    std::string l = prompt(snapshot({kube("x-1")}, {}, "[tiers.mine]\nlabel = \"L\\u001b[5m\"\n[[rules]]\ntier = \"mine\"\ncontext = \"x-*\"\n"),
                                  false);
    CHECK(l == "L\\e[5m x-1/default");
}

TEST_CASE("format_prompt: elided to the width") {
    Snapshot s = snapshot({kube("prod-eu")});  // "PROD prod-eu/default"
    CHECK(prompt(s, false, 0) == "PROD prod-eu/default");
    CHECK(prompt(s, false, 20) == "PROD prod-eu/default");
    CHECK(prompt(s, false, 19) == "PROD prod-eu\u2026efault");
    CHECK(prompt(s, false, 12) == "PROD pro\u2026ult");
    CHECK(prompt(s, false, 6) == "PROD \u2026");
    CHECK(prompt(s, false, 5) == "PROD");
    std::string huge(100000, 'a');
    CHECK(display_width(prompt(snapshot({kube("prod-" + huge)}), false, 40)) == 40);
}

TEST_CASE("format_plain: tier, targets with rule, warnings") {
    std::string p = plain(snapshot({kube("prod-eu")}, {"w\x1b"}), false);
    CHECK(p == "tier: PROD (production)\n"
               "kube  context=prod-eu  cluster=c1  server=https://10.1.2.3:6443  namespace=default  user=admin  PROD"
               "  by built-in: production names (prod, production, prd, live)\n"
               "warning: w\\e\n");
    CHECK(plain(snapshot({}), false) ==
          "tier: none (none)\nno targets: no kube context, PostgreSQL variables or configured env variables\n");
    CHECK(plain(snapshot({kube("prod-eu")}), true).find("tier: \x1b[1;31mPROD\x1b[0m (production)") == 0);
    // A rule's regex reads as the config file wrote it: backslashes single.
    const char* regex_rule = "[[rules]]\ntier = \"production\"\ncontext = { regex = \"^prod\\\\-eu$\" }\n";
    std::string r = plain(snapshot({kube("prod-eu")}, {}, regex_rule), false);
    CHECK(r.find("/^prod\\-eu$/") != std::string::npos);
    CHECK(r.find("\\\\") == std::string::npos);
}

TEST_CASE("format_explain: rule, origins, files and sources") {
    std::string e = explain(snapshot({kube("prod-eu", "payments")}, {"w1"}), false);
    CHECK(e.rfind("This terminal is PROD (production), the most dangerous of its targets.\n", 0) == 0);
    CHECK(e.find("kube target: PROD (production)\n  decided by built-in: production names (prod, production, prd, live)\n") !=
          std::string::npos);
    CHECK(e.find("  context    prod-eu                       from /k:1:18\n") != std::string::npos);
    CHECK(e.find("  namespace  payments                      from -n\n") != std::string::npos);
    CHECK(e.find("  files: /k\n") != std::string::npos);
    CHECK(e.find("  variables and flags: KUBECONFIG\n") != std::string::npos);
    CHECK(e.find("configuration: built-in only; ") != std::string::npos);
    CHECK(e.find("warning: w1\n") != std::string::npos);

    Target broken = kube("x\x1b");
    broken.problems.push_back("cluster \"c1\" has no server");
    e = explain(snapshot({broken}), false);
    CHECK(e.find("  problem: cluster \"c1\" has no server\n") != std::string::npos);
    CHECK(e.find("x\\e") != std::string::npos);
    CHECK(e.find('\x1b') == std::string::npos);
}

TEST_CASE("format_json, format_prompt: terraform, aws and gcloud targets") {
    Target tf;
    tf.kind = Kind::terraform;
    tf.set("workspace", "prod", "/p/.terraform/environment:1");
    tf.set("dir", "/p", "working directory");
    tf.set("backend", "s3 b/env:/prod/k", "/p/.terraform/terraform.tfstate");
    tf.files = {"/p/.terraform/environment"};
    Target aws;
    aws.kind = Kind::aws;
    aws.set("profile", "ops\x1b[31m", "AWS_PROFILE");
    aws.set("account", "1", "");
    Target gc;
    gc.kind = Kind::gcloud;
    gc.set("configuration", "default", "default");
    gc.set("project", "", "");
    Snapshot s = snapshot({tf, aws, gc});
    std::string j = json(s);
    CHECK(j.find("{\"kind\":\"terraform\",\"workspace\":\"prod\",\"dir\":\"/p\",\"backend\":\"s3 b/env:/prod/k\","
                 "\"files\":[\"/p/.terraform/environment\"],\"sources\":[],\"tier\":\"production\"") != std::string::npos);
    CHECK(j.find("{\"kind\":\"aws\",\"profile\":\"ops\\\\e[31m\",\"account\":\"1\",\"sources\":[]") != std::string::npos);
    CHECK(prompt(s, false) == "PROD tf:prod aws:ops\\e[31m gcloud:default");
}
