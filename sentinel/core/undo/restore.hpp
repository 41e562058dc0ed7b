#pragma once
// The SQL that puts one part of an undo copy back, in one transaction:
// the copied rows go into a temporary table, rows that conflict with what
// is there now are counted and named, the rest are inserted (deleted,
// truncated rows) or set back by key (updated rows). Pure.

#include <string>
#include <vector>

#include "sentinel/core/undo/manifest.hpp"

namespace sentinel {

/// The statements of one rows part's restore.
struct RestoreSql {
    std::string refusal;       ///< non-empty: this part cannot be restored, and why
    std::string create_temp;   ///< CREATE TEMP TABLE sentinel_restore (...) ON COMMIT DROP
    std::string copy_in;       ///< COPY sentinel_restore FROM STDIN
    std::string conflicts;     ///< rows: (count, key as text) of up to 5 conflicting rows
    std::vector<std::string> apply;  ///< the statements that put the rows back, in order
    std::string drop_temp;     ///< DROP TABLE sentinel_restore (the next part makes its own)
};

/// The restore of `part` (kind DELETE, TRUNCATE or UPDATE). DELETE and
/// TRUNCATE: rows whose key exists now conflict; they are left alone, or
/// with `force` the rows there now are replaced; a table without a key has
/// no conflicts. UPDATE: refused without a primary key or replica identity;
/// a row whose key is gone or whose xmin is no longer the updating
/// transaction's (changed since) conflicts, and is left alone unless
/// `force`. Generated columns are never written; identity columns are
/// written with OVERRIDING SYSTEM VALUE.
RestoreSql restore_sql(const ManifestPart& part, bool force);

/// The part's relation as `"schema"."table"`.
std::string qualified_name(const ManifestPart& part);

/// The 32-bit xid (as xmin shows it) of a 64-bit transaction id's text
/// (pg_current_xact_id), "" when it is not a number.
std::string xmin_of(const std::string& xid8);

}  // namespace sentinel
