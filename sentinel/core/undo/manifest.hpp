#pragma once
// An undo copy's manifest.json and the pure helpers around it: ids, COPY
// text decoding, and what `sentinel undo list/show` print. The manifest
// never holds a secret: the target is the settled connection without its
// password, and nothing from the environment.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sentinel/core/result.hpp"

namespace sentinel {

/// One column of a copied relation.
struct UndoColumn {
    std::string name, type;
    bool generated = false;  ///< GENERATED ALWAYS AS (...) STORED: never inserted
    bool identity = false;   ///< an identity column: inserted with OVERRIDING SYSTEM VALUE
};

/// One relation's copy.
struct ManifestPart {
    std::size_t statement = 0;
    std::string kind;       ///< "DELETE", "UPDATE", "TRUNCATE", "DROP TABLE"
    std::string relation;   ///< regclass text, e.g. "public.users" or "users"
    std::string schema, table;
    std::vector<UndoColumn> columns;
    std::vector<std::string> key;  ///< primary key or replica identity columns; empty: none
    std::string key_kind;          ///< "primary key", "replica identity" or ""
    std::string xid;               ///< the changing transaction's id (UPDATE: rows still carrying it are unchanged since)
    std::string file;              ///< "0.rows.copy" or "0.dump.sql"
    std::string format;            ///< "copy-text" or "pg_dump-plain"
    std::int64_t rows = 0, bytes = 0;
    std::string sha256;
};

/// The manifest of one undo copy.
struct Manifest {
    std::string id;
    std::int64_t time = 0;  ///< Unix seconds
    std::string user, tty, tier, target_kind = "pg", target;
    std::vector<std::pair<std::string, std::string>> connection;  ///< the pinned conninfo keywords, no password
    std::vector<std::string> statements;  ///< the statements' text, in order
    std::vector<ManifestPart> parts;
    std::string status = "complete";      ///< "complete", or "uncertain" when psql lost its connection at COMMIT
    std::string psql, pg_dump;            ///< the programs that made it (pg_dump for DROP TABLE)
};

/// The manifest as pretty JSON (sanitized for the terminal on display, not here).
std::string format_manifest(const Manifest& manifest);

/// Parses manifest.json. Errors: not JSON, or a field of the wrong type.
Result<Manifest> parse_manifest(std::string_view text);

/// The manifest as a JSON value (for `undo list --json`), with its id.
nlohmann::json manifest_json(const Manifest& manifest);

/// True when `id` has the shape of an undo id: `YYYYMMDD-HHMMSS-` and 6
/// lowercase hex digits (no slash, no dot: safe as a directory name).
bool valid_undo_id(std::string_view id);

/// An id for `unix_seconds` (UTC) and 24 random bits.
std::string make_undo_id(std::int64_t unix_seconds, std::uint32_t random);

/// One line of COPY text format split into fields with escapes decoded
/// (`\\N` is NULL, nullopt). Source: PostgreSQL's COPY documentation,
/// "Text Format".
std::vector<std::optional<std::string>> decode_copy_line(std::string_view line);

/// `sentinel undo list`: one line per manifest,
/// "ID  TIME  TIER TARGET  KIND RELATION  ROWS rows  SIZE", sanitized.
std::string format_list_line(const Manifest& manifest);

/// `sentinel undo show`: the manifest in words, then up to `max_rows`
/// rows of each part from `rows_text` (its file's start), every value
/// sanitized so that escape sequences and bidi controls print as visible
/// escapes.
std::string format_show(const Manifest& manifest, const std::vector<std::string>& part_texts, std::size_t max_rows);

}  // namespace sentinel
