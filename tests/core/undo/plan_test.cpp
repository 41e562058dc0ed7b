#include <doctest/doctest.h>

#include "sentinel/core/undo/plan.hpp"

namespace sentinel {
namespace {

UndoInputs one(const std::string& sql, std::optional<bool> volatile_calls = false) {
    UndoInputs in;
    in.statements = classify_sql(sql).statements;
    StatementPreview p;
    p.volatile_calls = volatile_calls;
    p.copy_bytes = 1000;
    in.previews = {p};
    in.one_transaction = true;
    in.pg_dump_available = true;
    return in;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
    for (const auto& x : v)
        if (x == s) return true;
    return false;
}

}  // namespace

TEST_CASE("undo plan: a DELETE is copied by its own RETURNING, its tag echoed") {
    UndoPlan plan = plan_undo(one("DELETE FROM users WHERE id < 3"));
    REQUIRE(plan.rewrite);
    CHECK_FALSE(plan.ask_again);
    CHECK_FALSE(plan.repeatable_read);
    std::vector<std::string> a = undo_psql_args(plan, false, "SINK");
    CHECK(a[0] == "-v");
    CHECK(a[1] == "ON_ERROR_STOP=1");
    CHECK(has(a, "\\copy (DELETE FROM users WHERE id < 3 RETURNING users.*) to program 'SINK rows 0'"));
    CHECK(has(a, "\\qecho DELETE :ROW_COUNT"));
    CHECK(a.back() == "COMMIT");
    CHECK_FALSE(has(undo_psql_args(plan, true, "SINK"), "\\qecho DELETE :ROW_COUNT"));
}

TEST_CASE("undo plan: an UPDATE locks and copies first, in REPEATABLE READ, and runs the statement as written") {
    UndoPlan plan = plan_undo(one("UPDATE users SET email = ''"));
    REQUIRE(plan.rewrite);
    CHECK(plan.repeatable_read);
    std::vector<std::string> a = undo_psql_args(plan, false, "SINK");
    CHECK(has(a, "BEGIN ISOLATION LEVEL REPEATABLE READ"));
    CHECK(has(a, "\\copy (SELECT users.* FROM users FOR UPDATE OF users) to program 'SINK rows 0'"));
    CHECK(has(a, "UPDATE users SET email = ''"));
}

TEST_CASE("undo plan: TRUNCATE and DROP TABLE lock first; DROP is dumped") {
    UndoPlan t = plan_undo(one("TRUNCATE users"));
    std::vector<std::string> a = undo_psql_args(t, false, "SINK");
    CHECK(has(a, "LOCK TABLE \"users\" IN SHARE MODE"));
    CHECK(has(a, "\\copy (SELECT * FROM users) to program 'SINK rows 0'"));
    UndoPlan d = plan_undo(one("DROP TABLE users"));
    a = undo_psql_args(d, false, "SINK");
    CHECK(has(a, "\\copy (SELECT pg_catalog.pg_export_snapshot()) to program 'SINK dump 0'"));
    UndoInputs no_dump = one("DROP TABLE users");
    no_dump.pg_dump_available = false;
    UndoPlan n = plan_undo(no_dump);
    CHECK_FALSE(n.rewrite);
    CHECK(n.ask_again);
    CHECK(n.notes[0] == "DROP TABLE users: no copy will be kept: pg_dump is not installed beside psql");
}

TEST_CASE("undo plan: no copy, said plainly, and asked again") {
    CHECK(plan_undo(one("UPDATE users SET a = 1 WHERE random() < 0.5", true)).ask_again);
    CHECK(plan_undo(one("UPDATE users SET a = 1", std::nullopt)).ask_again);
    UndoInputs big = one("DELETE FROM users");
    big.max_bytes = 10;
    UndoPlan b = plan_undo(big);
    CHECK(b.ask_again);
    CHECK(b.notes[0].find("above undo_max_bytes") != std::string::npos);
    UndoInputs two;
    two.statements = classify_sql("DELETE FROM a; DELETE FROM b").statements;
    two.previews.resize(2);
    UndoPlan s = plan_undo(two);
    CHECK(s.ask_again);
    CHECK(s.notes[0].rfind("statement 1, DELETE on a: no copy will be kept: psql runs each statement", 0) == 0);
    two.one_transaction = true;
    CHECK(plan_undo(two).rewrite);
    UndoInputs off = one("DELETE FROM users");
    off.mode = UndoMode::off;
    UndoPlan o = plan_undo(off);
    CHECK_FALSE(o.rewrite);
    CHECK_FALSE(o.ask_again);
}

}  // namespace sentinel
