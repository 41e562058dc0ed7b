#include "sentinel/core/kube/resolve.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include "tests/fake_fs.hpp"

using namespace sentinel;
using sentinel::test::FakeFs;

namespace {

const char* const kFileA =
    "current-context: a-ctx\n"
    "contexts:\n"
    "- name: a-ctx\n"
    "  context: {cluster: shared, user: shared, namespace: a-ns}\n"
    "- name: shared-ctx\n"
    "  context: {cluster: shared, user: shared}\n"
    "clusters:\n"
    "- name: shared\n"
    "  cluster: {server: https://a.example}\n"
    "users:\n"
    "- name: shared\n"
    "  user: {token: CANARY}\n";

const char* const kFileB =
    "current-context: b-ctx\n"
    "contexts:\n"
    "- name: b-ctx\n"
    "  context: {cluster: b, user: b-user}\n"
    "- name: shared-ctx\n"
    "  context: {cluster: b, user: b-user, namespace: from-b}\n"
    "- name: a-ctx\n"
    "  context: {cluster: b, user: b-user, namespace: from-b}\n"
    "clusters:\n"
    "- name: shared\n"
    "  cluster: {server: https://b.example}\n"
    "- name: b\n"
    "  cluster: {server: https://b-only.example}\n"
    "users:\n"
    "- name: b-user\n"
    "- name: shared\n";

// A terminal's kube setup: files, variables, and what resolution said.
struct Kube {
    FakeFs fs;
    Vars vars{{"HOME", "/home/u"}};
    std::vector<std::string> warnings;

    Kube() { fs.file("/a", kFileA).file("/b", kFileB); }

