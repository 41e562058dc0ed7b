#pragma once
// How deep a parse tree SQL text can give, estimated from its tokens before
// PostgreSQL's parser sees it. libpg_query's raw parser builds left-deep
// chains (`select 1 union select 1 ...`, `1+1+...`, `a join b join ...`)
// without limit and its output and sentinel's walk recurse over them: 20,000
// unions overflow an 8 MiB stack. Pure.

#include <cstddef>
#include <string_view>

namespace sentinel {

/// An upper bound on the nesting depth of the parse tree of `sql` (0 when it
/// holds no token), for each statement (`;` at the top level) and along any
/// chain of nested parentheses, summing per level: its UNION, INTERSECT and
/// EXCEPT keywords (a set operation nests the statement before it), the
/// tokens of its largest comma-separated item (a left-deep chain such as
/// `1+1+...` or `a join b join ...` needs a token per level), and one for
/// the level. A list (`in (1, 2, ...)`, `values (...), (...)`, a long select
/// list) is wide, not deep, and costs little. Right-nested constructs are
/// bounded by the parser's own stack limit. Comments count nothing; string
/// literals ('', E'' with backslashes, "identifiers", $tag$...$tag$) count
/// as one token; an unterminated one runs to the end. Linear in the length
/// of `sql`.
std::size_t sql_nesting_bound(std::string_view sql);

}  // namespace sentinel
