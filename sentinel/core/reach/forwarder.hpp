#pragma once
// What a listening process forwards to, read from its command line (and,
// for some, its environment, `ssh -G` output or ini file): pure functions,
// one file per forwarder (fwd_*.cpp). core/reach/trace.cpp drives them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/kube/args.hpp"
#include "sentinel/core/target.hpp"

namespace sentinel {

/// Where a recognised listener leads, as far as its command line says.
struct Forward {
    /// What kind of place it reaches.
    enum class Goal {
        local,    ///< this machine: a PostgreSQL server, a container (docker-proxy)
        remote,   ///< a host and port or a socket (remote_host/remote_port or remote_socket in `reached`), or a Cloud SQL instance
        kube,     ///< a Kubernetes context (kubectl): resolve `kube` with the forwarder's KUBECONFIG and cwd
        unknown,  ///< not recognised, or recognised but its destination cannot be read (`problems` says why)
    };
    Goal goal = Goal::unknown;
    std::string kind;                   ///< Hop::kind: "postgres", "kubectl port-forward", "ssh", ... "unknown"
    std::string program;                ///< the rule field `via`: "postgres", "kubectl", "ssh", "socat", "ncat", "cloud-sql-proxy", "pgbouncer", "docker-proxy", "unknown"
    std::string command;                ///< Hop::command: a summary built from the parts understood, never the whole argv
    std::vector<Field> reached;         ///< what the command line names (Hop::reached)
    std::vector<std::string> problems;  ///< why the destination is not known
    std::optional<KubeOverrides> kube;  ///< Goal::kube: the forwarder's own --context, --kubeconfig, -n, ...
    std::vector<std::string> ssh_args;  ///< ssh: the options to ask `ssh -G` with, destination last
    std::string pgbouncer_ini;          ///< pgbouncer: its configuration file as given (relative to its cwd)

