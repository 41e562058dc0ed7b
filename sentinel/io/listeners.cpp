#include "sentinel/io/listeners.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>

#include "sentinel/io/capture.hpp"
#include "sentinel/io/fs.hpp"
#include "sentinel/io/kube_cache.hpp"

namespace sentinel {
namespace {

constexpr std::size_t kMaxKnown = 256;        // listeners remembered
constexpr std::size_t kMaxOwnerCommands = 64;  // processes looked at to attribute a hidden listener
constexpr int kSshTimeoutMs = 1000;
constexpr std::size_t kMaxIndex = 1u << 16;      // sockets remembered from searches
constexpr std::size_t kMaxCachedSockets = 4096;  // of them, kept on disk
constexpr const char* kSocketCacheHeader = "sentinel-sockets 1\n";

}  // namespace

void SystemListeners::load_socket_cache() const {
    if (cache_loaded_ || socket_cache_.empty()) return;
    cache_loaded_ = true;
    FileRead r = PosixFileReader().read(socket_cache_);
    if (r.status != FileRead::Status::ok || r.data.rfind(kSocketCacheHeader, 0) != 0) return;
    std::istringstream in(r.data.substr(std::string(kSocketCacheHeader).size()));
    std::uint64_t inode;
    long pid;
    std::string fd;
    while (in >> inode >> pid >> fd)
        if (pid > 0 && fd.find_first_not_of("0123456789") == std::string::npos) index_.emplace(inode, SocketHolder{pid, fd});
}

void SystemListeners::save_socket_cache() const {
    if (socket_cache_.empty()) return;
    std::string text = kSocketCacheHeader;
    std::size_t n = 0;
    // The listeners found first, then other sockets met on the way.
    for (const auto& [inode, known] : known_)
        if (known.holder.pid && n++ < kMaxCachedSockets)
            text += std::to_string(inode) + " " + std::to_string(known.holder.pid) + " " + known.holder.fd + "\n";
    for (const auto& [inode, holder] : index_)
        if (n++ < kMaxCachedSockets)
            text += std::to_string(inode) + " " + std::to_string(holder.pid) + " " + holder.fd + "\n";
    std::string dir = socket_cache_.substr(0, socket_cache_.rfind('/'));
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return;
    std::string tmp = socket_cache_ + ".tmp." + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return;
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    if (::close(fd) == 0 && ok && ::rename(tmp.c_str(), socket_cache_.c_str()) == 0) return;
    ::unlink(tmp.c_str());
}

std::string socket_cache_path(const Vars& vars) {
    std::string dir = kube_cache_dir(vars);
    return dir.empty() ? "" : dir + "/sockets";
}

std::string lookup_fingerprint(const Lookup& lookup) {
    if (!lookup.error.empty()) return "error: " + lookup.error;
    if (lookup.listeners.empty()) return "none";
    std::string out;
    for (const Listener& l : lookup.listeners) out += (out.empty() ? "" : ",") + l.identity();
    return out;
}

Listener SystemListeners::describe(const SocketEntry& entry) const {
    if (auto it = known_.find(entry.inode); it != known_.end()) {
        // The same socket: still held by the same process (one readlink), or
        // a listener that could not be seen (the socket still exists: the
        // dump just listed it).
        if (it->second.holder.pid == 0 || still_holds(it->second.holder, entry.inode)) return it->second.listener;
        known_.erase(it);
    }
    Listener l;
    l.listen = entry.text();
    l.port = entry.port;
    l.inode = entry.inode;
    l.uid = entry.uid;
    HolderSearch search;
    load_socket_cache();
    // A socket met during an earlier search, still where it was: no search.
    if (auto seen = index_.find(entry.inode); seen != index_.end() && still_holds(seen->second, entry.inode)) {
        search.holder = seen->second;
    } else {
        // Processes not searched before come first (a new forwarder is a
        // new process), newest first; then the others.
        std::vector<long> pids = list_pids(), order;
        order.reserve(pids.size());
        for (long pid : pids)
            if (!searched_.count(pid)) order.push_back(pid);
        for (long pid : pids)
            if (searched_.count(pid)) order.push_back(pid);
        std::set<long> alive(pids.begin(), pids.end());
        std::erase_if(searched_, [&](long pid) { return !alive.count(pid); });
        if (index_.size() > kMaxIndex) index_.clear();
        ++searches_;
        search = find_socket_holder(entry.inode, order, &index_);
        searched_.insert(search.scanned.begin(), search.scanned.end());
        if (search.holder) index_[entry.inode] = *search.holder;
        save_socket_cache();
    }
    Known known;
    if (search.holder) {
        read_process(search.holder->pid, l);
        if (l.uid < 0) {
            struct stat st;
            if (::stat(("/proc/" + std::to_string(l.pid)).c_str(), &st) == 0) l.uid = static_cast<long>(st.st_uid);
        }
        known.holder = *search.holder;
    } else if (search.some_hidden) {
        l.seen = Listener::Seen::hidden;
        if (l.uid >= 0) l.owner_commands = processes_of_uid(l.uid, kMaxOwnerCommands, l.owner_commands_complete);
    } else {
        l.seen = Listener::Seen::orphan;
    }
    if (known_.size() >= kMaxKnown) known_.clear();
    known.listener = l;
    known_[entry.inode] = std::move(known);
    return l;
}

Lookup SystemListeners::lookup(const Endpoint& endpoint) const {
    Lookup out;
    FileId file;
    long file_uid = -1;
    Result<std::vector<SocketEntry>> table = std::vector<SocketEntry>{};
    if (endpoint.type == Endpoint::Type::unix_socket) {
        struct stat st;
        // No socket file: nothing listens (libpq fails with ENOENT).
        if (::stat(endpoint.path.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode)) return out;
        file = {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
        file_uid = static_cast<long>(st.st_uid);
        table = diag_.unix_sockets();
    } else {
        table = diag_.tcp();
    }
    if (!table) {
        out.error = table.error().to_string();
        return out;
    }
    for (SocketEntry& entry : reached_sockets(*table, endpoint, file)) {
        if (entry.family == SocketEntry::Family::unix_socket && entry.uid < 0) entry.uid = file_uid;
        out.listeners.push_back(describe(entry));
    }
    return out;
}

bool SystemListeners::still_same(const Endpoint& endpoint, const std::string& fingerprint) const {
    bool all_held = fingerprint != "none" && fingerprint.rfind("error: ", 0) != 0;
    std::size_t start = 0;
    while (all_held && start < fingerprint.size()) {
        std::size_t comma = fingerprint.find(',', start);
        std::string id = fingerprint.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        start = comma == std::string::npos ? fingerprint.size() : comma + 1;
        std::uint64_t inode = std::strtoull(id.c_str(), nullptr, 10);
        auto it = known_.find(inode);
        all_held = it != known_.end() && it->second.holder.pid != 0 && it->second.listener.identity() == id &&
                   still_holds(it->second.holder, inode);
    }
    return all_held || lookup_fingerprint(lookup(endpoint)) == fingerprint;
}

Result<std::string> SystemListeners::ssh_config(const std::vector<std::string>& args, const std::string& cwd,
                                                const std::string& listener) const {
    auto it = ssh_.find(listener);
    if (it == ssh_.end()) {
        std::vector<std::string> argv = {"ssh", "-G"};
        argv.insert(argv.end(), args.begin(), args.end());
        auto run = run_capture(argv, cwd, kSshTimeoutMs, 256 * 1024);
        std::pair<bool, std::string> answer;
        if (!run) answer = {false, run.error().message};
        else if (run->exit_code != 0) answer = {false, "ssh -G exited with " + std::to_string(run->exit_code)};
        else answer = {true, run->out};
        if (ssh_.size() >= kMaxKnown) ssh_.clear();
        it = ssh_.emplace(listener, std::move(answer)).first;
    }
    if (!it->second.first) return Error{"", 0, 0, it->second.second};
    return it->second.second;
}

}  // namespace sentinel
