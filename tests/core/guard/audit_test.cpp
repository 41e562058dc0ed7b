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

}  // namespace sentinel