    /// Value of reached field `name`, or "".
    const std::string& get(std::string_view name) const;
    /// Sets reached field `name` (appending it if new).
    void set(std::string_view name, std::string value, std::string origin = "command line");
};

/// The program a command line runs and its arguments, seeing through
/// script interpreters: `python3 -u /usr/local/bin/kubectl port-forward ...`
/// is kubectl with `port-forward ...`. Interpreters: sh, bash, dash, zsh,
/// python, python2, python3(.N), perl, ruby, node; their options before the
/// script are skipped (`-c` means no script: the interpreter itself is the
/// program). The program is the base name of the path.
struct ProgramArgs {
    std::string program;
    std::vector<std::string> args;
};
ProgramArgs program_of(const std::vector<std::string>& argv);

/// `text` split into words as a POSIX shell would without expansions:
/// blanks separate, single quotes keep everything, double quotes keep all
/// but `\"`, `\\`, `\$`, `` \` ``, a backslash outside quotes keeps the
/// next character. For `ncat --sh-exec "ncat db 5432"`.
std::vector<std::string> shell_words(std::string_view text);

/// What the command line `argv` of a process listening on `port` (0 for a
/// Unix socket at `path`) forwards to. Recognised, by program_of():
/// postgres/postmaster (local; `-D` or PGDATA's data directory),
/// kubectl/oc port-forward and proxy, ssh, socat, ncat/nc/netcat,
/// cloud-sql-proxy and cloud_sql_proxy, pgbouncer, docker-proxy. Anything
/// else is Goal::unknown with the problem "not a recognised forwarder".
/// `pgdata` is the process's PGDATA when its environment was readable.
Forward recognise(const std::vector<std::string>& argv, int port, const std::string& path, const std::string& pgdata = "");

/// True for the command line of a PostgreSQL server process: the
/// postmaster (`postgres`, `postmaster`) or a child whose title starts with
/// "postgres:" (its process title).
bool is_postgres_command(const std::vector<std::string>& argv);

/// kubectl's `port-forward TYPE/NAME [LOCAL:]REMOTE...` (resource and the
/// remote port of the mapping whose local port is `port`; with one mapping,
/// that one) or `proxy` (the API server itself), with the overrides of
/// parse_kube_args. Any other verb: Goal::unknown. `program` is "kubectl" or "oc".
Forward kubectl_forward(const std::string& program, const std::vector<std::string>& args, int port);

/// ssh's local forwards from its command line (`-L [bind:]port:host:hostport`,
/// `-L port:remote_socket`, `-o LocalForward=...`), its destination
/// (`[user@]host`, `ssh://[user@]host[:port]`, options allowed after it as
/// OpenSSH allows), `-p` and `-l`. `ssh_args` gets the options `ssh -G`
/// needs (-F -o -p -l -J -L -4 -6, then the destination). The forward
/// whose listening port is `port` (or path `path`) gives remote_host and
/// remote_port (or remote_socket); ssh_host is the destination host as
/// written.
Forward ssh_forward(const std::vector<std::string>& args, int port, const std::string& path);

/// Completes `forward` with the output of `ssh -G`: ssh_hostname, ssh_user
/// and ssh_port from `hostname`, `user`, `port`, and remote_host,
/// remote_port or remote_socket from the `localforward` line whose listening
/// side is `port` (or `path`), which also covers LocalForward lines of the
/// ssh configuration. Lines are `key value`, keys lower case.
void apply_ssh_config(Forward& forward, std::string_view ssh_g_output, int port, const std::string& path);

/// socat's two addresses: a listening one (TCP-LISTEN, TCP4-LISTEN,
/// TCP6-LISTEN, TCP-L, OPENSSL-LISTEN, UNIX-LISTEN, ... in either position)
/// and a connecting one: TCP, TCP4, TCP6, TCP-CONNECT, OPENSSL, SSL
/// (remote_host, remote_port); UNIX-CONNECT, UNIX-CLIENT, UNIX, GOPEN
/// (remote_socket); PROXY and SOCKS4/4A/5 (the final host and port, and
/// proxy_host). EXEC, SYSTEM and anything else: Goal::unknown. Keywords
/// are case-insensitive; address options after a comma are ignored (never
/// shown: they can hold a proxy password).
Forward socat_forward(const std::vector<std::string>& args);

/// ncat (and nc, netcat) in listen mode (`-l`, `--listen`) running, for each
/// connection, `--sh-exec`/`-c` or `--exec`/`-e` COMMAND: when COMMAND is
/// itself ncat/nc/netcat HOST PORT or socat, what it connects to.
/// Otherwise Goal::unknown.
Forward ncat_forward(const std::string& program, const std::vector<std::string>& args);

/// cloud-sql-proxy (v2: positional instance connection names, `--port`/`-p`
/// first port counting up, per-instance `?port=N`; `--unix-socket`) and
/// cloud_sql_proxy (v1: `-instances=NAME=tcp:[ADDR:]PORT,...`): the
/// `instance` served on `port` (or under socket path `path`); with a single
/// instance, that one. Credentials flags are skipped, never shown.
Forward cloud_sql_forward(const std::string& program, const std::vector<std::string>& args, int port,
                          const std::string& path);

/// pgbouncer's configuration file: the last argument that is not an
/// option (`-d`, `-R`, `-q`, `-v`, `-u USER`, ...).
Forward pgbouncer_forward(const std::vector<std::string>& args);

/// Completes a pgbouncer `forward` with its ini text: the `[databases]`
/// entry for `dbname` (or the `*` fallback) gives database, remote_host
/// (first of a host list; none: the `[pgbouncer]` unix_socket_dir, default
/// /tmp), remote_port (default 5432) and remote_dbname (default the name
/// asked for). `password` and every other key are never copied. No entry:
/// a problem (pgbouncer would refuse the database).
void apply_pgbouncer_ini(Forward& forward, std::string_view ini, const std::string& dbname);

/// docker-proxy's `-container-ip` and `-container-port`: local.
Forward docker_proxy_forward(const std::vector<std::string>& args);

}  // namespace sentinel
