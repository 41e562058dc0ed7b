#include "sentinel/io/undo_run.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sentinel/core/guard/preview.hpp"
#include "sentinel/core/sanitize.hpp"
#include "sentinel/io/audit.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/undo_store.hpp"

namespace sentinel {
namespace {

std::string self_path() {
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "sentinel";
}

std::string new_id() {
    std::uint32_t r = 0;
    if (getrandom(&r, sizeof r, 0) != sizeof r) r = static_cast<std::uint32_t>(getpid()) * 2654435761u;
    return make_undo_id(static_cast<std::int64_t>(std::time(nullptr)), r);
}

// Runs argv as a child with the environment changes, waiting for it the way
// system() does (Ctrl-C reaches psql, which handles it; the guard waits).
int run_child(const PinnedCommand& cmd, int keep_fd) {
    struct sigaction ignore {
    }, old_int{}, old_quit{};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGINT, &ignore, &old_int);
    sigaction(SIGQUIT, &ignore, &old_quit);
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid == 0) {
        sigaction(SIGINT, &old_int, nullptr);
        sigaction(SIGQUIT, &old_quit, nullptr);
        for (const std::string& n : cmd.unset_env) unsetenv(n.c_str());
        for (const auto& [n, v] : cmd.set_env) setenv(n.c_str(), v.c_str(), 1);
        if (keep_fd >= 0) fcntl(keep_fd, F_SETFD, fcntl(keep_fd, F_GETFD) & ~FD_CLOEXEC);
        std::vector<char*> args;
        for (const std::string& a : cmd.argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        std::fprintf(stderr, "sentinel: error: cannot run %s\n", sanitize(cmd.argv[0]).c_str());
        _exit(127);
    }
    int status = 0;
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGQUIT, &old_quit, nullptr);
    if (pid < 0) return 126;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string read_all(int fd) {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    return out;
}

void audit_copy(UndoRun& run, const std::string& decision, const std::string& reason) {
    AuditRecord r = run.audit;
    r.time = static_cast<std::int64_t>(std::time(nullptr));
    r.decision = decision;
    r.reason = reason;
    r.undo = run.manifest.id;
    write_audit(run.vars, r, run.audit_required);
}

// Fills the parts of the manifest from the sinks' files and status lines.
void fill_parts(const UndoPlan& plan, const std::string& dir, const std::vector<std::vector<std::string>>& ok,
                Manifest& m) {
    for (std::size_t k = 0; k < plan.parts.size(); ++k) {
        const UndoPart& part = plan.parts[k];
        const std::vector<std::string>* status = nullptr;
        for (const auto& s : ok)
            if (s.size() == 5 && s[1] == std::to_string(k)) status = &s;
        if (!status) continue;
        ManifestPart p;
        p.statement = part.statement;
        p.kind = plan.statements[part.statement].derived.verb;
        auto meta = nlohmann::json::parse(PosixFileReader().read(dir + "/" + std::to_string(k) + ".meta.json").data,
                                          nullptr, false);
        if (!meta.is_discarded()) {
            p.relation = meta.value("relation", "");
            p.schema = meta.value("schema", "");
            p.table = meta.value("table", "");
            p.xid = meta.value("xid", "");
            p.key_kind = meta.value("key_kind", "");
            if (meta.contains("key") && meta["key"].is_array()) p.key = meta["key"].get<std::vector<std::string>>();
            if (meta.contains("columns") && meta["columns"].is_array())
                for (const auto& c : meta["columns"])
                    p.columns.push_back({c.value("name", ""), c.value("type", ""), !c.value("generated", "").empty(),
                                         !c.value("identity", "").empty()});
        }
        bool dump = part.kind == UndoPart::Kind::dump;
        p.file = std::to_string(k) + (dump ? ".dump.sql" : ".rows.copy");
        p.format = dump ? "pg_dump-plain" : "copy-text";
        p.rows = std::strtoll((*status)[2].c_str(), nullptr, 10);
        p.bytes = std::strtoll((*status)[3].c_str(), nullptr, 10);
        p.sha256 = (*status)[4];
        m.parts.push_back(std::move(p));
    }
}

std::vector<std::vector<std::string>> status_lines(const std::string& text) {
    std::vector<std::vector<std::string>> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> words;
        std::istringstream w(line);
        std::string word;
        while (w >> word) words.push_back(word);
        if (words.size() >= 2) {
            if (words[0] != "ok") {  // keep the reason whole
                auto at = line.find(' ', line.find(' ') + 1);
                words.resize(2);
                words.push_back(at == std::string::npos ? "" : line.substr(at + 1));
            }
            out.push_back(std::move(words));
        }
    }
    return out;
}

