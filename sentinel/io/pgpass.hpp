#pragma once
// A check of the PostgreSQL password file's permissions. sentinel never
// reads the file's contents.

#include <optional>
#include <string>

#include "sentinel/core/vars.hpp"

namespace sentinel {

/// A warning when the password file libpq would use (`$PGPASSFILE`, else
/// `$HOME/.pgpass`) exists with group or other permissions: libpq then
/// ignores it (libpq docs, "The Password File"), so connections will ask for
/// a password or fail. nullopt when it is absent or private. Only stat(2) is
/// called.
std::optional<std::string> pgpass_warning(const Vars& vars);

}  // namespace sentinel
