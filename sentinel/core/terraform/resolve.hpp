#pragma once
// The terraform target of a working directory: its workspace, and the
// backend its initialised data directory names, read as terraform reads
// them (command/meta.go Workspace(), the backend state file).

#include <optional>
#include <string>
#include <vector>

#include "sentinel/core/target.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// The terraform target of working directory `dir` (absolute), fields
/// `workspace`, `dir`, `backend`:
/// - the data directory is `TF_DATA_DIR` (relative to `dir`) or
///   `dir/.terraform`; with `initialised_only`, nullopt when it does not
///   exist (a terminal in a directory never `terraform init`ed has no
///   terraform target; a terraform command still has one);
/// - workspace: `TF_WORKSPACE` when set and not empty (an invalid name is a
///   problem, as terraform refuses it), else the trimmed content of
///   `DATA_DIR/environment`, else "default";
/// - backend: from `DATA_DIR/terraform.tfstate`, the backend state file
///   terraform writes at init (`{"version": 3, "backend": {"type": ...,
///   "config": {...}, "hash": ...}}`): its type and where the state of the
///   workspace lives, e.g. "s3 acme-tf/env:/prod/app.tfstate", "gcs
///   acme-tf/app/prod.tfstate", "remote acme/app-prod", "cloud acme/app";
///   "local" without that file. Credentials in the config (access keys,
///   tokens, passwords, connection strings) are never copied. A file that
///   is not such JSON, or of another format version, is a problem
///   (terraform fails on it too: workdir.ParseBackendStateFile).
std::optional<Target> resolve_terraform(const Vars& vars, const std::string& dir, bool initialised_only,
                                        const FileReader& files, std::vector<std::string>& warnings);

/// True when `name` is a workspace name terraform accepts from
/// TF_WORKSPACE: not empty and unchanged by URL path escaping (letters,
/// digits and `-._~$&+:=@`, as Go's url.PathEscape leaves them).
bool valid_workspace_name(const std::string& name);

}  // namespace sentinel