    std::optional<Target> run(const std::vector<std::string>& args = {}, bool command_given = true) {
        ParsingKubeconfigLoader loader(fs);
        return resolve_kube(vars, loader, parse_kube_args(args), command_given, warnings);
    }
    Target must_resolve(const std::vector<std::string>& args = {}) {
        auto t = run(args);
        REQUIRE(t);
        return *t;
    }
    bool warned(const std::string& text) const {
        return std::any_of(warnings.begin(), warnings.end(),
                           [&](const std::string& w) { return w.find(text) != std::string::npos; });
    }
};

bool has_problem(const Target& t, const std::string& text) {
    return std::any_of(t.problems.begin(), t.problems.end(),
                       [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

std::vector<std::string> paths_of(const Vars& vars, const std::vector<std::string>& args = {}) {
    return kubeconfig_paths(vars, parse_kube_args(args));
}

using Paths = std::vector<std::string>;

}  // namespace

TEST_CASE("kubeconfig_paths: KUBECONFIG list, HOME default, --kubeconfig") {
    CHECK(paths_of({{"HOME", "/home/u"}}) == Paths{"/home/u/.kube/config"});
    CHECK(paths_of({}).empty());
    CHECK(paths_of({{"HOME", "/home/u"}, {"KUBECONFIG", "/a:/b"}}) == Paths{"/a", "/b"});
    CHECK(paths_of({{"KUBECONFIG", "::/a::/b:/a:"}}) == Paths{"/a", "/b"});
    CHECK(paths_of({{"HOME", "/home/u"}, {"KUBECONFIG", ""}}) == Paths{"/home/u/.kube/config"});
    CHECK(paths_of({{"KUBECONFIG", "/a:/b"}}, {"--kubeconfig", "/c"}) == Paths{"/c"});
}

TEST_CASE("resolve_kube: the first file in KUBECONFIG sets current-context") {
    Kube k;
    k.vars["KUBECONFIG"] = "/a:/b";
    Target t = k.must_resolve();
    CHECK(t.problems.empty());
    CHECK(t.get("context") == "a-ctx");
    CHECK(t.find("context")->origin == "/a:1:18");
    CHECK(t.get("cluster") == "shared");
    CHECK(t.get("server") == "https://a.example");
    CHECK(t.find("server")->origin == "/a:9:21");
    CHECK(t.get("namespace") == "a-ns");
    CHECK(t.get("user") == "shared");
    CHECK(t.files == Paths{"/a"});
    CHECK(t.sources == Paths{"KUBECONFIG"});

    k.vars["KUBECONFIG"] = "/b:/a";
    t = k.must_resolve();
    CHECK(t.get("context") == "b-ctx");
    CHECK(t.get("server") == "https://b-only.example");
}

TEST_CASE("resolve_kube: entries are taken whole from the first file that names them") {
    Kube k;
    k.vars["KUBECONFIG"] = "/b:/a";
    Target t = k.must_resolve({"--context", "a-ctx"});
    // /b defines a-ctx too, and comes first: its namespace, cluster and user.
    CHECK(t.get("namespace") == "from-b");
    CHECK(t.get("cluster") == "b");
    CHECK(t.find("context")->origin == "--context");
    CHECK(t.sources == Paths{"KUBECONFIG", "--context"});

    // Cluster "shared" comes from /a when /a is first, from /b otherwise.
    k.vars["KUBECONFIG"] = "/a:/b";
    CHECK(k.must_resolve({"--context=shared-ctx"}).get("server") == "https://a.example");
    k.fs.file("/c", "contexts:\n- name: c\n  context: {cluster: shared, user: shared}\n");
    k.vars["KUBECONFIG"] = "/c:/b:/a";
    t = k.must_resolve({"--context=c"});
    CHECK(t.get("server") == "https://b.example");
    CHECK(t.get("namespace") == "default");
    CHECK(t.files == Paths{"/c", "/b"});
}

TEST_CASE("resolve_kube: missing files are skipped with a warning") {
    Kube k;
    k.vars["KUBECONFIG"] = "/missing:/a";
    Target t = k.must_resolve();
    CHECK(t.problems.empty());
    CHECK(t.get("context") == "a-ctx");
    CHECK(k.warned("/missing: KUBECONFIG names a file that does not exist"));
}

TEST_CASE("resolve_kube: an unreadable or malformed file makes the target unknown, the others still count") {
    Kube k;
    k.fs.error("/locked", "permission denied");
    k.vars["KUBECONFIG"] = "/locked:/a";
    Target t = k.must_resolve();
    CHECK(t.get("context") == "a-ctx");
    CHECK(t.problems == Paths{"/locked: permission denied"});
    CHECK(k.warned("/locked: permission denied"));

    Kube m;
    m.fs.file("/bad", "contexts: [\n");
    m.vars["KUBECONFIG"] = "/a:/bad";
    t = m.must_resolve();
    CHECK(t.get("context") == "a-ctx");
    REQUIRE(t.problems.size() == 1);
    CHECK(t.problems[0].rfind("/bad:", 0) == 0);
}

TEST_CASE("resolve_kube: --kubeconfig replaces KUBECONFIG; a missing one is a problem") {
    Kube k;
    k.vars["KUBECONFIG"] = "/a";
    Target t = k.must_resolve({"--kubeconfig=/b"});
    CHECK(t.get("context") == "b-ctx");
    CHECK(t.sources == Paths{"--kubeconfig"});
    t = k.must_resolve({"--kubeconfig", "/nope"});
    CHECK(has_problem(t, "/nope: --kubeconfig names a file that does not exist"));
}

TEST_CASE("resolve_kube: HOME/.kube/config by default") {
    Kube k;
    k.fs.file("/home/u/.kube/config", kFileB);
    Target t = k.must_resolve();
    CHECK(t.get("context") == "b-ctx");
    CHECK(t.find("context")->origin == "/home/u/.kube/config:1:18");
    CHECK(t.sources.empty());
}

TEST_CASE("resolve_kube: dangling context, missing cluster or user, cluster without server") {
    Kube k;
    k.fs.file("/d",
              "current-context: gone\n"
              "contexts:\n"
              "- name: no-cluster\n"
              "  context: {cluster: nowhere, user: u}\n"
              "- name: no-user\n"
              "  context: {cluster: c, user: nobody}\n"
              "- name: no-server\n"
              "  context: {cluster: empty, user: u}\n"
              "- name: nothing\n"
              "  context: {user: u}\n"
              "clusters:\n"
              "- name: c\n"
              "  cluster: {server: https://c}\n"
              "- name: empty\n"
              "  cluster: {insecure-skip-tls-verify: true}\n"
              "users:\n"
              "- name: u\n");
    k.vars["KUBECONFIG"] = "/d";
    Target t = k.must_resolve();
    CHECK(t.get("context") == "gone");
    CHECK(t.problems == Paths{"context \"gone\" is not defined in any kubeconfig file"});
    CHECK(k.warned("(from /d:1:18)"));

    t = k.must_resolve({"--context=no-cluster"});
    CHECK(t.problems == Paths{"cluster \"nowhere\" is not defined in any kubeconfig file"});
    CHECK(k.warned("/d:4:22: context \"no-cluster\" names cluster \"nowhere\", which is not defined"));

    t = k.must_resolve({"--context=no-user"});
    CHECK(t.problems == Paths{"user \"nobody\" is not defined in any kubeconfig file"});

    t = k.must_resolve({"--context=no-server"});
    CHECK(t.problems == Paths{"cluster \"empty\" has no server"});
    CHECK(t.get("server") == "");

    t = k.must_resolve({"--context=nothing"});
    CHECK(t.problems == Paths{"context \"nothing\" names no cluster"});

    // A --server flag supplies what the file lacks.
    t = k.must_resolve({"--context=no-server", "--server=https://s"});
    CHECK(t.problems.empty());
    CHECK(t.get("server") == "https://s");
}

TEST_CASE("resolve_kube: namespace default and flag overrides with their origins") {
    Kube k;
    k.vars["KUBECONFIG"] = "/a:/b";
    Target t = k.must_resolve({"--context=shared-ctx"});
    CHECK(t.get("namespace") == "default");
    CHECK(t.find("namespace")->origin == "default");

    t = k.must_resolve({"get", "pods", "-n", "kube-system"});
    CHECK(t.get("namespace") == "kube-system");
    CHECK(t.find("namespace")->origin == "-n");
    t = k.must_resolve({"--namespace=web", "get", "pods"});
    CHECK(t.find("namespace")->origin == "--namespace");

    t = k.must_resolve({"--cluster=b", "--user=b-user", "--server=https://override"});
    CHECK(t.get("cluster") == "b");
    CHECK(t.find("cluster")->origin == "--cluster");
    CHECK(t.get("user") == "b-user");
    CHECK(t.find("user")->origin == "--user");
    CHECK(t.get("server") == "https://override");
    CHECK(t.find("server")->origin == "--server");
    CHECK(t.problems.empty());
}

TEST_CASE("resolve_kube: no kubeconfig at all") {
    SUBCASE("a terminal: no target, a note") {
        Kube k;
        k.vars = {{"HOME", "/nohome"}};
        CHECK_FALSE(k.run({}, false));
        CHECK(k.warned("kube: no kubeconfig"));
    }
    SUBCASE("a command: an unknown target saying why") {
        Kube k;
        k.vars = {{"HOME", "/nohome"}};
        Target t = k.must_resolve({"get", "pods"});
        CHECK(t.problems == Paths{"no kubeconfig: /nohome/.kube/config does not exist"});
    }
    SUBCASE("KUBECONFIG naming only missing files") {
        Kube k;
        k.vars["KUBECONFIG"] = "/x:/y";
        Target t = k.must_resolve();
        CHECK(t.problems == Paths{"no kubeconfig: none of the KUBECONFIG files exists"});
        CHECK(k.warned("/x: KUBECONFIG names a file that does not exist"));
    }
    SUBCASE("no HOME") {
        Kube k;
        k.vars.clear();
        CHECK(k.must_resolve().problems == Paths{"no kubeconfig: HOME is not set"});
    }
    SUBCASE("a kubeconfig without current-context in a terminal") {
        Kube k;
        k.fs.file("/e", "contexts: []\n");
        k.vars["KUBECONFIG"] = "/e";
        CHECK_FALSE(k.run({}, false));
        CHECK(k.warned("kube: no current-context"));
        CHECK(k.must_resolve().problems == Paths{"no current-context is set"});
    }
}

TEST_CASE("resolve_kube: more than 256 KUBECONFIG entries") {
    Kube k;
    std::string list = "/a";
    for (int i = 0; i < 300; ++i) list += ":/f" + std::to_string(i);
    k.vars["KUBECONFIG"] = list;
    Target t = k.must_resolve();
    CHECK(has_problem(t, "KUBECONFIG lists more than 256 files"));
    CHECK(k.fs.reads == 256);
    CHECK(t.get("context") == "a-ctx");  // still shown, but unknown
}

TEST_CASE("resolve_kube: secrets of the files never reach the target or warnings") {
    Kube k;
    k.vars["KUBECONFIG"] = "/a:/b";
    Target t = k.must_resolve();
    REQUIRE_FALSE(t.fields.empty());
    for (const Field& f : t.fields) CHECK(f.value.find("CANARY") == std::string::npos);
    for (const std::string& w : k.warnings) CHECK(w.find("CANARY") == std::string::npos);
}
