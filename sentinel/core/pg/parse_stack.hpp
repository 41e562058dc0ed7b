#pragma once
// A stack deep enough for PostgreSQL's parser. libpg_query's raw parser,
// its protobuf and JSON output and sentinel's walks over them recurse once
// per level of nesting (`select 1 union select 1 ...` is 20,000 levels deep
// with 20,000 unions) and overflowed an 8 MiB stack, or a 256 KiB one under
// `ulimit -s 256`. Every parse of SQL text from outside runs here: the
// classifier (core/pg/sql_classify.hpp) and the preview's derivations
// (core/pg/derived_sql.hpp).

#include <cstddef>
#include <functional>

namespace sentinel {

/// SQL nested deeper than this (sql_nesting_bound, core/pg/sql_depth.hpp)
/// is not parsed: a deeper tree is not something a person types.
inline constexpr std::size_t kMaxSqlNesting = 10'000;

/// Runs `work` on a thread of its own whose stack holds `nesting` levels
/// (an estimate from sql_nesting_bound), whatever `ulimit -s` the caller
/// has, and waits for it. A level costs libpg_query about 100 bytes and a
/// walk about 500 (a few times that with sanitizers): 64 MiB holds
/// kMaxSqlNesting levels with room to spare. Under an address-space limit
/// (`ulimit -v`) 16 and 4 MiB stacks are tried for proportionally fewer
/// levels. False, without running `work`, when `nesting` exceeds
/// kMaxSqlNesting or no thread with a large enough stack can be made.
bool run_with_parse_stack(std::size_t nesting, const std::function<void()>& work);

}  // namespace sentinel
