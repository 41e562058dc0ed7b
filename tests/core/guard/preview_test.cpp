#include <doctest/doctest.h>

#include "sentinel/core/guard/preview.hpp"

namespace sentinel {
namespace {

StatementPreview rows(const char* verb, StatementPreview::Status status, double touched, double total) {
    StatementPreview p;
    p.verb = verb;
    p.target = "public.users";
    p.status = status;
    p.touched = touched;
    p.total = total;
    return p;
}

}  // namespace

TEST_CASE("preview: numbers and sizes") {
    CHECK(format_rows(0) == "0");
    CHECK(format_rows(999) == "999");
    CHECK(format_rows(12000) == "12,000");
    CHECK(format_rows(1234567.4) == "1,234,567");
    CHECK(format_bytes(1) == "1 byte");
    CHECK(format_bytes(512) == "512 bytes");
    CHECK(format_bytes(1258291) == "1.2 MiB");
    CHECK(format_bytes(1073741824) == "1.0 GiB");
}

TEST_CASE("preview: the banner line of a counted DELETE says every row") {
    using S = StatementPreview::Status;
    CHECK(preview_line(rows("DELETE", S::counted, 12000, 12000)) ==
          "DELETE on public.users: 12,000 of 12,000 rows (every row)");
    CHECK(preview_line(rows("UPDATE", S::counted, 1, 12000)) == "UPDATE on public.users: 1 of 12,000 rows");
    CHECK(preview_line(rows("DELETE", S::counted, 0, 0)) == "DELETE on public.users: 0 of 0 rows");
}

TEST_CASE("preview: an estimate says about and why") {
    StatementPreview p = rows("DELETE", StatementPreview::Status::estimated, 6000.4, 12000);
    p.note = "random() is volatile, not run";
    CHECK(preview_line(p) ==
          "DELETE on public.users: about 6,000 of about 12,000 rows (estimate: random() is volatile, not run)");
}

TEST_CASE("preview: tables, schemas, databases and failures") {
    StatementPreview t;
    t.verb = "TRUNCATE";
    t.target = "public.users";
    t.status = StatementPreview::Status::counted;
    t.total = 12000;
    t.bytes = 1258291;
    CHECK(preview_line(t) == "TRUNCATE public.users: 12,000 rows, 1.2 MiB");
    StatementPreview s;
    s.verb = "DROP SCHEMA";
    s.target = "s";
    s.cascade = true;
    s.status = StatementPreview::Status::counted;
    s.tables = 3;
    s.bytes = 5347737;
    CHECK(preview_line(s) == "DROP SCHEMA s CASCADE: 3 tables, 5.1 MiB go with it");
    StatementPreview f;
    f.verb = "DELETE";
    f.target = "users";
    f.note = "could not connect";
    CHECK(preview_line(f) == "DELETE on users: no preview (could not connect)");
}

TEST_CASE("preview: catalog queries use literals, EXPLAIN is read") {
    DerivedStatement d = derive_statement("TRUNCATE public.users, \"o'dd\"").value();
    std::string q = relation_query(d);
    CHECK(q.find("to_regclass(E'\"public\".\"users\"')") != std::string::npos);
    CHECK(q.find("to_regclass(E'\"o''dd\"')") != std::string::npos);
    DerivedStatement s = derive_statement("DROP SCHEMA x CASCADE").value();
    CHECK(relation_query(s).find("n.nspname IN (E'x')") != std::string::npos);
    CHECK(explain_rows(R"([{"Plan": {"Node Type": "Seq Scan", "Plan Rows": 400}}])") == 400.0);
    CHECK_FALSE(explain_rows("not json").has_value());
    DerivedStatement r = derive_statement("DELETE FROM users WHERE id IN (SELECT id FROM v)").value();
    CHECK(reads_query(r).find("to_regclass(E'\"v\"')") != std::string::npos);
    CHECK(reads_problem({{std::string("v"), std::string("v"), std::string("f")}}) ==
          "it reads v, which is not a plain table");
    CHECK(reads_problem({{std::string("t"), std::string("r"), std::string("t")}}) == "row security applies to t");
    CHECK(reads_problem({{std::string("t"), std::string("r"), std::string("f")}}).empty());
    CHECK(countable_relkind("r"));
    CHECK_FALSE(countable_relkind("v"));
}

}  // namespace sentinel
