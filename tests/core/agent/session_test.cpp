#include "sentinel/core/agent/session.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include "tests/fake_fs.hpp"
#include "sentinel/core/display/prompt.hpp"
#include "sentinel/core/snapshot.hpp"

using namespace sentinel;

namespace {

const char* kKubeconfig = R"yaml(apiVersion: v1
kind: Config
current-context: %CTX%
contexts:
- name: staging-eu
  context: {cluster: c1, user: u1}
- name: prod-eu
  context: {cluster: c1, user: u1}
- name: "%F{red}x"
  context: {cluster: c1, user: u1}
- name: "$(touch /tmp/x)"
  context: {cluster: c1, user: u1}
clusters:
- name: c1
  cluster: {server: "https://10.0.0.1:6443"}
users:
- name: u1
  user: {}
)yaml";

View view_for(const std::string& context) {
    std::string text = kKubeconfig;
    text.replace(text.find("%CTX%"), 5, "\"" + context + "\"");
    test::FakeFs fs;
    fs.file("/h/.kube/config", text);
    Snapshot s = evaluate({{"HOME", "/h"}}, fs, {});
    return make_view(s, make_display(s));
}

Session session_with(const std::string& context, Shell shell = Shell::bash) {
    Session s;
    s.shell = shell;
    apply_report(s, {{"HOME", "/h"}}, "/h");
    apply_view(s, view_for(context));
    return s;
}

}  // namespace

TEST_CASE("make_view: tier, label, text and per-kind details") {
    View v = view_for("prod-eu");
    CHECK(v.tier == "production");
    CHECK(v.label == "PROD");
    CHECK(v.text == "PROD prod-eu/default");
    CHECK(v.kube_context == "prod-eu");
    CHECK(v.kube_namespace == "default");
    CHECK(v.colored == "\x1b[1;31mPROD\x1b[0m \x1b[31mprod-eu/default\x1b[0m");
}

TEST_CASE("changed from: a change from elsewhere is marked at the next prompt only") {
    Session s = session_with("staging-eu");
    on_prompt(s);
    CHECK(s.changed_from.empty());
    auto gen = s.gen;
    CHECK(apply_view(s, view_for("prod-eu")));  // another terminal ran use-context
    CHECK(s.gen == gen + 1);
    on_prompt(s);
    CHECK(s.changed_from == "STAGING staging-eu/default");
    CHECK(s.idle);
    on_prompt(s);  // nothing changed since: the mark goes
    CHECK(s.changed_from.empty());
}

TEST_CASE("changed from: the shell's own variables are not a change from elsewhere") {
    Session s = session_with("staging-eu");
    on_prompt(s);
    CHECK(apply_report(s, {{"HOME", "/h"}, {"KUBECONFIG", "/other"}}, "/h"));
    apply_view(s, view_for("prod-eu"));
    on_prompt(s);
    CHECK(s.changed_from.empty());
    // A `cd` is the shell's own change too (dotenv files depend on it).
    CHECK(apply_report(s, {{"HOME", "/h"}, {"KUBECONFIG", "/other"}}, "/elsewhere"));
    CHECK(s.self_change);
    CHECK_FALSE(apply_report(s, {{"HOME", "/h"}, {"KUBECONFIG", "/other"}}, "/elsewhere"));
}

TEST_CASE("changed from: the first prompt is never marked") {
    Session s;
    apply_report(s, {}, "/");
    apply_view(s, view_for("prod-eu"));
    on_prompt(s);
    CHECK(s.changed_from.empty());
}

TEST_CASE("may_paint: at the prompt; for a shell that tells DRAWN, once its editor has drawn") {
    Session s = session_with("staging-eu", Shell::zsh);
    CHECK_FALSE(may_paint(s));  // no prompt yet
    on_prompt(s);
    CHECK(may_paint(s));        // an integration that never sends DRAWN is painted at once
    on_drawn(s);
    CHECK(may_paint(s));
    s.idle = false;             // BUSY
    CHECK_FALSE(may_paint(s));
    on_prompt(s);
    CHECK_FALSE(may_paint(s));  // zle draws its prompt after the reply
    on_drawn(s);
    CHECK(may_paint(s));
}

TEST_CASE("may_paint: bash says DRAWN only after a resize; its prompts are painted at once") {
    Session s = session_with("staging-eu", Shell::bash);
    on_prompt(s);
    on_drawn(s);
    on_prompt(s);
    CHECK(may_paint(s));
}

TEST_CASE("NO_COLOR exported in the shell: the segment loses its colours, at once (issue 8)") {
    Session s = session_with("prod-eu");
    on_prompt(s);
    CHECK(s.current.colored.find('\x1b') != std::string::npos);
    auto gen = s.gen;
    CHECK(apply_report(s, {{"HOME", "/h"}, {"NO_COLOR", "1"}}, "/h"));
    CHECK(apply_view(s, view_for("prod-eu")));
    CHECK(s.gen == gen + 1);  // the shell is answered with the new segment
    CHECK(s.current.colored == "PROD prod-eu/default");
    CHECK(apply_report(s, {{"HOME", "/h"}, {"NO_COLOR", ""}}, "/h"));  // empty: colours again
    CHECK(apply_view(s, view_for("prod-eu")));
    CHECK(s.current.colored.find('\x1b') != std::string::npos);
}

TEST_CASE("parse_report: secrets and bad names are dropped") {
    Vars v = parse_report({"KUBECONFIG=/a:/b", "PGPASSWORD=CANARY", "MY_TOKEN=CANARY", "x[$(id)]=1", "EMPTY="});
    CHECK(v == Vars{{"KUBECONFIG", "/a:/b"}, {"EMPTY", ""}});
}

