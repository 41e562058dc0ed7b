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

/// One source of SQL on a psql command line, in order.
struct PsqlSql {
    bool file = false;  ///< -f: `text` is a path ("-" is stdin); -c: `text` is the command
    std::string text;
};

/// A psql command line split into what the guard needs.
struct PsqlCommandLine {
    std::vector<std::string> kept;  ///< the arguments without connection options (-h, -p, -U, -d, positionals) and --write
    std::vector<PsqlSql> sql;       ///< -c and -f in order
    bool list = false;              ///< -l
    bool info_only = false;         ///< --version, -V, --help, -?: psql connects nowhere
    bool write = false;             ///< --write (a sentinel option psql does not have): interactive write access
};

/// Parses psql's arguments (without the program name) with psql 15's
/// option table (getopt_long rules as in parse_psql_args): clustered short
/// options, attached values, `--long=value`, unambiguous long prefixes,
/// `--` ending options.
PsqlCommandLine parse_psql_command_line(const std::vector<std::string>& args);

/// True when psql would read commands from the terminal: no -c, no -f, not
/// -l, not --version/--help, and stdin is a terminal (`stdin_tty`).
bool psql_interactive(const PsqlCommandLine& cmd, bool stdin_tty);

/// `value` as a conninfo value: single-quoted, `\\` and `'` escaped.
std::string conninfo_quote(const std::string& value);

/// The connection libpq settled on, as keyword/value pairs, ready to pin.
/// `password` is kept apart so that it goes to the environment, never argv.
struct PinnedConnection {
    ConnParams params;                    ///< every non-empty option except service, password and options
    std::string options;                  ///< the settled `options` (PGOPTIONS) value
    std::optional<std::string> password;  ///< one the user supplied (conninfo, service, PGPASSWORD)
};

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
