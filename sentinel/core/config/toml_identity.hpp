#pragma once
// Reading one `[[identity]]` table of config.toml (core/config/identity.hpp)
// from its toml++ node.

#include <toml++/toml.h>

#include <string>

#include "sentinel/core/config/identity.hpp"
#include "sentinel/core/result.hpp"

namespace sentinel {

/// Parses one `[[identity]]` table: keys system_identifier, cluster_name,
/// kube_system_uid (non-empty strings; at least one) and tier (a string;
/// whether the tier exists is checked in build_config). Errors carry the
/// position of the offending key or of the table.
Result<IdentityPin> parse_identity(const std::string& path, const toml::node& node);

}  // namespace sentinel
