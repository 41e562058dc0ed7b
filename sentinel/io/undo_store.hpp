#pragma once
// Undo copies on disk: $XDG_STATE_HOME/sentinel/undo/<id>/ (directories
// 0700, files 0600, written once and fsynced), listed, read and pruned.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sentinel/core/result.hpp"
#include "sentinel/core/undo/manifest.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// `$XDG_STATE_HOME/sentinel/undo`, XDG_STATE_HOME defaulting to
/// `$HOME/.local/state`; "" when neither is set.
std::string undo_root(const Vars& vars);

/// Creates `root/id` with mode 0700 (and `root` when missing), refusing a
/// root that is a symlink, not a directory or not the user's. Returns the
/// directory's path, or the reason it cannot be made.
Result<std::string> create_undo_dir(const std::string& root, const std::string& id);

/// Writes `data` to a new file `path` (mode 0600, never over an existing
/// file or through a symlink) and fsyncs it and its directory. Returns the
/// reason on failure (the partial file is removed).
std::optional<std::string> write_new_file(const std::string& path, const std::string& data);

/// fsync of a directory, so that the names in it are durable.
bool sync_dir(const std::string& dir);

/// Removes `dir` and the files in it (one level: undo directories hold files only).
void remove_undo_dir(const std::string& dir);

/// The manifests under `root`, oldest first; unreadable ones are skipped.
std::vector<Manifest> list_undo(const std::string& root);

/// The manifest of `id` under `root`. Errors: a malformed id, no such
/// copy, an unreadable or invalid manifest.
Result<Manifest> read_undo(const std::string& root, const std::string& id);

/// Reads the start of a copy's file (at most `limit` bytes), "" when it cannot.
std::string read_undo_head(const std::string& root, const std::string& id, const std::string& file, std::size_t limit);

/// Removes the copies under `root` older than `keep_days` (by their
/// manifest's time, else the directory's mtime); returns how many.
int prune_undo(const std::string& root, int keep_days, std::int64_t now);

/// Free bytes for an unprivileged user on the file system of `path`, or
/// nullopt when unknown.
std::optional<std::int64_t> free_bytes(const std::string& path);

}  // namespace sentinel
