#pragma once
// A target is one thing a command typed in a terminal would act on.

#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/tier.hpp"

namespace sentinel {

/// The kinds of target (DESIGN.md "Words"). terraform, aws and gcloud live
/// in the project directory and the cloud CLIs' own files (issue 15).
enum class Kind { kube, pg, env, terraform, aws, gcloud };

/// "kube", "pg", "env", "terraform", "aws" or "gcloud".
std::string_view kind_name(Kind kind);

/// One resolved value of a target and where it came from, e.g. context
/// "prod-eu" from "/home/u/.kube/config:3:18", or port "5432" from "PGPORT".
struct Field {
    std::string name;
    std::string value;
    std::string origin;  ///< file:line:col, a variable name, a flag, or "default"
};

/// One target: fields in display order plus everything that decided them.
/// Raw bytes are kept as found (classification works on them); sinks print
/// them only through sanitize().
struct Target {
    Kind kind = Kind::kube;
    std::vector<Field> fields;
    std::vector<std::string> files;     ///< files that supplied a value, in precedence order
    std::vector<std::string> sources;   ///< variables and flags that took part ("KUBECONFIG", "--context")
    std::vector<std::string> problems;  ///< why it cannot be trusted; non-empty makes it unknown
    Tier tier;                          ///< set by classify(); unknown until then
    std::string rule;                   ///< the rule that decided `tier`, as "where: what"

    /// Value of field `name`, or "" when absent.
    const std::string& get(std::string_view name) const;
    /// The Field called `name`, or nullptr.
    const Field* find(std::string_view name) const;
    /// Sets field `name` (appending it if new) with its origin.
    void set(std::string_view name, std::string value, std::string origin);

    /// The name a person must type to confirm (and SENTINEL_CONFIRM must
    /// hold): the kube context, the pg "service" or "dbname@host", the env
    /// "NAME=value", the terraform workspace, the aws profile, the gcloud
    /// project (its configuration's name when no project is set). Raw; sinks
    /// show short_name() (core/display/model.hpp).
    std::string display_name() const;
};

}  // namespace sentinel
