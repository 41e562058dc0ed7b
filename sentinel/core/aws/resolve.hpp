#pragma once
// The AWS target: the profile the AWS CLI (v2) would use and what it acts
// on, from ~/.aws/config and ~/.aws/credentials read as botocore reads them.
// Static access keys are recognised, never kept: the INI parser skips their
// values (core/ini/configparser.hpp).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/target.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// True for the option names whose values are credentials in an AWS config
/// or credentials file: aws_access_key_id, aws_secret_access_key,
/// aws_session_token, aws_security_token, credential_process (a command
/// line that may carry a secret), and any name ending in "password",
/// "secret" or "token".
bool aws_secret_key(std::string_view name);

/// The aws target (fields profile, account, role, region, credentials),
/// as the AWS CLI v2 (awscli 2.9, botocore) resolves it:
/// - profile: `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`, else "default";
/// - files: `AWS_CONFIG_FILE` (default ~/.aws/config) and
///   `AWS_SHARED_CREDENTIALS_FILE` (default ~/.aws/credentials), with `~`
///   and `$VAR` expanded and relative paths taken from `cwd`; a missing file
///   is empty; in the config, `[default]` and `[profile NAME]` (split like
///   shlex, exactly two words) are profiles, `[sso-session NAME]` SSO
///   sessions; the credentials file's `[NAME]` sections are profiles whose
///   keys override the config's;
/// - account and role: from the profile's `role_arn`
///   (arn:PARTITION:iam::ACCOUNT:role/PATH/NAME), else `sso_account_id` and
///   `sso_role_name`; a `source_profile` chain is followed and checked (a
///   missing profile, a loop, a chain that ends without credentials, both
///   source_profile and credential_source, a missing sso-session are
///   problems, where the CLI fails too);
/// - region: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the profile's
///   `region` (never inherited through source_profile);
/// - credentials: "static keys", "assume role", "sso", "process", "web
///   identity" or "" (what the CLI would use; never the keys themselves).
/// nullopt when no profile is named and none called "default" exists. An
/// explicitly named profile that does not exist, or a file the CLI cannot
/// parse, gives a target with a problem (tier unknown).
std::optional<Target> resolve_aws(const Vars& vars, const std::string& cwd, const FileReader& files,
                                  std::vector<std::string>& warnings);

/// `path` as botocore opens it: `$NAME` and `${NAME}` replaced from `vars`
/// (unknown ones kept, as os.path.expandvars does), a leading `~` replaced
/// by HOME, then made absolute against `cwd`.
std::string expand_path(const std::string& path, const Vars& vars, const std::string& cwd);

}  // namespace sentinel
