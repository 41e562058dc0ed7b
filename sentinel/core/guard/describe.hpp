#pragma once
// From a command line to the Action the guard decides on: psql statements
// classified by libpg_query, kubectl/helm verbs, anything else a write.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sentinel/core/guard/action.hpp"
#include "sentinel/core/guard/pin.hpp"
#include "sentinel/core/pg/sql_classify.hpp"
#include "sentinel/core/snapshot.hpp"

namespace sentinel {

/// Reads the SQL of `psql -f PATH` ("-" is stdin); nullopt when it cannot
/// be read (the action then counts as destructive: it cannot be checked).
using SqlReader = std::function<std::optional<std::string>(const std::string& path)>;

/// Every statement and meta-command a non-interactive psql command line
/// would run, in order: -c and -f (classify_psql_command,
/// classify_psql_script), or `stdin_sql` when there are none; a file or
/// stdin that cannot be read is one destructive "unreadable" entry.
SqlVerdict psql_statements(const PsqlCommandLine& cmd, const SqlReader& read_sql,
                           const std::optional<std::string>& stdin_sql);

/// The action of a psql command line:
/// - `interactive` (psql_interactive): verb "interactive session", a read
///   (it opens read-only on a guarded tier) unless `cmd.write`;
/// - -l alone: "list databases", a read;
/// - -c and -f: every statement classified (classify_psql_command,
///   classify_psql_script); the verb is the kind of the worst statement
///   ("DELETE", "DROP TABLE", "unparsable SQL"), followed by "+N more" when
///   there are others; a destructive statement's text goes to `detail`;
/// - no -c/-f with stdin not a terminal: `stdin_sql` (captured stdin)
///   classified as a script; nullopt stdin counts as destructive.
Action psql_action(const PsqlCommandLine& cmd, bool interactive, const SqlReader& read_sql,
                   const std::optional<std::string>& stdin_sql);

/// The action of a kubectl or helm command line (arguments without the
/// program name): the verb of find_kubectl_verb / find_helm_verb, "(no
/// verb)" when there is none.
Action kube_action(Tool tool, const std::vector<std::string>& args);

/// The action of a terraform command line (arguments without the program
/// name): the subcommand and risk of parse_terraform_command
/// (core/terraform/verbs.hpp), "(no subcommand)" when there is none.
Action terraform_action(const std::vector<std::string>& args);

/// The action of any other program: tool = its base name, a write. Its
/// arguments are neither shown nor audited (they may hold a token).
Action other_action(const std::vector<std::string>& argv);

/// True when `sentinel guard` runs `command` (program name first, already
/// named psql, kubectl or helm when --tool chose one) without asking,
/// whatever its terminal, input and files: decide() gives `run` for the
/// command's action with a terminal and no override. That is policy none,
/// or a kubectl/helm/terraform read. psql statements are not read here (-f files
/// and stdin belong to the caller), so psql counts as a write: on a tier
/// whose policy asks, the answer is false and the caller looks closer.
/// A command that is not a read on a target the guard would probe first
/// (wants_probe: traced, on loopback, ...) is false too: the server may
/// declare a tier that asks.
/// The agent answers EVAL with this (core/agent/protocol.hpp).
bool runs_unasked(const Snapshot& snapshot, const std::vector<std::string>& command);

}  // namespace sentinel
