#include "sentinel/core/kube/kubeconfig.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

using sentinel::Error;
using sentinel::Kubeconfig;
using sentinel::parse_kubeconfig;

namespace {

const std::string kPath = "/home/u/.kube/config";

Kubeconfig must_parse(std::string_view yaml) {
    auto r = parse_kubeconfig(yaml, kPath);
    if (!r) FAIL("unexpected error: " << r.error().to_string());
    return r.value();
}

// The error as printed; checks it names the file and does not echo the canary.
std::string must_fail(std::string_view yaml) {
    auto r = parse_kubeconfig(yaml, kPath);
    if (r) FAIL("parsed, expected an error");
    std::string text = r.error().to_string();
    CHECK(text.rfind(kPath + ":", 0) == 0);
    CHECK(text.find("CANARY") == std::string::npos);
    return text;
}

std::string where(const sentinel::Pos& p) { return std::to_string(p.line) + ":" + std::to_string(p.col); }

const char* const kFull =
    "apiVersion: v1\n"
    "kind: Config\n"
    "current-context: prod-eu\n"
    "contexts:\n"
    "- name: prod-eu\n"
    "  context:\n"
    "    cluster: eu\n"
    "    user: admin\n"
    "    namespace: payments\n"
    "clusters:\n"
    "- name: eu\n"
    "  cluster:\n"
    "    server: https://eu.example.com\n"
    "    certificate-authority-data: AAAA\n"
    "users:\n"
    "- name: admin\n"
    "  user:\n"
    "    token: CANARY-token\n"
    "    client-key-data: CANARY-key\n";

}  // namespace

TEST_CASE("kubeconfig: values and their line:col") {
    Kubeconfig k = must_parse(kFull);
    REQUIRE(k.current_context);
    CHECK(k.current_context->value == "prod-eu");
    CHECK(where(k.current_context->pos) == "3:18");
    REQUIRE(k.contexts.count("prod-eu"));
    const auto& c = k.contexts.at("prod-eu");
    CHECK(where(c.pos) == "5:9");
    CHECK(c.cluster.value == "eu");
    CHECK(where(c.cluster.pos) == "7:14");
    CHECK(c.user.value == "admin");
    CHECK(where(c.user.pos) == "8:11");
    CHECK(c.namespace_.value == "payments");
    CHECK(where(c.namespace_.pos) == "9:16");
    REQUIRE(k.clusters.count("eu"));
    REQUIRE(k.clusters.at("eu").server);
    CHECK(k.clusters.at("eu").server->value == "https://eu.example.com");
    CHECK(where(k.clusters.at("eu").server->pos) == "13:13");
    CHECK(where(k.users.at("admin").pos) == "16:9");
}

TEST_CASE("kubeconfig: empty, comments only, null and empty values are an empty config") {
    for (const char* text : {"", "# only a comment\n", "null\n", "~", "---\n", "\n\n"}) {
        CAPTURE(text);
        Kubeconfig k = must_parse(text);
        CHECK_FALSE(k.current_context);
        CHECK(k.contexts.empty());
    }
    // `contexts:` and `clusters: null` (as kubectl itself writes) are left out: see the report.
    Kubeconfig k = must_parse("current-context: \"\"\ncontexts: []\nusers: []\n");
    CHECK_FALSE(k.current_context);
    CHECK(k.contexts.empty());
    CHECK(k.users.empty());
}

TEST_CASE("kubeconfig: absent keys and a cluster without server") {
    Kubeconfig k = must_parse("contexts:\n- name: bare\nclusters:\n- name: c\n  cluster:\n    insecure-skip-tls-verify: true\n");
    REQUIRE(k.contexts.count("bare"));
    CHECK(k.contexts.at("bare").cluster.value == "");
    CHECK(k.contexts.at("bare").cluster.pos.line == 0);
    CHECK_FALSE(k.clusters.at("c").server);
}

TEST_CASE("kubeconfig: JSON") {
    Kubeconfig k = must_parse(
        "{\"kind\":\"Config\",\"current-context\":\"dev\",\n"
        " \"contexts\":[{\"name\":\"dev\",\"context\":{\"cluster\":\"c\",\"namespace\":\"ns\"}}],\n"
        " \"clusters\":[{\"name\":\"c\",\"cluster\":{\"server\":\"https://c:6443\"}}],\"users\":[]}\n");
    CHECK(k.current_context->value == "dev");
    CHECK(k.contexts.at("dev").namespace_.value == "ns");
    CHECK(k.contexts.at("dev").namespace_.pos.line == 2);
    CHECK(k.clusters.at("c").server->value == "https://c:6443");
}

