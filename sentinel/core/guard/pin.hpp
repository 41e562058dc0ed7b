#pragma once
// Pinning: the command the guard execs names the confirmed target
// explicitly, so that a service file, kubeconfig or environment changed
// after the question cannot send it elsewhere (BAD_INPUTS.md row 28).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sentinel/core/config/config.hpp"
#include "sentinel/core/display/model.hpp"
#include "sentinel/core/kube/args.hpp"
#include "sentinel/core/pg/resolve.hpp"
#include "sentinel/core/snapshot.hpp"

namespace sentinel {

/// `value` as a conninfo value: single-quoted, `\\` and `'` escaped.
std::string conninfo_quote(const std::string& value);

/// How to run psql pinned: its argv and the environment changes.
struct PinnedCommand {
    std::vector<std::string> argv;
    std::vector<std::pair<std::string, std::string>> set_env;
    std::vector<std::string> unset_env;
};

/// psql pinned to `connection`: `program`, then `cmd.kept`, then
/// `-d 'host=... port=... dbname=... user=...'` holding every pinned
/// parameter. The environment loses PGSERVICE, PGSERVICEFILE, PGHOST,
/// PGHOSTADDR, PGPORT, PGDATABASE, PGUSER and SENTINEL_CONFIRM (so libpq
/// reads no service file and nothing else can redirect it), gets
/// PGPASSWORD when a password was supplied, and PGOPTIONS set to the
/// settled options plus `-c default_transaction_read_only=on` when
/// `read_only`. With `prompt_tier` (interactive psql on a guarded tier: the
/// display of the confirmed snapshot), PROMPT1 and PROMPT2 show its label
/// in its colour (`-v`).
PinnedCommand pin_psql(const std::string& program, const PsqlCommandLine& cmd, const PinnedConnection& connection,
                       bool read_only, const Display* prompt_tier);

/// True when `connection` is what the pg `targets` (from evaluate) show:
/// same dbname and user, and per host the same host, hostaddr and port.
/// False means something changed between the two resolutions.
bool pin_matches(const std::vector<Target>& targets, const PinnedConnection& connection);

/// kubectl or helm pinned to the kube `target`: inserted at position `at`
/// of `argv` (just after the verb, so that kubectl plugins, which refuse
/// flags before their name, still work; 1 when there is no verb), kubectl
/// gets `--context=`, `--cluster=` and `--user=` (each unless
/// `given` already has it), helm `--kube-context=`; when no --kubeconfig
/// was given and exactly one file supplied the target, `--kubeconfig=FILE`
/// too. `kubeconfig_env` receives the list of the files that supplied the
/// target (colon-separated) when several did, to be exported as
/// KUBECONFIG, so that a file created or edited elsewhere in the list
/// cannot take precedence; empty otherwise.
std::vector<std::string> pin_kube(Tool tool, const std::vector<std::string>& argv, std::size_t at,
                                  const Target& target, const KubeOverrides& given, std::string& kubeconfig_env);

}  // namespace sentinel
