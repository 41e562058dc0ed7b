// The SQL classifier on any text (PostgreSQL's parser through libpg_query,
// the nesting bound, the walk, psql meta-commands and scripts) and the
// preview's derivations (libpg_query's protobuf tree, deparsed): no crash,
// stack overflow or leak; text that does not parse is destructive.

#include <string>

#include "sentinel/core/pg/derived_sql.hpp"
#include "sentinel/core/pg/sql_classify.hpp"
#include "sentinel/core/pg/sql_depth.hpp"
#include "tests/fuzz/fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    (void)sentinel::sql_nesting_bound(text);
    sentinel::SqlVerdict sql = sentinel::classify_sql(text);
    for (const sentinel::SqlStatement& s : sql.statements) {
        FUZZ_CHECK(!s.kind.empty());
        FUZZ_CHECK(s.risk <= sql.risk);
        if (s.kind == "unparsable SQL") FUZZ_CHECK(s.risk == sentinel::Risk::destructive);
    }
    (void)sentinel::classify_psql_command(text);
    sentinel::SqlVerdict script = sentinel::classify_psql_script(text);
    FUZZ_CHECK(!script.worst() || script.worst()->risk == script.risk);
    if (sql.statements.size() == 1) (void)sentinel::derive_statement(text);
    return 0;
}
