#pragma once
// Audit records: one JSON line per question, confirmation, refusal and
// override. Pure formatting; io_audit appends them to the log.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sentinel {

/// One audited event. Strings are raw; format_audit_record sanitizes them.
/// Never holds a secret: targets carry none, the typed answer is never
/// recorded, and SQL text is reduced to its statement kind.
struct AuditRecord {
    std::int64_t time = 0;   ///< Unix seconds (UTC)
    std::string user;        ///< login name
    long uid = -1;
    long pid = -1;
    std::string tty;         ///< the controlling terminal's path, "" without one
    std::string tier;
    std::string kind;        ///< "kube", "pg", "env" or "" without a target
    std::string target;      ///< the target's name (Target::display_name)
    std::vector<std::pair<std::string, std::string>> fields;  ///< the target's non-empty fields
    std::string tool;        ///< "psql", "kubectl", "helm", "confirm", or a program's base name
    std::string action;      ///< verb or statement kind ("delete", "DELETE without WHERE")
    std::string risk;        ///< "read", "write", "destructive"
    std::string decision;    ///< "confirmed", "refused", "override"
    std::string reason;      ///< "answered", "wrong answer", "end of input", "timeout", "no terminal", ...
    std::string undo;        ///< the undo copy's id, for records about a copy or a restore; "" otherwise
};

/// `unix_seconds` as RFC 3339 UTC, e.g. "2026-11-23T15:21:43Z".
std::string rfc3339_utc(std::int64_t unix_seconds);

/// The record as one line of JSON ending in "\n" (ASCII only, every string
/// sanitized): {"time","user","uid","pid","tty","tier","kind","target",
/// "fields":{...},"tool","action","risk","decision","reason"}, and "undo"
/// when the record is about an undo copy or a restore.
std::string format_audit_record(const AuditRecord& record);

/// One line of the log made readable for `sentinel audit`:
/// "TIME DECISION TIER KIND TARGET TOOL ACTION (REASON) tty USER".
/// A line that is not a JSON object prints as "(unreadable record)".
/// Everything printed is sanitized (the log is a file others could edit).
std::string format_audit_line(std::string_view json_line);

/// One line of the log for `sentinel audit --json`: the record as stored
/// when it is a JSON object of printable ASCII (what format_audit_record
/// writes), else the object written again with every non-ASCII and control
/// character as a \uXXXX escape (RFC 8259 section 7), so that an edited
/// log cannot reach the terminal with raw bytes. A line that is not a JSON
/// object returns nullopt.
std::optional<std::string> audit_json_line(std::string_view json_line);

}  // namespace sentinel
