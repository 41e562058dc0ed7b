#pragma once
// What the display model (core/display/model.hpp) says about a traced or
// probed target: each hop of the way from its loopback address to what it
// reaches, what its server said, and the lines the roomier sinks (status,
// explain, the guard banner) add. Pure; every name passes through sanitize().

#include <string>
#include <vector>

#include "sentinel/core/config/config.hpp"
#include "sentinel/core/target.hpp"

namespace sentinel {

/// One hop as a short phrase, sanitized, for TargetView::via:
/// "kubectl port-forward svc/orders-db (context prod-eu)", "ssh bastion →
/// db.prod:5432", "socat → 127.0.0.2:5433", "pgbouncer orders →
/// db1:5432/orders", "cloud-sql-proxy acme-prod:eu:orders", "postgres",
/// "docker-proxy → 172.17.0.2:5432", "unrecognised listener python3 (pid
/// 42)", "a process of uid 65534 you cannot see".
std::string describe_hop(const Hop& hop);

/// What follows a probed target's name on every sink, sanitized: " ·
/// replica", " · declared LABEL", " · pinned LABEL" (labels from `config`);
/// "" when it was not probed or said nothing of note.
std::string server_marks(const Target& target, const Config& config);

/// What a probed server said, as one line: "replica (in recovery),
/// cluster_name \"main\", declares production, system identifier 7312...,
/// PostgreSQL 15.4, at 127.0.0.2:5433"; "" when it was not probed.
std::string format_server_word(const Target& target);

/// The extra lines of a target (TargetView::lines): one per hop, "via
/// KIND on LISTEN (pid N): COMMAND; reaches TIER by RULE", its problems,
/// then "server said: ..." (format_server_word).
std::vector<std::string> target_lines(const Target& target);

}  // namespace sentinel
