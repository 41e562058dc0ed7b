#pragma once
// Pinned server identities (`[[identity]]`) and when the guard probes
// (`probe`): the types config.toml's keys become (core/config/config.hpp).

#include <optional>
#include <string>
#include <string_view>

#include "sentinel/core/tier.hpp"

namespace sentinel {

/// An `[[identity]]` entry: a server known by what it says about itself
/// (`sentinel probe`), whatever it is called or however it is reached, has
/// this tier. Every identifier given must match; at least one is given.
struct IdentityPin {
    std::string system_identifier;  ///< PostgreSQL pg_control_system().system_identifier
    std::string cluster_name;       ///< PostgreSQL `cluster_name`
    std::string kube_system_uid;    ///< Kubernetes: the UID of namespace kube-system
    Tier tier;
    std::string origin;             ///< "path:line:col"
};

/// When the guard asks a server who it is before deciding (`probe` in
/// config.toml).
enum class ProbeMode {
    guarded,  ///< when the target is traced or on this machine, or its tier asks for "yes" (default)
    always,   ///< before every command that connects
    never,    ///< never
};

/// "guarded", "always" or "never".
std::string_view probe_mode_name(ProbeMode mode);

/// "guarded", "always" or "never" as a ProbeMode; nullopt otherwise.
std::optional<ProbeMode> parse_probe_mode(std::string_view text);

}  // namespace sentinel
