#include "sentinel/io/eval_worker.hpp"

#include <sched.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <utility>

#include "sentinel/core/guard/describe.hpp"
#include "sentinel/core/pg/service_file.hpp"
#include "sentinel/core/snapshot.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/kube_cache.hpp"

namespace sentinel {
namespace {

std::int64_t now_us() {
    timespec ts;
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

}  // namespace

EvalWorker::EvalWorker(Work work) : work_(std::move(work)) {
    event_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

EvalWorker::~EvalWorker() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
        jobs_.clear();
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (event_fd_ >= 0) ::close(event_fd_);
}

void EvalWorker::submit(EvalJob job) {
    if (event_fd_ < 0) {
        // No way to wake the loop: run here, as before there was a worker.
        EvalResult r = work_(job);
        std::lock_guard<std::mutex> lock(mutex_);
        done_.push_back(std::move(r));
        return;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        jobs_.push_back(std::move(job));
        if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
    }
    wake_.notify_one();
}

std::vector<EvalResult> EvalWorker::take() {
    std::uint64_t count;
    if (event_fd_ >= 0) (void)!::read(event_fd_, &count, sizeof count);
    std::lock_guard<std::mutex> lock(mutex_);
    return std::exchange(done_, {});
}

std::size_t EvalWorker::pending() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return jobs_.size() + running_;
}

void EvalWorker::loop() {
    // A working directory of its own: a verdict's chdir never moves the loop's.
    (void)::unshare(CLONE_FS);
    for (;;) {
        EvalJob job;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
            if (stop_) return;
            job = std::move(jobs_.front());
            jobs_.pop_front();
            ++running_;
        }
        EvalResult r = work_(job);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            --running_;
            done_.push_back(std::move(r));
        }
        std::uint64_t one = 1;
        (void)!::write(event_fd_, &one, sizeof one);
    }
}

bool verdict_cacheable(const std::vector<std::string>& command) {
    if (tool_of(command) != Tool::psql) return false;
    for (const std::string& arg : command) {
        std::string lower = arg;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower.find("servicefile") != std::string::npos || lower.find("sysconfdir") != std::string::npos) return false;
    }
    return true;
}

std::optional<std::pair<std::string, Tier>> VerdictCache::find(const std::string& cwd,
                                                                const std::vector<std::string>& command, const Vars& vars) {
    auto it = entries_.find(Key{cwd, command, vars});
    if (it == entries_.end()) return std::nullopt;
    for (const auto& [path, identity] : it->second.files)
        if (identify(path) != identity) {
            entries_.erase(it);
            return std::nullopt;
        }
    it->second.used = ++clock_;
    return std::make_pair(it->second.verdict, it->second.tier);
}

void VerdictCache::store(const std::string& cwd, const std::vector<std::string>& command, const Vars& vars,
                         const EvalResult& r) {
    // A verdict that looked at what listens on a loopback port may change
    // without a file changing: not cached.
    if (!r.error.empty() || r.traced_listeners || !verdict_cacheable(command)) return;
    if (entries_.size() >= 64) {
        auto oldest = entries_.begin();
        for (auto it = entries_.begin(); it != entries_.end(); ++it)
            if (it->second.used < oldest->second.used) oldest = it;
        entries_.erase(oldest);
    }
    entries_[Key{cwd, command, vars}] = Entry{r.verdict, r.tier, r.files, ++clock_};
}

EvalResult run_eval_job(const EvalJob& job, const SystemListeners& listeners) {
    EvalResult r;
    r.id = job.id;
    std::int64_t start = now_us();
    try {
        if (job.command.empty()) {
            r.evaluation = std::make_shared<Evaluation>(evaluate_session_vars(EvalKey{job.vars, job.cwd}, job.known_files, listeners));
        } else if (!job.cwd.empty() && job.cwd[0] == '/' && ::chdir(job.cwd.c_str()) == 0) {
            // Relative paths in the variables and the command are the caller's.
            std::set<std::string> seen;
            for (const std::string& f : service_files(job.vars)) r.files[f] = identify(f);
            RecordingFileReader files(seen);
            CachingKubeconfigLoader kubeconfigs(files, kube_cache_dir(job.vars));
            std::vector<std::pair<Endpoint, std::string>> traced;
            RecordingListeners recording(listeners, traced);
            Snapshot s = evaluate(job.vars, files, job.command, &kubeconfigs, job.cwd, &recording);
            r.traced_listeners = !traced.empty();
            for (const std::string& f : seen)
                if (!r.files.count(f)) r.files[f] = identify(f);
            (void)!::chdir("/");
            // A dotenv value expanding a variable this agent was not told
            // about may mean something else in the caller's environment: the
            // caller decides itself.
            bool complete = std::all_of(s.referenced.begin(), s.referenced.end(),
                                        [&](const std::string& name) { return job.vars.count(name) > 0; });
            r.verdict = complete && runs_unasked(s, job.command) ? "run" : "ask";
            r.tier = s.tier;
        } else {
            r.tier = Tier::unknown();
        }
    } catch (const std::exception& e) {
        r.error = e.what();
        r.verdict = "ask";
        r.tier = Tier::unknown();
        if (job.command.empty()) r.evaluation = std::make_shared<Evaluation>(failed_evaluation(r.error));
    }
    r.micros = now_us() - start;
    return r;
}

}  // namespace sentinel