TEST_CASE("parse_report: a field without '=' is the relay's mark of a REPORT cut to fit a frame") {
    Vars v = parse_report({"HOME=/h", "APP_ENV"});
    CHECK(v == Vars{{"HOME", "/h"}, {sentinel::kUnreportedVariables, "APP_ENV"}});
    v = parse_report({"A", "$(id)"});
    CHECK(v[sentinel::kUnreportedVariables] == "A (a variable)");
}

TEST_CASE("gen_token: a new session never matches an old one's token (bug: \"same\" after a reconnect)") {
    Session a = session_with("dev");
    a.id = 1;
    Session b = session_with("prod-eu");
    b.id = 2;
    b.gen = a.gen;
    CHECK(gen_token("99-1", a) != gen_token("99-1", b));
    Frame reply = state_frame("5", gen_token("99-1", a), "99-1", b, {});
    CHECK(reply.size() == 12);
    CHECK(reply[3] == "production");
}

TEST_CASE("reported_names: built-ins, pg variables, configured env, never secrets") {
    Config c;
    c.env = {"APP_ENV", "DB_PASSWORD", "bad name", "KUBECONFIG"};
    auto names = reported_names(c);
    CHECK(names.front() == "HOME");
    CHECK(std::count(names.begin(), names.end(), "KUBECONFIG") == 1);
    CHECK(std::find(names.begin(), names.end(), "PGHOST") != names.end());
    CHECK(std::find(names.begin(), names.end(), "APP_ENV") != names.end());
    CHECK(std::find(names.begin(), names.end(), "DB_PASSWORD") == names.end());
    CHECK(std::find(names.begin(), names.end(), "PGPASSWORD") == names.end());
    CHECK(std::find(names.begin(), names.end(), "bad name") == names.end());
}

TEST_CASE("escape_for_prompt: bash wraps SGR in \\001 \\002 and leaves the rest as is") {
    CHECK(escape_for_prompt("\x1b[1;31mPROD\x1b[0m $(id) `id` \\w %F", Shell::bash) ==
          "\001\x1b[1;31m\002PROD\001\x1b[0m\002 $(id) `id` \\w %F");
}

TEST_CASE("escape_for_prompt: zsh doubles % and wraps SGR in %{ %}") {
    CHECK(escape_for_prompt("\x1b[31m%F{red}x%\x1b[0m", Shell::zsh) == "%{\x1b[31m%}%%F{red}x%%%{\x1b[0m%}");
    CHECK(escape_for_prompt("%(?.a.b)%{x%}", Shell::zsh) == "%%(?.a.b)%%{x%%}");
}

TEST_CASE("escape_for_prompt: a stray ESC is dropped, other shells get no colour") {
    CHECK(escape_for_prompt("a\x1b]0;t\x1b[2Jb", Shell::bash) == "a]0;t[2Jb");
    CHECK(escape_for_prompt("\x1b[31mx\x1b[0m", Shell::other) == "x");
}

TEST_CASE("prompt_segment: injection names stay text; the mark is appended") {
    Session z = session_with("%F{red}x", Shell::zsh);
    on_prompt(z);
    std::string seg = prompt_segment(z);
    CHECK(seg.find("%%F{red}x") != std::string::npos);
    CHECK(seg.find("%F{red}x") == seg.find("%%F{red}x") + 1);

    Session b = session_with("$(touch /tmp/x)");
    on_prompt(b);
    apply_view(b, view_for("prod-eu"));
    on_prompt(b);
    CHECK(prompt_segment(b) ==
          "\001\x1b[1;31m\002PROD\001\x1b[0m\002 \001\x1b[31m\002prod-eu/default\001\x1b[0m\002 "
          "\001\x1b[1m\002(changed from UNKNOWN $(touch /tmp/x)/default)\001\x1b[0m\002");
}

TEST_CASE("state_frame: short when the shell already has this generation") {
    Session s = session_with("prod-eu");
    s.id = 3;
    on_prompt(s);
    std::string token = gen_token("99-1", s);
    Frame full = state_frame("7", "", "99-1", s, {"HOME", "KUBECONFIG"});
    REQUIRE(full.size() == 12);
    CHECK(full[0] == "STATE");
    CHECK(full[1] == "7");
    CHECK(full[2] == token);
    CHECK(full[3] == "production");
    CHECK(full[4] == "PROD");
    CHECK(full[7] == "prod-eu");
    CHECK(full[11] == "HOME KUBECONFIG");
    CHECK(state_frame("8", token, "99-1", s, {}) == Frame{"STATE", "8", token});
    CHECK(state_frame("8", token, "other-instance", s, {}).size() == 12);
}

TEST_CASE("absolute_paths: relative kubeconfig and service files are the shell's") {
    Vars v = {{"KUBECONFIG", "a/config::/etc/k:../b"}, {"PGSERVICEFILE", "svc.conf"}, {"PGSYSCONFDIR", "/etc/pg"},
              {"PGHOST", "db"}, {"HOME", "/home/u"}};
    Vars got = sentinel::absolute_paths(v, "/home/u/work");
    CHECK(got["KUBECONFIG"] == "/home/u/work/a/config::/etc/k:/home/u/work/../b");
    CHECK(got["PGSERVICEFILE"] == "/home/u/work/svc.conf");
    CHECK(got["PGSYSCONFDIR"] == "/etc/pg");
    CHECK(got["PGHOST"] == "db");
    CHECK(sentinel::absolute_paths(v, "/")["PGSERVICEFILE"] == "/svc.conf");
    CHECK(sentinel::absolute_paths(v, "relative") == v);
    CHECK(sentinel::absolute_paths({{"KUBECONFIG", ""}}, "/x")["KUBECONFIG"] == "");
}
