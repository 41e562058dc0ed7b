#include <doctest/doctest.h>

#include "sentinel/core/pg/derived_sql.hpp"
#include "sentinel/core/pg/sql_tree.hpp"

namespace sentinel {
namespace {

DerivedStatement derived(std::string_view sql) {
    auto d = derive_statement(sql);
    REQUIRE(d.ok());
    return d.value();
}

bool has(const std::vector<std::string>& v, const std::string& s) {
    for (const auto& x : v)
        if (x == s) return true;
    return false;
}

}  // namespace

TEST_CASE("derived: DELETE counts the rows it touches and the table") {
    DerivedStatement d = derived("DELETE FROM users WHERE created_at < '2024-01-01'");
    CHECK(d.kind == StatementKind::delete_rows);
    CHECK(d.verb == "DELETE");
    REQUIRE(d.relations.size() == 1);
    CHECK(d.relations[0].display() == "users");
    CHECK(d.has_where);
    CHECK(d.count_sql ==
          "SELECT (SELECT count(*) FROM users WHERE created_at < '2024-01-01'), (SELECT count(*) FROM users)");
    CHECK(d.estimate_sql == "SELECT FROM users WHERE created_at < '2024-01-01'");
    REQUIRE(d.copy_sql.size() == 1);
    CHECK(d.copy_sql[0] == "DELETE FROM users WHERE created_at < '2024-01-01' RETURNING users.*");
    CHECK(has(d.operators, "<"));
    CHECK(d.functions.empty());
}

TEST_CASE("derived: USING, aliases, ONLY and WITH are kept; joined rows count once") {
    DerivedStatement d = derived(
        "WITH old AS (SELECT id FROM archive) DELETE FROM ONLY public.users u USING old WHERE u.id = old.id "
        "RETURNING u.id");
    CHECK(d.has_join);
    CHECK(d.has_returning);
    CHECK(d.relations[0].only);
    CHECK(d.relations[0].display() == "public.users");
    CHECK(d.count_sql ==
          "WITH old AS (SELECT id FROM archive) SELECT (SELECT count(DISTINCT (u.tableoid, u.ctid)) FROM ONLY "
          "public.users u, old WHERE u.id = old.id), (SELECT count(*) FROM ONLY public.users u)");
    CHECK(d.copy_sql[0] ==
          "WITH old AS (SELECT id FROM archive) DELETE FROM ONLY public.users u USING old WHERE u.id = old.id "
          "RETURNING u.*");
}

TEST_CASE("derived: DELETE without WHERE touches every row") {
    DerivedStatement d = derived("delete from users");
    CHECK_FALSE(d.has_where);
    CHECK(d.count_sql == "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM users)");
}

TEST_CASE("derived: UPDATE copies the rows it will change, locked") {
    DerivedStatement d = derived("UPDATE users SET email = '' WHERE id > 10");
    CHECK(d.kind == StatementKind::update_rows);
    CHECK(d.copy_sql[0] == "SELECT users.* FROM users WHERE id > 10 FOR UPDATE OF users");
    DerivedStatement j = derived("UPDATE users AS x SET email = o.email FROM other o WHERE o.id = x.id");
    CHECK(j.copy_sql[0] ==
          "SELECT sentinel_undo_row.* FROM users sentinel_undo_row WHERE (sentinel_undo_row.tableoid, "
          "sentinel_undo_row.ctid) IN (SELECT x.tableoid, x.ctid FROM users x, other o WHERE o.id = x.id) "
          "FOR UPDATE OF sentinel_undo_row");
}

TEST_CASE("derived: volatile-looking calls are collected for the catalog check") {
    DerivedStatement d = derived("DELETE FROM users WHERE random() < 0.5 AND public.mark(id) AND a BETWEEN 1 AND 2 "
                                 "AND b LIKE 'x%' AND c = ANY (SELECT d FROM e)");
    CHECK(has(d.functions, "random"));
    CHECK(has(d.functions, "public.mark"));
    CHECK(has(d.operators, "<"));
    CHECK(has(d.operators, "<="));
    CHECK(has(d.operators, ">="));
    CHECK(has(d.operators, "~~"));
    CHECK(has(d.operators, "="));
}

TEST_CASE("derived: the relations the count reads, without WITH queries") {
    DerivedStatement d = derived("WITH w AS (SELECT 1 AS id) DELETE FROM ONLY s.users USING w "
                                 "WHERE users.id IN (SELECT id FROM v) AND users.id = w.id");
    REQUIRE(d.reads.size() == 2);
    CHECK(d.reads[0].display() == "s.users");
    CHECK(d.reads[0].only);
    CHECK(d.reads[1].display() == "v");
}

TEST_CASE("derived: the SQL is deparsed, never pasted") {
    // Comments and odd spacing vanish; a quote inside a literal stays one literal.
    DerivedStatement d = derived("DELETE /* c */ FROM users  WHERE name = 'it''s; DROP TABLE x' -- tail");
    CHECK(d.count_sql ==
          "SELECT (SELECT count(*) FROM users WHERE name = 'it''s; DROP TABLE x'), (SELECT count(*) FROM users)");
}

TEST_CASE("derived: a WITH query named like the table gives no count query") {
    DerivedStatement d = derived("WITH users AS (SELECT 1) DELETE FROM users WHERE true");
    CHECK(d.count_sql.empty());
    CHECK(d.count_problem == "a WITH query has the table's name");
    CHECK_FALSE(d.estimate_sql.empty());
}

TEST_CASE("derived: TRUNCATE and DROP TABLE name every table") {
    DerivedStatement t = derived("TRUNCATE users, ONLY s.orders CASCADE");
    CHECK(t.kind == StatementKind::truncate);
    CHECK(t.cascade);
    REQUIRE(t.relations.size() == 2);
    CHECK(t.relations[1].display() == "s.orders");
    CHECK(t.count_sql == "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM ONLY s.orders)");
    CHECK(t.copy_sql == std::vector<std::string>{"SELECT * FROM users", "SELECT * FROM ONLY s.orders"});
    DerivedStatement d = derived("DROP TABLE IF EXISTS public.users, \"Odd \"\"name\"");
    CHECK(d.kind == StatementKind::drop_table);
    REQUIRE(d.relations.size() == 2);
    CHECK(d.relations[1].name == "Odd \"name");
    CHECK(d.relations[1].regclass_literal() == "E'\"Odd \"\"name\"'");
    CHECK(d.count_sql == "SELECT (SELECT count(*) FROM public.users), (SELECT count(*) FROM \"Odd \"\"name\")");
    CHECK(d.copy_sql.empty());
}

TEST_CASE("derived: DROP SCHEMA and DROP DATABASE name what goes") {
    DerivedStatement s = derived("drop schema a, b cascade");
    CHECK(s.kind == StatementKind::drop_schema);
    CHECK(s.schemas == std::vector<std::string>{"a", "b"});
    CHECK(s.cascade);
    DerivedStatement d = derived("DROP DATABASE orders");
    CHECK(d.kind == StatementKind::drop_database);
    CHECK(d.database == "orders");
}

TEST_CASE("derived: other statements and errors") {
    CHECK(derived("SELECT 1").kind == StatementKind::other);
    CHECK(derived("DROP INDEX i").kind == StatementKind::other);
    CHECK_FALSE(derive_statement("DELETE FROM").ok());
    CHECK(derive_statement("DELETE FROM a; DELETE FROM b").error().message == "more than one statement");
}

TEST_CASE("sql_tree: quoting") {
    CHECK(quote_ident("a\"b") == "\"a\"\"b\"");
    CHECK(quote_literal("it's \\x") == "E'it''s \\\\x'");
}

}  // namespace sentinel

namespace sentinel {

TEST_CASE("derive_statement: deep SQL is parsed on its own stack or refused, never a crash (bug: 20,000 unions)") {
    std::string deep = "select 1";
    for (int i = 0; i < 20000; ++i) deep += " union select 1";
    auto d = derive_statement(deep);
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().message == "SQL nested too deeply to derive a preview");
    std::string wide = "delete from t where id in (select 1";
    for (int i = 0; i < 2000; ++i) wide += " union select 1";
    wide += ")";
    auto w = derive_statement(wide);
    REQUIRE(w.ok());
    CHECK(w.value().kind == StatementKind::delete_rows);
}

}  // namespace sentinel
