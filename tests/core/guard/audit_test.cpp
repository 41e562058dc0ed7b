#include <doctest/doctest.h>

#include "sentinel/core/guard/audit.hpp"

namespace sentinel {

TEST_CASE("rfc3339_utc") {
    CHECK(rfc3339_utc(0) == "1970-01-01T00:00:00Z");
    CHECK(rfc3339_utc(1795446103) == "2026-11-23T15:01:43Z");
}

TEST_CASE("audit record: one ASCII JSON line, names sanitized") {
    AuditRecord r;
    r.time = 0;
    r.user = "alice";
    r.uid = 1000;
    r.pid = 42;
    r.tty = "/dev/pts/3";
    r.tier = "production";
    r.kind = "kube";
    r.target = "prod-\x1b[2J\xe2\x80\xae";
    r.fields = {{"context", "prod"}, {"namespace", "payments"}};
    r.tool = "kubectl";
    r.action = "delete";
    r.risk = "write";
    r.decision = "refused";
    r.reason = "wrong answer";
    std::string line = format_audit_record(r);
    CHECK(line ==
          "{\"time\":\"1970-01-01T00:00:00Z\",\"user\":\"alice\",\"uid\":1000,\"pid\":42,\"tty\":\"/dev/pts/3\","
          "\"tier\":\"production\",\"kind\":\"kube\",\"target\":\"prod-\\\\e[2J\\\\u{202e}\",\"fields\":{\"context\":"
          "\"prod\",\"namespace\":\"payments\"},\"tool\":\"kubectl\",\"action\":\"delete\",\"risk\":\"write\","
          "\"decision\":\"refused\",\"reason\":\"wrong answer\"}\n");
    for (char c : line) CHECK((static_cast<unsigned char>(c) < 0x80 && (c >= 0x20 || c == '\n')));
}

TEST_CASE("audit line for people") {
    CHECK(format_audit_line("{\"time\":\"T\",\"decision\":\"confirmed\",\"tier\":\"production\",\"kind\":\"pg\","
                            "\"target\":\"prod\",\"tool\":\"psql\",\"action\":\"DELETE\",\"reason\":\"answered\","
                            "\"tty\":\"/dev/pts/1\",\"user\":\"bob\"}") ==
          "T confirmed production pg prod psql DELETE (answered) /dev/pts/1 bob");
    CHECK(format_audit_line("not json") == "(unreadable record)");
    CHECK(format_audit_line("{\"target\":\"a\\u001b[31mb\"}").find('\x1b') == std::string::npos);
}

TEST_CASE("audit --json: a stored record comes back byte for byte, an edited one escaped") {
    AuditRecord r;
    r.time = 0;
    r.target = "app@localhost:5432 \xe2\x86\x92 kubectl port-forward";  // the chain's arrow
    r.decision = "refused";
    std::string stored = format_audit_record(r);
    stored.pop_back();  // the newline
    REQUIRE(audit_json_line(stored).has_value());
    CHECK(*audit_json_line(stored) == stored);
    CHECK(stored.find("\\u2192") != std::string::npos);

    // Raw UTF-8 (valid JSON, but not what sentinel writes) comes back escaped.
    auto edited = audit_json_line("{\"target\":\"\xe2\x80\xae\xe2\x86\x92\"}");
    REQUIRE(edited.has_value());
    CHECK(*edited == "{\"target\":\"\\u202e\\u2192\"}");
    // A raw control byte is not JSON at all (RFC 8259 section 7): left out.
    CHECK_FALSE(audit_json_line("{\"target\":\"\x1b]0;owned\x07\"}").has_value());

    CHECK_FALSE(audit_json_line("not json").has_value());
    CHECK_FALSE(audit_json_line("[1,2]").has_value());
}

}  // namespace sentinel