// After psql: the sinks' reports decide between refusing (a copy failed:
// nothing was changed), discarding (psql stopped before COMMIT) and keeping
// the copy with its manifest.
int finish(const UndoPlan& plan, UndoRun& run, const std::string& root, const std::string& dir, int code,
           const std::vector<std::vector<std::string>>& lines) {
    std::vector<std::vector<std::string>> ok;
    std::string failure, skipped;
    for (const auto& l : lines) {
        if (l[0] == "ok" && l.size() == 5)
            ok.push_back(l);
        else if (l[0] == "fail")
            failure = l.size() > 2 ? l[2] : "unknown reason";
        else if (l[0] == "skip")
            skipped = l.size() > 2 ? l[2] : "unknown reason";
    }
    if (!failure.empty()) {
        remove_undo_dir(dir);
        std::fprintf(stderr, "sentinel: refused: the undo copy could not be written (%s); nothing was changed\n",
                     sanitize(failure).c_str());
        audit_copy(run, "refused", "undo copy failed: " + failure);
        return 77;
    }
    bool committed = code == 0;
    if (!committed && code != 2) {  // psql stopped before COMMIT: nothing changed, nothing to keep
        remove_undo_dir(dir);
        return code;
    }
    if (!committed) run.manifest.status = "uncertain";
    fill_parts(plan, dir, ok, run.manifest);
    if (run.manifest.parts.empty()) {
        remove_undo_dir(dir);
        if (!skipped.empty()) audit_copy(run, "no undo copy", skipped);
        return code;
    }
    if (auto e = write_new_file(dir + "/manifest.json", format_manifest(run.manifest))) {
        std::fprintf(stderr, "sentinel: warning: the undo copy's manifest cannot be written: %s\n",
                     sanitize(*e).c_str());
        audit_copy(run, "no undo copy", "manifest: " + *e);
        return code;
    }
    std::int64_t rows = 0, bytes = 0;
    std::string what;
    for (const ManifestPart& p : run.manifest.parts) {
        rows += p.rows;
        bytes += p.bytes;
        what += (what.empty() ? "" : ", ") + p.relation;
    }
    std::fprintf(stderr, "sentinel: undo copy %s: %s rows of %s (%s)%s; sentinel undo restore %s puts them back\n",
                 run.manifest.id.c_str(), format_rows(static_cast<double>(rows)).c_str(), sanitize(what).c_str(),
                 format_bytes(bytes).c_str(), committed ? "" : ", the commit is uncertain", run.manifest.id.c_str());
    if (!skipped.empty())
        std::fprintf(stderr, "sentinel: warning: part of the copy was not kept: %s\n", sanitize(skipped).c_str());
    audit_copy(run, "undo copy", committed ? "kept" : "kept, commit uncertain");
    prune_undo(root, run.keep_days, static_cast<std::int64_t>(std::time(nullptr)));
    return code;
}

}  // namespace

int run_with_undo(const UndoPlan& plan, UndoRun run) {
    std::string root = undo_root(run.vars);
    run.manifest.id = new_id();
    auto dir = create_undo_dir(root, run.manifest.id);
    std::string why_not;
    if (!dir) why_not = dir.error().message;
    if (why_not.empty() && run.estimated_bytes > 0) {
        auto space = free_bytes(*dir);
        if (space && *space < run.estimated_bytes) {
            why_not = "not enough space under " + root + ": about " + format_bytes(run.estimated_bytes) + " needed, " +
                      format_bytes(*space) + " free";
            remove_undo_dir(*dir);
        }
    }
    if (!why_not.empty()) {
        if (run.mode == UndoMode::required) {
            std::fprintf(stderr, "sentinel: refused: the undo copy cannot be written (%s); nothing was run\n",
                         sanitize(why_not).c_str());
            audit_copy(run, "refused", "undo copy cannot be written: " + why_not);
            return 77;
        }
        std::fprintf(stderr, "sentinel: warning: no undo copy (%s); running without one\n", sanitize(why_not).c_str());
        audit_copy(run, "no undo copy", why_not);
        return run_child(run.original, -1);
    }
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return 126;
    std::vector<std::string> extra = undo_psql_args(plan, run.quiet, "exec \"$SENTINEL_UNDO_BIN\" undo sink");
    PinnedCommand cmd = run.psql;
    cmd.argv.insert(cmd.argv.begin() + static_cast<long>(run.insert_at), extra.begin(), extra.end());
    const std::pair<std::string, std::string> sink_env[] = {
        {"SENTINEL_UNDO_BIN", self_path()},
        {"SENTINEL_UNDO_DIR", *dir},
        {"SENTINEL_UNDO_MAX_BYTES", std::to_string(run.max_bytes)},
        {"SENTINEL_UNDO_MODE", std::string(undo_mode_name(run.mode))},
        {"SENTINEL_UNDO_STATUS_FD", std::to_string(fds[1])},
        {"SENTINEL_UNDO_CONNINFO", run.conninfo},
        {"SENTINEL_UNDO_PG_DUMP", run.pg_dump}};
    cmd.set_env.insert(cmd.set_env.end(), std::begin(sink_env), std::end(sink_env));
    int code = run_child(cmd, fds[1]);
    ::close(fds[1]);
    auto lines = status_lines(read_all(fds[0]));
    ::close(fds[0]);
    return finish(plan, run, root, *dir, code, lines);
}

}  // namespace sentinel
