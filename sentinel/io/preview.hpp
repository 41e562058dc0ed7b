#pragma once
// Running the preview: one connection to the pinned target, a READ ONLY
// transaction that is never committed, statement_timeout on every query,
// and a deadline on the whole, so that a slow or failing server never
// holds the question up (it says so instead).

#include <vector>

#include "sentinel/core/guard/pin.hpp"
#include "sentinel/core/guard/preview.hpp"
#include "sentinel/core/pg/derived_sql.hpp"

namespace sentinel {

/// Previews each statement of `statements` (kind `other` gives no entry)
/// on `connection` with the person's own credentials: the catalog first
/// (relations, sizes, volatility of every function and operator the count
/// would call), then per statement its count query, or EXPLAIN's estimate
/// when the count would call a volatile function, reads a view, a foreign
/// table or a table with row security, or takes longer than `timeout_ms`
/// (statement_timeout). Connecting gets at most `timeout_ms` too, and the
/// whole at most about three times that. Never throws; every failure is a
/// preview with status failed and a note.
std::vector<StatementPreview> run_preview(const PinnedConnection& connection,
                                          const std::vector<DerivedStatement>& statements, int timeout_ms);

}  // namespace sentinel
