#pragma once
// The gcloud target: the active configuration and its project, account and
// region, read as the Cloud SDK reads them (googlecloudsdk/core/
// configurations/named_configs.py and properties_file.py).

#include <optional>
#include <string>
#include <vector>

#include "sentinel/core/target.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// The gcloud target (fields configuration, project, account, region):
/// - the configuration directory is `CLOUDSDK_CONFIG` (relative to `cwd`)
///   or `~/.config/gcloud`;
/// - the active configuration is `CLOUDSDK_ACTIVE_CONFIG_NAME`, else the
///   content of `DIR/active_config` when it is a valid name
///   (`[a-z][-a-z0-9]*` or "NONE"; gcloud discards anything else), else
///   "default";
/// - its properties file is `DIR/configurations/config_NAME`, an INI file
///   read with Python's ConfigParser (core/ini/configparser.hpp) including
///   its `%(name)s` / `%%` interpolation (a bad '%' is a problem: gcloud
///   fails on it); a missing file has no properties, as in gcloud;
/// - `CLOUDSDK_CORE_PROJECT`, `CLOUDSDK_CORE_ACCOUNT` and
///   `CLOUDSDK_COMPUTE_REGION` override `[core] project`, `[core] account`
///   and `[compute] region`.
/// The installation-wide properties file of the SDK is not read.
/// nullopt when neither the directory's active_config, the properties
/// file, nor one of those variables exists.
std::optional<Target> resolve_gcloud(const Vars& vars, const std::string& cwd, const FileReader& files,
                                     std::vector<std::string>& warnings);

}  // namespace sentinel
