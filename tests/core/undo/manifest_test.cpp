#include <doctest/doctest.h>

#include "sentinel/core/undo/manifest.hpp"
#include "sentinel/core/undo/restore.hpp"

namespace sentinel {

TEST_CASE("manifest: ids") {
    std::string id = make_undo_id(1796038932, 0xa1b2c3);
    CHECK(id == "20261130-114212-a1b2c3");
    CHECK(valid_undo_id(id));
    CHECK_FALSE(valid_undo_id("../etc/passwd"));
    CHECK_FALSE(valid_undo_id("20261130-074212-A1B2C3"));
}

TEST_CASE("manifest: COPY text lines decode") {
    auto f = decode_copy_line("1\ta\\tb\\\\c\t\\N\t\\x41\\101\\n");
    REQUIRE(f.size() == 4);
    CHECK(*f[0] == "1");
    CHECK(*f[1] == "a\tb\\c");
    CHECK_FALSE(f[2].has_value());
    CHECK(*f[3] == "AA\n");
}

TEST_CASE("manifest: round trip, and show escapes what a row holds") {
    Manifest m;
    m.id = "20261130-074212-a1b2c3";
    m.time = 1796038932;
    m.tier = "production";
    m.target = "prod";
    m.connection = {{"dbname", "app"}, {"host", "db1"}};  // kept in keyword order
    m.statements = {"DELETE FROM notes"};
    ManifestPart p;
    p.kind = "DELETE";
    p.relation = "public.notes";
    p.schema = "public";
    p.table = "notes";
    p.columns = {{"id", "integer", false, false}, {"body", "text", false, false}};
    p.key = {"id"};
    p.key_kind = "primary key";
    p.file = "0.rows.copy";
    p.format = "copy-text";
    p.rows = 1;
    m.parts = {p};
    auto back = parse_manifest(format_manifest(m));
    REQUIRE(back.ok());
    CHECK(back->parts[0].key == std::vector<std::string>{"id"});
    CHECK(back->connection == m.connection);
    std::string shown = format_show(*back, {"1\ta\\033[31mred\\033]0;t\\007 \xe2\x80\xae" "evil\n"}, 10);
    CHECK(shown.find('\033') == std::string::npos);
    CHECK(shown.find('\a') == std::string::npos);
    CHECK(shown.find("\xe2\x80\xae") == std::string::npos);
    CHECK(shown.find("1 | a\\e[31mred\\e]0;t\\a \\u{202e}evil") != std::string::npos);
}

TEST_CASE("restore: rows go back around conflicts; updates need a key") {
    ManifestPart p;
    p.kind = "DELETE";
    p.schema = "public";
    p.table = "users";
    p.columns = {{"id", "integer", false, true}, {"total", "integer", true, false}, {"email", "text", false, false}};
    p.key = {"id"};
    RestoreSql r = restore_sql(p, false);
    CHECK(r.refusal.empty());
    CHECK(r.create_temp == "CREATE TEMP TABLE sentinel_restore (\"id\" integer, \"total\" integer, \"email\" text)");
    REQUIRE(r.apply.size() == 1);
    CHECK(r.apply[0] ==
          "INSERT INTO \"public\".\"users\" (\"id\", \"email\") OVERRIDING SYSTEM VALUE SELECT s.\"id\", s.\"email\" "
          "FROM sentinel_restore s WHERE NOT EXISTS (SELECT FROM \"public\".\"users\" t WHERE t.\"id\" = s.\"id\")");
    CHECK(restore_sql(p, true).apply.size() == 2);
    p.kind = "UPDATE";
    p.xid = "4294967306";
    RestoreSql u = restore_sql(p, false);
    CHECK(u.apply[0].find("t.xmin::text = E'10'") != std::string::npos);
    p.key.clear();
    CHECK(restore_sql(p, false).refusal.find("no primary key or replica identity") != std::string::npos);
    CHECK(xmin_of("12") == "12");
    CHECK(xmin_of("x").empty());
}

}  // namespace sentinel
