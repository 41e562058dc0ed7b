#pragma once
// Evaluations off the agent's loop. Resolving a terminal's targets may take
// long: the first libpq load, a cold 10 MB kubeconfig (about 250 ms), an
// outside file parsed under a budget in a child process (io/budget.hpp).
// The agent hands each evaluation to one worker thread and keeps serving:
// every other terminal is answered from its cached state meanwhile, and the
// terminal that waits is answered when its result is back (or shows stale
// at its prompt's deadline: core/display/stale.hpp).
//
// One thread, one job at a time: libpq reads its settings from the process
// environment, which evaluate() replaces for the call (environ_mutex,
// core/vars.hpp), so two evaluations at once would see each other's
// variables. The thread has its own working directory (unshare CLONE_FS),
// so a guard's verdict evaluated in the caller's directory never moves the
// loop's. The worker calls the same evaluate() as `sentinel status` and the
// guard; whatever that calls to bound a parse (a child process with limits)
// runs on this thread, never on the loop.

#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "sentinel/core/tier.hpp"
#include "sentinel/io/listeners.hpp"
#include "sentinel/core/vars.hpp"
#include "sentinel/io/agent_cache.hpp"

namespace sentinel {

/// One evaluation to run.
struct EvalJob {
    std::uint64_t id = 0;                 ///< the caller's, returned in EvalResult
    Vars vars;                            ///< the variables (relative paths already absolute for sessions)
    /// Empty: a session's evaluation (evaluate_session_vars) for the
    /// shell's working directory `cwd` (dotenv, terraform). Else a command
    /// whose guard verdict is wanted (`EVAL`, `GUARD`), evaluated in `cwd`.
    std::vector<std::string> command;
    std::string cwd;
    std::set<std::string> known_files;    ///< session: the previous evaluation's files
};

/// What an evaluation gave.
struct EvalResult {
    std::uint64_t id = 0;
    std::shared_ptr<Evaluation> evaluation;  ///< session jobs (failed_evaluation() when it threw)
    std::string verdict = "ask";             ///< command jobs: "run" or "ask"
    Tier tier;                               ///< command jobs: the command's tier
    /// Command jobs: every file the verdict read or libpq may read, with the
    /// identity it had before (verdict_cacheable, VerdictCache).
    std::map<std::string, FileIdentity> files;
    bool traced_listeners = false;           ///< command jobs: a loopback target's listeners were looked up
    std::string error;                       ///< what went wrong ("" when nothing did); never a secret
    std::int64_t micros = 0;                 ///< how long the evaluation took
};

/// The worker thread and its queues.
class EvalWorker {
public:
    /// What one job does (run_eval_job for the agent).
    using Work = std::function<EvalResult(const EvalJob&)>;

    explicit EvalWorker(Work work);
    /// Stops the thread after the job it runs (the queue is dropped).
    ~EvalWorker();
    EvalWorker(const EvalWorker&) = delete;
    EvalWorker& operator=(const EvalWorker&) = delete;

    /// An eventfd, readable while results wait in take(); -1 when it could
    /// not be created (then jobs run on the caller's thread in submit()).
    int fd() const { return event_fd_; }

    /// Queues `job` (the thread starts with the first job).
    void submit(EvalJob job);

    /// The finished results, oldest first; clears fd()'s readiness.
    std::vector<EvalResult> take();

    /// Jobs queued or running.
    std::size_t pending() const;

private:
    void loop();

    Work work_;
    int event_fd_ = -1;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<EvalJob> jobs_;
    std::vector<EvalResult> done_;
    std::size_t running_ = 0;
    bool stop_ = false;
    std::thread thread_;
};

/// True when the verdict of `command` depends only on its arguments, the
/// variables, the working directory and the files run_eval_job records
/// (the PostgreSQL service files, the config files): psql, unless an
/// argument names a service file of its own. Only such verdicts are cached.
bool verdict_cacheable(const std::vector<std::string>& command);

/// Guard verdicts already evaluated, valid while every file they depend on
/// keeps its identity: a wrapped `psql` run again answers from the loop,
/// without waking the worker.
class VerdictCache {
public:
    /// The cached verdict ("run" or "ask") and tier, when every file still
    /// has its identity.
    std::optional<std::pair<std::string, Tier>> find(const std::string& cwd, const std::vector<std::string>& command,
                                                     const Vars& vars);
    /// Stores a result of run_eval_job for a cacheable command; keeps at
    /// most 64, dropping the least recently used.
    void store(const std::string& cwd, const std::vector<std::string>& command, const Vars& vars, const EvalResult& r);

private:
    struct Entry {
        std::string verdict;
        Tier tier;
        std::map<std::string, FileIdentity> files;
        std::uint64_t used = 0;
    };
    using Key = std::tuple<std::string, std::vector<std::string>, Vars>;
    std::map<Key, Entry> entries_;
    std::uint64_t clock_ = 0;
};

/// The agent's job: evaluate_session_vars() for a session, else the guard's
/// verdict (runs_unasked, core/guard/describe.hpp) of `job.command` under
/// `job.vars` in `job.cwd` ("ask" for a relative or missing cwd). Catches
/// what evaluation throws into EvalResult::error. Loopback targets are
/// traced through `listeners`, which only the calling thread may use.
EvalResult run_eval_job(const EvalJob& job, const SystemListeners& listeners);

}  // namespace sentinel
