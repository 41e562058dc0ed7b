#include "sentinel/io/agent_cache.hpp"

#include <malloc.h>
#include <sys/stat.h>

#include <algorithm>

#include "sentinel/io/fs.hpp"
#include "sentinel/io/kube_cache.hpp"
#include "sentinel/core/guard/pin.hpp"
#include "sentinel/core/kube/resolve.hpp"
#include "sentinel/core/pg/service_file.hpp"
#include "sentinel/core/reach/probe_cache.hpp"
#include "sentinel/core/reach/server_word.hpp"
#include "sentinel/core/snapshot.hpp"

namespace sentinel {
namespace {

// What the agent would like to ask in the background: each pg target the
// guard would probe and whose answer is not remembered (core/reach/).
std::vector<std::pair<std::string, std::vector<std::string>>> wishes(const Snapshot& s) {
    std::vector<std::pair<std::string, std::vector<std::string>>> out;
    if (!s.config.probe_background || s.config.probe == ProbeMode::never) return out;
    for (const Target& t : s.targets) {
        if (t.kind != Kind::pg || t.server || !wants_probe(t, s.config)) continue;
        std::string key = probe_key(t), conninfo;
        for (const char* k : {"host", "hostaddr", "port", "dbname", "user"})
            if (!t.get(k).empty()) conninfo += std::string(conninfo.empty() ? "" : " ") + k + "=" + conninfo_quote(t.get(k));
        if (!key.empty()) out.push_back({key, {"psql", "-d", conninfo}});
    }
    return out;
}

}  // namespace

FileIdentity identify(const std::string& path) {
    FileIdentity id;
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return id;
    id.exists = true;
    id.dev = st.st_dev;
    id.ino = st.st_ino;
    if (S_ISDIR(st.st_mode)) {
        id.mode = S_IFDIR;
        return id;
    }
    id.size = st.st_size;
    id.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    id.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
    id.mode = st.st_mode;
    return id;
}

std::string identity_text(const FileIdentity& id) {
    if (!id.exists) return "-";
    return std::to_string(id.dev) + ":" + std::to_string(id.ino) + ":" + std::to_string(id.size) + ":" +
           std::to_string(id.mtime_ns) + ":" + std::to_string(id.ctime_ns) + ":" + std::to_string(id.mode);
}

Evaluation evaluate_session_vars(const EvalKey& key, const std::set<std::string>& known_files,
                                 const SystemListeners& listeners) {
    const Vars& vars = key.vars;
    std::set<std::string> seen;
    for (const std::string& f : service_files(vars)) seen.insert(f);
    // The kubeconfig cache may answer without reading a file: list them all.
    for (const std::string& f : kubeconfig_paths(vars, {})) seen.insert(f);
    // Identities are taken before reading: a change during the read makes
    // them differ afterwards, and inotify reports it.
    std::map<std::string, FileIdentity> before;
    for (const std::string& f : known_files) before[f] = identify(f);
    RecordingFileReader reader(seen);
    // Parsed kubeconfigs come from the same identity-keyed cache as
    // `sentinel status` uses, so re-evaluating after another variable
    // changed does not parse a large kubeconfig again.
    CachingKubeconfigLoader kubeconfigs(reader, kube_cache_dir(vars));
    std::vector<std::pair<Endpoint, std::string>> traced;
    RecordingListeners recording(listeners, traced);
    Snapshot s = evaluate(vars, reader, {}, &kubeconfigs, key.cwd, &recording);
    Evaluation eval;
    eval.display = make_display(s);
    eval.view = make_view(s, eval.display);
    eval.settings = s.config.display;
    eval.names = reported_names(s.config, s.referenced);
    eval.listeners = std::move(traced);
    eval.probe_wishes = wishes(s);
    for (const std::string& path : seen) {
        auto b = before.find(path);
        eval.files[path] = b != before.end() ? b->second : identify(path);
    }
    // Parsing a large kubeconfig leaves freed memory in the heap; give it back.
    ::malloc_trim(0);
    return eval;
}

Evaluation failed_evaluation(const std::string& what) {
    Snapshot s;
    s.tier = Tier::unknown();
    s.config = build_config(std::nullopt, std::nullopt);
    s.warnings.push_back("evaluation failed: " + what);
    Evaluation eval;
    eval.display = make_display(s);
    eval.view = make_view(s, eval.display);
    eval.settings = s.config.display;
    eval.names = reported_names(s.config);
    eval.error = what.empty() ? "evaluation failed" : what;
    return eval;
}

std::shared_ptr<const Evaluation> EvalCache::find(const EvalKey& key) {
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.stale) return nullptr;
    const auto& files = it->second.eval->files;
    if (!std::all_of(files.begin(), files.end(), [](const auto& f) { return identify(f.first) == f.second; }))
        return nullptr;
    const auto& listeners = it->second.eval->listeners;
    if (!std::all_of(listeners.begin(), listeners.end(),
                     [&](const auto& l) { return listeners_.still_same(l.first, l.second); }))
        return nullptr;
    it->second.used = ++clock_;
    return it->second.eval;
}

std::shared_ptr<const Evaluation> EvalCache::store(const EvalKey& key, Evaluation evaluation) {
    ++evaluations_;
    Entry& slot = entries_[key];
    slot.eval = std::make_shared<const Evaluation>(std::move(evaluation));
    slot.used = ++clock_;
    slot.stale = false;
    return slot.eval;
}

std::set<std::string> EvalCache::files_of(const EvalKey& key) const {
    std::set<std::string> out;
    if (auto it = entries_.find(key); it != entries_.end())
        for (const auto& f : it->second.eval->files) out.insert(f.first);
    return out;
}

const Evaluation& EvalCache::get(const Vars& vars, const std::string& cwd) {
    EvalKey key{vars, cwd};
    if (auto found = find(key)) return *found;
    return *store(key, evaluate_session_vars(key, files_of(key), listeners_));
}

bool EvalCache::invalidate(const std::set<std::string>& paths) {
    bool any = false;
    for (auto& [key, entry] : entries_)
        for (const auto& f : entry.eval->files)
            if (paths.count(f.first)) {
                entry.stale = true;
                any = true;
                break;
            }
    return any;
}

bool EvalCache::depends(const Vars& vars, const std::set<std::string>& paths, const std::string& cwd) const {
    auto it = entries_.find(EvalKey{vars, cwd});
    if (it == entries_.end()) return false;
    for (const auto& f : it->second.eval->files)
        if (paths.count(f.first)) return true;
    return false;
}

void EvalCache::retain(const std::set<EvalKey>& in_use, std::size_t keep) {
    std::vector<std::pair<std::uint64_t, const EvalKey*>> unused;
    for (auto& [key, entry] : entries_)
        if (!in_use.count(key)) unused.push_back({entry.used, &key});
    if (unused.size() <= keep) return;
    std::sort(unused.begin(), unused.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<EvalKey> drop;
    for (std::size_t i = 0; i + keep < unused.size(); ++i) drop.push_back(*unused[i].second);
    for (const EvalKey& k : drop) entries_.erase(k);
}

std::set<std::string> EvalCache::files() const {
    std::set<std::string> out;
    for (const auto& [key, entry] : entries_)
        for (const auto& f : entry.eval->files) out.insert(f.first);
    return out;
}

}  // namespace sentinel
