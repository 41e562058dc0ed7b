#pragma once
// The server's own word (DESIGN.md "Reach"): what `sentinel probe` and the
// guard ask a PostgreSQL server or a Kubernetes cluster, and how the answer
// raises a target's tier (never lowers it). Pure; the asking is in
// io/pg_probe.hpp and io/kube_probe.hpp.

#include <string>
#include <string_view>

#include "sentinel/core/config/config.hpp"
#include "sentinel/core/result.hpp"
#include "sentinel/core/target.hpp"

namespace sentinel {

/// The one statement a PostgreSQL probe runs, readable by any role:
/// current_setting('sentinel.tier', true) (an administrator declares it with
/// `ALTER SYSTEM SET sentinel.tier = 'production'`, `ALTER DATABASE ... SET`
/// or `ALTER ROLE ... SET`), cluster_name, pg_is_in_recovery(),
/// host(inet_server_addr()), inet_server_port(), server_version, and the
/// system identifier of pg_control_system() when the role may execute it
/// (NULL otherwise): seven text columns, one row.
extern const char* const kPgProbeQuery;

/// A ServerWord from the seven columns of kPgProbeQuery (NULL as ""; the
/// recovery column "t" or "f").
ServerWord pg_server_word(const std::vector<std::string>& columns);

/// The ServerWord of a Kubernetes cluster from the JSON of
/// `kubectl get --raw /api/v1/namespaces/kube-system`: its metadata.uid,
/// and the tier declared by the label or annotation `sentinel/tier` (the
/// label wins). Errors: not JSON, not a Namespace, no uid.
Result<ServerWord> kube_server_word(std::string_view json);

/// The first `[[identity]]` of `config` that `word` matches: every
/// identifier the entry gives equals the server's (system_identifier,
/// cluster_name, kube_system_uid); nullptr when none.
const IdentityPin* matching_identity(const ServerWord& word, const Config& config);

/// Attaches `word` to `target` (Target::server) with the matching identity
/// pin filled in, and raises the target's tier to the most dangerous of its
/// own, the declared tier and the pinned tier (more_dangerous; never
/// lower). A declared tier the configuration does not define counts as
/// "unknown" (a warning is added to `warnings`). When the tier rises,
/// `target.rule` says why: "declared by the server (sentinel.tier)" or
/// "pinned identity at PATH:LINE:COL".
void apply_server_word(Target& target, ServerWord word, const Config& config, std::vector<std::string>& warnings);

/// Whether the guard asks this target's server before deciding, under
/// `config.probe`: never; always (pg and kube targets without problems);
/// guarded (default): when the target was traced, is on this machine
/// (pg_endpoint, kube_endpoint), or its tier's policy asks for "yes"
/// (staging: the server may declare a tier that asks for the name; under
/// type-name, production and unknown, nothing it says changes the
/// decision, so no connection is spent).
bool wants_probe(const Target& target, const Config& config);

/// The text `sentinel probe --pin TIER` appends to config.toml for `word`:
/// a comment naming the target and the date, then an `[[identity]]` table
/// with the strongest identifier the server gave (system_identifier, else
/// cluster_name; kube_system_uid for a cluster) and `tier`. Starts with a
/// newline. Errors: the server gave no identifier; `tier` is not defined in
/// `config`. Values are TOML basic strings with `"` and `\` escaped and
/// control characters refused.
Result<std::string> identity_entry(const ServerWord& word, Kind kind, const std::string& tier,
                                   const std::string& described_as, const Config& config);

}  // namespace sentinel
