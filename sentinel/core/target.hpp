#pragma once
// A target is one thing a command typed in a terminal would act on.

#include <optional>
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

    bool operator==(const Field&) const = default;
};

/// One step from a loopback address to what is really behind it: the
/// process listening there and what its command line says it forwards to
/// (core/reach/trace.hpp). A target's `via` lists the steps in order: the
/// first listens at the target's own address; each next one listens at the
/// loopback address the previous one reaches.
struct Hop {
    std::string kind;                   ///< "postgres", "kubectl port-forward", "kubectl proxy", "ssh", "socat", "ncat", "cloud-sql-proxy", "pgbouncer", "docker-proxy", or "unknown"
    std::string listen;                 ///< the listening socket as the kernel reports it: "127.0.0.1:15432", "[::]:5432", a socket path
    long pid = 0;                       ///< the listening process; 0 when none could be seen
    long uid = -1;                      ///< the socket's owner; -1 when not known
    std::string command;                ///< a short summary of the listener's command line, built from the parts understood (never copied whole: it may hold a token)
    std::vector<Field> reached;         ///< what it reaches: context, cluster, server, namespace, resource; remote_host, remote_port; ssh_host, ssh_hostname, ssh_user, ssh_port; instance; data_directory; container_ip...
    Tier tier;                          ///< the tier of what it reaches alone (classify() of the reached fields)
    std::string rule;                   ///< the rule that decided `tier`, or why it is unknown
    std::vector<std::string> problems;  ///< why what it reaches cannot be known; non-empty makes `tier` unknown
    std::string identity;               ///< "inode:pid:start time" of the listening socket and process: keys caches; "" when nothing listens

    /// Value of reached field `name`, or "" when absent.
    const std::string& get(std::string_view name) const;
    bool operator==(const Hop&) const = default;
};

/// What a server said about itself when probed (`sentinel probe`, the
/// guard): PostgreSQL settings and functions, or the kube-system namespace.
struct ServerWord {
    std::string declared_tier;      ///< `sentinel.tier` setting or `sentinel/tier` label; "" when none
    std::string cluster_name;       ///< pg `cluster_name`
    std::string system_identifier;  ///< pg pg_control_system(); "" when the role may not read it
    std::string kube_system_uid;    ///< kube: the UID of namespace kube-system
    std::string server_version;     ///< pg `server_version`
    std::string server_address;     ///< pg inet_server_addr():inet_server_port(); "" over a Unix socket
    bool replica = false;           ///< pg_is_in_recovery()
    std::string pinned_tier;        ///< tier of the `[[identity]]` entry that matched; "" when none
    std::string pin_origin;         ///< where that entry stands (path:line:col)
    std::string probed_at;          ///< when it was asked, UTC "YYYY-MM-DDTHH:MM:SSZ"

    bool operator==(const ServerWord&) const = default;
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
    std::vector<Hop> via;               ///< a loopback target traced to what listens there (core/reach/trace.hpp); empty otherwise
    std::optional<ServerWord> server;   ///< what the server said when probed, when known

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
