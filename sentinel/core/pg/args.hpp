#pragma once
// The connection a psql command line asks for, before libpq applies
// services, environment variables and defaults.

#include <optional>
#include <string>
#include <vector>

namespace sentinel {

/// Connection parameters given on a psql command line, as psql hands them
/// to PQconnectdbParams (host, port, user, dbname; dbname may be a conninfo
/// string or URI, which libpq expands).
struct PsqlConnArgs {
    std::optional<std::string> host;      ///< -h, --host
    std::optional<std::string> port;      ///< -p, --port
    std::optional<std::string> user;      ///< -U, --username, or the second positional argument
    std::optional<std::string> dbname;    ///< -d, --dbname, or the first positional argument
    bool list = false;                    ///< -l: psql connects to "postgres" when no dbname is given
    std::vector<std::string> given;       ///< options that set the above, as spelled ("-h", "--dbname", "dbname (positional)")
};

/// One element of a psql command line as psql's getopt_long sees it.
struct PsqlToken {
    enum class Kind {
        option,      ///< a known option, with its value if it takes one
        positional,  ///< a non-option argument (dbname, then user)
        unknown,     ///< an unknown option, or one missing its value: psql reports it
    };
    Kind kind = Kind::positional;
    std::string name;            ///< an option's long name ("host") however it was spelled
    char short_name = 0;         ///< its short letter, 0 when it has none
    bool takes_value = false;
    bool spelled_short = false;  ///< given as `-h` (or in a cluster) rather than `--host`
    std::string value;           ///< the option's value, or the positional argument
    std::string text;            ///< for `unknown`: the word, or "-x" for one letter of a cluster
};

/// Splits psql's arguments (without the program name) the way psql's
/// getopt_long does, with psql 15's option table: clustered short options
/// (`-Xq`), attached values (`-hdb`), `--long=value` and `--long value`,
/// unambiguous prefixes of long options (`--ho`), options after positional
/// arguments, `--` ending options. Source: psql's startup.c
/// (parse_psql_options) in PostgreSQL 15.
std::vector<PsqlToken> tokenize_psql_args(const std::vector<std::string>& args);

/// Parses psql's arguments (without the program name) the way psql's
/// getopt_long does (tokenize_psql_args): clustered short options (`-Xq`), attached values
/// (`-hdb`), `--long=value` and `--long value`, unambiguous prefixes of
/// long options (`--ho`), options after positional arguments, `--` ending
/// options. The first positional argument is the dbname unless -d was
/// given, the next the user unless -U was given. The last occurrence of an
/// option wins. Source: psql's startup.c (parse_psql_options) in
/// PostgreSQL 15.
PsqlConnArgs parse_psql_args(const std::vector<std::string>& args);

/// One source of SQL on a psql command line, in order.
struct PsqlSql {
    bool file = false;  ///< -f: `text` is a path ("-" is stdin); -c: `text` is the command
    std::string text;
};

/// A psql command line split into what the guard needs.
struct PsqlCommandLine {
    std::vector<std::string> args;  ///< the arguments without --write: what psql itself accepts
    PsqlConnArgs conn;              ///< parse_psql_args(args): the connection they ask for
    std::vector<std::string> kept;  ///< `args` without connection options (-h, -p, -U, -d, positionals)
    std::vector<PsqlSql> sql;       ///< -c and -f in order
    bool list = false;              ///< -l
    bool info_only = false;         ///< --version, -V, --help, -?: psql connects nowhere
    bool write = false;             ///< --write (a sentinel option psql does not have): interactive write access
    bool single_transaction = false;  ///< -1, --single-transaction
    bool quiet = false;             ///< -q, --quiet
    std::vector<std::string> kept_options;  ///< `kept` without -c, -f and -1 (the undo copy runs its own steps)
};

/// Parses psql's arguments (without the program name) with psql 15's
/// option table (tokenize_psql_args, as parse_psql_args does): clustered
/// short options, attached values, `--long=value`, unambiguous long
/// prefixes, `--` ending options. `--write` before `--` is sentinel's own
/// option and is taken out.
PsqlCommandLine parse_psql_command_line(const std::vector<std::string>& args);

/// True when psql would read commands from the terminal: no -c, no -f, not
/// -l, not --version/--help, and stdin is a terminal (`stdin_tty`).
bool psql_interactive(const PsqlCommandLine& cmd, bool stdin_tty);

}  // namespace sentinel
