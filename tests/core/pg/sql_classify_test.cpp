#include <doctest/doctest.h>

#include "sentinel/core/pg/sql_classify.hpp"
#include "sentinel/core/pg/sql_depth.hpp"

namespace sentinel {
namespace {

Risk risk(std::string_view sql) { return classify_sql(sql).risk; }
std::string kind(std::string_view sql) {
    SqlVerdict v = classify_sql(sql);
    return v.worst() ? v.worst()->kind : "";
}

}  // namespace

TEST_CASE("sql: reads") {
    CHECK(risk("select 1") == Risk::read);
    CHECK(risk("SELECT * FROM users WHERE id = 3") == Risk::read);
    CHECK(risk("show search_path") == Risk::read);
    CHECK(risk("set search_path = app") == Risk::read);
    CHECK(risk("begin; select 1; commit") == Risk::read);
    CHECK(risk("explain delete from users") == Risk::read);
    CHECK(risk("copy users to stdout") == Risk::read);
    CHECK(risk("copy (select 1) to stdout") == Risk::read);
    CHECK(risk("-- only a comment") == Risk::read);
    CHECK(risk("") == Risk::read);
    CHECK(classify_sql("  ").statements.empty());
}

TEST_CASE("sql: writes") {
    CHECK(risk("insert into users values (1)") == Risk::write);
    CHECK(risk("DELETE FROM users WHERE created_at < '2024-01-01'") == Risk::write);
    CHECK(kind("DELETE FROM users WHERE created_at < '2024-01-01'") == "DELETE");
    CHECK(risk("update users set a = 1 where id = 2") == Risk::write);
    CHECK(risk("create table t (a int)") == Risk::write);
    CHECK(risk("alter table t add column b int") == Risk::write);
    CHECK(risk("grant select on t to bob") == Risk::write);
    CHECK(risk("copy users from stdin") == Risk::write);
    CHECK(risk("select * into t2 from t") == Risk::write);
    CHECK(risk("select * from t for update") == Risk::write);
    CHECK(risk("select pg_terminate_backend(123)") == Risk::write);
    CHECK(risk("select setval('s', 1)") == Risk::write);
    CHECK(risk("vacuum t") == Risk::write);
    CHECK(risk("do $$ begin perform 1; end $$") == Risk::write);
    CHECK(risk("explain analyze insert into t values (1)") == Risk::write);
}

TEST_CASE("sql: destructive") {
    CHECK(risk("delete from users") == Risk::destructive);
    CHECK(kind("delete from users") == "DELETE without WHERE");
    CHECK(risk("update users set admin = true") == Risk::destructive);
    CHECK(kind("update users set admin = true") == "UPDATE without WHERE");
    CHECK(risk("drop table users") == Risk::destructive);
    CHECK(kind("drop table users") == "DROP TABLE");
    CHECK(kind("drop schema app cascade") == "DROP SCHEMA");
    CHECK(risk("truncate users") == Risk::destructive);
    CHECK(risk("drop database app") == Risk::destructive);
    CHECK(risk("drop role bob") == Risk::destructive);
    CHECK(risk("drop owned by bob") == Risk::destructive);
    CHECK(risk("alter table users drop column email") == Risk::destructive);
    CHECK(kind("alter table users drop column email") == "ALTER TABLE ... DROP");
    CHECK(risk("alter table users drop constraint pk") == Risk::destructive);
    CHECK(risk("with d as (delete from users returning *) select count(*) from d") == Risk::destructive);
    CHECK(risk("explain analyze delete from users") == Risk::destructive);
    CHECK(risk("select 1; drop table users; select 2") == Risk::destructive);
}

TEST_CASE("sql: what does not parse is destructive") {
    CHECK(risk("selec 1") == Risk::destructive);
    CHECK(kind("selec 1") == "unparsable SQL");
    CHECK(risk("delete from :tbl") == Risk::destructive);
}

TEST_CASE("sql: statement text and kinds of several statements") {
    SqlVerdict v = classify_sql("select 1;\n  DELETE FROM users ;");
    REQUIRE(v.statements.size() == 2);
    CHECK(v.statements[0].text == "select 1");
    CHECK(v.statements[1].text == "DELETE FROM users");
    CHECK(v.worst()->kind == "DELETE without WHERE");
}

TEST_CASE("psql -c: meta-commands") {
    CHECK(classify_psql_command("\\dt").risk == Risk::read);
    CHECK(classify_psql_command("\\d+ users").risk == Risk::read);
    CHECK(classify_psql_command("\\l").risk == Risk::read);
    CHECK(classify_psql_command("\\copy t to 'x.csv'").risk == Risk::read);
    CHECK(classify_psql_command("\\copy t from 'x.csv'").risk == Risk::write);
    CHECK(classify_psql_command("\\i drop.sql").risk == Risk::destructive);
    CHECK(classify_psql_command("\\! rm -rf /").risk == Risk::destructive);
    CHECK(classify_psql_command("\\c otherdb").risk == Risk::destructive);
    CHECK(classify_psql_command("\\gexec").risk == Risk::destructive);
    CHECK(classify_psql_command("\\lo_unlink 1234").risk == Risk::destructive);
    CHECK(classify_psql_command("select 1").risk == Risk::read);
}

TEST_CASE("psql scripts: SQL and meta-command lines") {
    CHECK(classify_psql_script("\\set ON_ERROR_STOP 1\nselect 1;\n\\echo done\n").risk == Risk::read);
    SqlVerdict v = classify_psql_script("\\timing on\nbegin;\ndelete from users\n  where id = 1;\ncommit;\n");
    CHECK(v.risk == Risk::write);
    CHECK(classify_psql_script("select 1;\n\\i other.sql\n").risk == Risk::destructive);
    CHECK(classify_psql_script("select :'v';\n").risk == Risk::destructive);
    CHECK(classify_psql_script("truncate a;").risk == Risk::destructive);
    CHECK(classify_psql_script("").risk == Risk::read);
}

TEST_CASE("sql: statement kinds come from a live parse tree (bug: a dangling binding, ASan stack-use-after-scope)") {
    // Before the fix every statement that parsed read its name through a
    // reference to a destroyed temporary; an ASan build aborted here.
    SqlVerdict v = classify_sql("select 1; delete from users; drop table t; update t set a = 1 where b");
    REQUIRE(v.statements.size() == 4);
    CHECK(v.statements[0].kind == "SELECT");
    CHECK(v.statements[1].kind == "DELETE without WHERE");
    CHECK(v.statements[2].kind == "DROP TABLE");
    CHECK(v.statements[3].kind == "UPDATE");
}

TEST_CASE("sql: 20,000 unions count as destructive instead of overflowing the stack (bug: SIGSEGV)") {
    std::string sql = "select 1";
    for (int i = 0; i < 20000; ++i) sql += " union select 1";
    SqlVerdict v = classify_sql(sql);
    CHECK(v.risk == Risk::destructive);
    REQUIRE(v.worst());
    CHECK(v.worst()->kind == "SQL nested too deeply to classify");
    // The same depth of other left-deep chains.
    std::string plus = "select 1";
    for (int i = 0; i < 20000; ++i) plus += "+1";
    CHECK(classify_sql(plus).risk == Risk::destructive);
    std::string joins = "select * from a";
    for (int i = 0; i < 20000; ++i) joins += " join a on true";
    CHECK(classify_sql(joins).risk == Risk::destructive);
}

TEST_CASE("sql: deep but allowed nesting parses on its own stack, whatever the caller's stack") {
    std::string sql = "select 1";
    for (int i = 0; i < 5000; ++i) sql += " union select 1";
    CHECK(classify_sql(sql).risk == Risk::read);
    std::string del = sql + "; delete from t";
    CHECK(classify_psql_script(del).risk == Risk::destructive);
}

TEST_CASE("sql_nesting_bound: chains, parentheses, lists and literals") {
    CHECK(sql_nesting_bound("") == 0);
    CHECK(sql_nesting_bound("select 1") == 3);
    CHECK(sql_nesting_bound("select 1 union select 1 union select 1") >= 3);
    CHECK(sql_nesting_bound("select ((((1))))") >= 5);
    // A long list inside parentheses is wide, not deep.
    std::string values = "insert into t values (1, 'a')";
    for (int i = 0; i < 10000; ++i) values += ", (1, 'a')";
    CHECK(sql_nesting_bound(values) < 20);
    std::string in = "select * from t where id in (-1";
    for (int i = 0; i < 100000; ++i) in += ", -1";
    CHECK(sql_nesting_bound(in + ")") < 20);
    CHECK(classify_sql(in + ")").risk == Risk::read);
    // A set operation chain through select lists with commas.
    CHECK(sql_nesting_bound("select a, b union select c, d union select e, f") >= 3);
    // Words inside literals and comments are one token each.
    CHECK(sql_nesting_bound("select 'union union union union'") == 3);
    CHECK(sql_nesting_bound("select $x$ ) ) ( $x$ -- union union\n") == 3);
    CHECK(sql_nesting_bound("select /* union ( */ 1") == 3);
    CHECK(sql_nesting_bound("select E'\\' union'") == sql_nesting_bound("select E'x'"));
    CHECK(sql_nesting_bound("select 'it''s union'") == 3);
    // Statements are bounded one by one.
    CHECK(sql_nesting_bound("select 1; select 1; select 1") == 3);
}

}  // namespace sentinel