TEST_CASE("kubeconfig: anchors, aliases and merge keys") {
    Kubeconfig k = must_parse(
        "base: &base\n"
        "  cluster: eu\n"
        "  user: admin\n"
        "current-context: &cc prod\n"
        "contexts:\n"
        "- name: *cc\n"
        "  context:\n"
        "    <<: *base\n"
        "    namespace: payments\n"
        "- name: staging\n"
        "  context:\n"
        "    <<: [{namespace: web}, *base]\n"
        "    user: deployer\n");
    CHECK(k.current_context->value == "prod");
    const auto& prod = k.contexts.at("prod");
    CHECK(prod.cluster.value == "eu");
    CHECK(where(prod.cluster.pos) == "2:12");
    CHECK(prod.user.value == "admin");
    CHECK(prod.namespace_.value == "payments");
    const auto& staging = k.contexts.at("staging");
    CHECK(staging.user.value == "deployer");  // an explicit key beats a merged one
    CHECK(staging.cluster.value == "eu");
    CHECK(staging.namespace_.value == "web");
}

TEST_CASE("kubeconfig: a key twice in one mapping: the last wins, as in kubectl (go-yaml)") {
    Kubeconfig k = must_parse("current-context: dev\ncontexts:\n- name: x\n  context: {cluster: a, cluster: b}\n"
                              "current-context: prod\n");
    CHECK(k.current_context->value == "prod");
    CHECK(k.contexts.at("x").cluster.value == "b");
}

TEST_CASE("kubeconfig: unquoted YAML 1.1 numbers and booleans in a string field are errors, as in kubectl") {
    CHECK(must_fail("current-context: 0x1F\n") ==
          kPath + ":1:18: \"current-context\" is a number or boolean in YAML 1.1, as kubectl reads it; put the value in quotes");
    CHECK(must_fail("contexts:\n- name: yes\n").find(":2:9: \"name\" is a number or boolean") != std::string::npos);
    CHECK(must_parse("current-context: \"0x1F\"\n").current_context->value == "0x1F");
    CHECK(must_parse("current-context: prod-1\n").current_context->value == "prod-1");
}

TEST_CASE("kubeconfig: a name twice in one file is an error at the second") {
    std::string e = must_fail("contexts:\n- name: a\n- name: b\n- name: a\n");
    CHECK(e == kPath + ":4:9: duplicate name in \"contexts\"");
    e = must_fail("users:\n- name: u\n- name: u\n");
    CHECK(e == kPath + ":3:9: duplicate name in \"users\"");
}

TEST_CASE("kubeconfig: wrong shapes are errors with a position") {
    // The position of these two is not checked: see the report (skipped scalars lose it).
    CHECK(must_fail("contexts: prod\n").find("\"contexts\" must be a list") != std::string::npos);
    CHECK(must_fail("clusters:\n- just-a-name\n").find("each entry of \"clusters\" must be a mapping") !=
          std::string::npos);
    CHECK(must_fail("contexts:\n- name: x\n  context: [a]\n") == kPath + ":3:12: \"context\" must be a mapping");
    CHECK(must_fail("current-context: [a]\n") == kPath + ":1:18: \"current-context\" must be a string");
    CHECK(must_fail("contexts:\n- name: {a: b}\n") == kPath + ":2:9: \"name\" must be a string");
    CHECK(must_fail("- a\n- b\n") == kPath + ":1:1: a kubeconfig must be a mapping");
}

TEST_CASE("kubeconfig: syntax errors give line:col and never the line's text") {
    SUBCASE("truncated") {
        std::string e = must_fail("users:\n- name: admin\n  user:\n    token: \"CANARY-unterminated\n");
        CHECK(e == kPath + ":4:13: invalid YAML: double-quoted scalar without closing quote");
    }
    SUBCASE("tab indentation") {
        std::string e = must_fail("contexts:\n\t- name: CANARY\n");
        CHECK(e == kPath + ":2:1: invalid YAML: tab character may not be used as indentation");
    }
    SUBCASE("bad escape in a quoted token") {
        std::string e = must_fail("users:\n- name: u\n  user:\n    token: \"CANARY\\q\"\n");
        CHECK(e == kPath + ":4:19: invalid YAML: invalid escape 'q' in double-quoted string");
    }
    SUBCASE("unclosed flow mapping") {
        std::string e = must_fail("users: [{name: u, user: {token: CANARY}\n");
        CHECK(e.find("invalid YAML") != std::string::npos);
    }
    SUBCASE("invalid UTF-8") {
        std::string e = must_fail("current-context: prod\xff\n");
        CHECK(e == kPath + ":1:22: not UTF-8 text");
    }
    SUBCASE("a binary file") {
        std::string bin;
        for (int i = 0; i < 512; ++i) bin += static_cast<char>((i * 37) % 255 + 1);  // no NUL: see the report
        must_fail(bin);
    }
}

