#pragma once
// Targets named by plain environment variables (APP_ENV, AWS_PROFILE, ...)
// and by DATABASE_URL.

#include <string>
#include <vector>

#include "sentinel/core/target.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// One env target (fields: name, value) for each variable of `names` that
/// `vars` sets to a non-empty value, in the order of `names`. A value that
/// holds a URL with a password (`scheme://user:secret@host`) has the
/// password replaced by "***".
std::vector<Target> resolve_env(const Vars& vars, const std::vector<std::string>& names);

/// `DATABASE_URL` as a target: a `postgres://` or `postgresql://` URI is
/// resolved by libpq (resolve_pg) into pg targets without the password; any
/// other URL becomes an env target with the password replaced. Empty when
/// the variable is unset or empty. `files` as for resolve_pg.
std::vector<Target> resolve_database_url(const Vars& vars, std::vector<std::string>& warnings,
                                         const FileReader* files = nullptr);

/// `url` with the password of its userinfo (from the first ':' after "://"
/// to the last '@', so that an unescaped '/' in a password cannot end it
/// early) replaced by "***"; unchanged when it has no userinfo password.
std::string redact_url_password(const std::string& url);

}  // namespace sentinel