TEST_CASE("kubeconfig: text kubectl refuses never reaches libfyaml (bug: endless loop on %\\x8d)") {
    // libfyaml 0.7.12 spun forever in fy_scan_directive on these three bytes.
    CHECK(must_fail("%\x8d\n") == kPath + ":1:2: not UTF-8 text");
    CHECK(must_fail("%\xc2\x8d\n") == kPath + ":1:2: control character (not allowed in YAML)");
    CHECK(must_fail("a: b\n%YAML\x01\n") == kPath + ":2:6: control character (not allowed in YAML)");
    CHECK(must_fail(std::string("current-context: a\0b\n", 22)) == kPath + ":1:19: NUL byte: not a text file");
    CHECK(must_fail("x: \x7f\n") == kPath + ":1:4: control character (not allowed in YAML)");
    CHECK(must_fail("x: \xef\xbf\xbe\n") == kPath + ":1:4: control character (not allowed in YAML)");  // U+FFFE
    CHECK(must_fail("x: \xed\xa0\x80\n") == kPath + ":1:4: not UTF-8 text");                  // a surrogate
    // What YAML allows still parses: a BOM, NEL, CRLF, tabs inside values, non-ASCII names.
    Kubeconfig k = must_parse("\xef\xbb\xbf" "current-context: \"pr\xc3\xb6" "d\tx\"\r\n");
    REQUIRE(k.current_context);
    CHECK(k.current_context->value == "pr\xc3\xb6" "d\tx");
}

TEST_CASE("kubeconfig: an alias bomb finishes fast") {
    std::string bomb = "a: &a [\"CANARY\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n";
    for (char c = 'b'; c <= 'i'; ++c) {
        std::string prev(1, static_cast<char>(c - 1));
        bomb += std::string(1, c) + ": &" + c + " [*" + prev;
        for (int i = 0; i < 8; ++i) bomb += ",*" + prev;
        bomb += "]\n";
    }
    bomb += "contexts: *i\n";
    auto start = std::chrono::steady_clock::now();
    auto r = parse_kubeconfig(bomb, kPath);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    CHECK(ms < 100);
    REQUIRE_FALSE(r);
    CHECK(r.error().to_string().find("CANARY") == std::string::npos);
}

TEST_CASE("kubeconfig: a cyclic alias is an error") {
    CHECK(must_fail("a: &a [*a]\n").find(kPath + ":1:") == 0);
    CHECK(must_fail("a: &a [*a]\n").find("alias to an undefined or enclosing anchor") != std::string::npos);
    CHECK(must_fail("contexts: *nowhere\n").find("alias to an undefined") != std::string::npos);
}

TEST_CASE("kubeconfig: deep nesting hits the depth limit, no crash") {
    std::string e = must_fail(std::string(100000, '['));
    CHECK(e == kPath + ":1:65: nesting deeper than 64 levels");
    std::string maps;
    for (int i = 0; i < 10000; ++i) maps += "{a: ";
    e = must_fail(maps);
    CHECK(e.find("nesting deeper than 64 levels") != std::string::npos);
    std::string block;
    for (int i = 0; i < 200; ++i) block += std::string(i, ' ') + "a:\n";
    e = must_fail(block);
    CHECK(e.find("nesting deeper than 64 levels") != std::string::npos);
}

TEST_CASE("kubeconfig: secrets never appear in errors") {
    std::string e = must_fail(std::string(kFull) + "current-context: [CANARY]\n");
    CHECK(e.find("CANARY") == std::string::npos);
    // A secret at the place of the error.
    e = must_fail("users:\n- name: u\n  user:\n    token: [CANARY-token, {]\n");
    CHECK(e.find("CANARY") == std::string::npos);
}

TEST_CASE("kubeconfig: the cache codec gives back what the parser kept") {
    Kubeconfig k = must_parse(std::string(kFull) +
                              "preferences: {}\n"
                              "contexts:\n"  // a later duplicate key replaces the list above, as in kubectl
                              "- name: \"tab\\there\\\\back\\nline\"\n"
                              "  context: {cluster: \"c\\\\1\", namespace: \"\\u0000x\"}\n");
    REQUIRE(k.contexts.size() == 1);
    std::string encoded = sentinel::encode_kubeconfig(k);
    auto back = sentinel::decode_kubeconfig(encoded);
    REQUIRE(back);
    CHECK(sentinel::encode_kubeconfig(back.value()) == encoded);
    CHECK(back->current_context->value == "prod-eu");
    CHECK(where(back->current_context->pos) == "3:18");
    REQUIRE(back->contexts.count("tab\there\\back\nline"));
    const auto& c = back->contexts.at("tab\there\\back\nline");
    CHECK(c.cluster.value == "c\\1");
    CHECK(c.namespace_.value == std::string("\0x", 2));
    CHECK(where(c.pos) == where(k.contexts.begin()->second.pos));
    CHECK(back->clusters.at("eu").server->value == "https://eu.example.com");
    CHECK(back->users.count("admin"));
    CHECK(encoded.find("CANARY") == std::string::npos);

    CHECK_FALSE(sentinel::decode_kubeconfig("current\tx\t1"));           // no newline
    CHECK_FALSE(sentinel::decode_kubeconfig("cluster\tc\t1\n"));         // too few fields
    CHECK_FALSE(sentinel::decode_kubeconfig("user\tu\tone\t2\n"));       // not a number
    CHECK(sentinel::decode_kubeconfig("").value().contexts.empty());
}
