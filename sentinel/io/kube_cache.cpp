#include "sentinel/io/kube_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>

namespace sentinel {
namespace {

constexpr const char* kMagic = "sentinel-kubeconfig-cache 1";
constexpr long kRacySeconds = 2;

std::string identity_of(const std::string& path, const struct stat& st) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "\t%llu\t%llu\t%lld\t%lld.%09ld\t%lld.%09ld\n",
                  static_cast<unsigned long long>(st.st_dev), static_cast<unsigned long long>(st.st_ino),
                  static_cast<long long>(st.st_size), static_cast<long long>(st.st_mtim.tv_sec), st.st_mtim.tv_nsec,
                  static_cast<long long>(st.st_ctim.tv_sec), st.st_ctim.tv_nsec);
    std::string escaped;
    for (char c : path) escaped += (c == '\n' || c == '\t') ? '?' : c;
    return std::string(kMagic) + "\t" + escaped + buf;
}

std::string entry_name(const std::string& path) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a, 64 bits
    for (unsigned char c : path) {
        h ^= c;
        h *= 1099511628211ull;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "kube-%016llx", static_cast<unsigned long long>(h));
    return buf;
}

bool same_identity(const struct stat& a, const struct stat& b) {
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
           a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec &&
           a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

bool usable_dir(const std::string& dir) {
    if (dir.empty()) return false;
    struct stat st;
    if (lstat(dir.c_str(), &st) != 0) {
        std::string parent = dir.substr(0, dir.rfind('/'));
        if (!parent.empty()) mkdir(parent.c_str(), 0700);
        if (mkdir(dir.c_str(), 0700) != 0 || lstat(dir.c_str(), &st) != 0) return false;
    }
    return S_ISDIR(st.st_mode) && st.st_uid == geteuid() && (st.st_mode & 077) == 0;
}

void write_entry(const std::string& dir, const std::string& name, const std::string& text) {
    std::string tmp = dir + "/." + name + "." + std::to_string(getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return;
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    bool ok = done == text.size() && ::close(fd) == 0;
    if (!ok || ::rename(tmp.c_str(), (dir + "/" + name).c_str()) != 0) ::unlink(tmp.c_str());
}

}  // namespace

std::string kube_cache_dir(const Vars& vars) {
    if (auto xdg = get(vars, "XDG_CACHE_HOME"); xdg && !xdg->empty() && (*xdg)[0] == '/') return *xdg + "/sentinel";
    if (auto home = get(vars, "HOME"); home && !home->empty() && (*home)[0] == '/') return *home + "/.cache/sentinel";
    return {};
}

CachingKubeconfigLoader::CachingKubeconfigLoader(const FileReader& files, std::string dir)
    : parsing_(files), files_(files), dir_(usable_dir(dir) ? std::move(dir) : std::string()) {}

LoadedKubeconfig CachingKubeconfigLoader::load(const std::string& path) const {
    struct stat before;
    if (dir_.empty() || path.empty() || path[0] != '/' || stat(path.c_str(), &before) != 0 || !S_ISREG(before.st_mode))
        return parsing_.load(path);
    std::string name = entry_name(path);
    std::string identity = identity_of(path, before);

    FileRead cached = files_.read(dir_ + "/" + name);
    if (cached.status == FileRead::Status::ok && cached.data.compare(0, identity.size(), identity) == 0) {
        auto decoded = decode_kubeconfig(std::string_view(cached.data).substr(identity.size()));
        if (decoded) {
            LoadedKubeconfig out;
            out.status = FileRead::Status::ok;
            out.config = std::move(decoded.value());
            return out;
        }
    }

    LoadedKubeconfig out = parsing_.load(path);
    struct stat after;
    if (out.status != FileRead::Status::ok || stat(path.c_str(), &after) != 0 || !same_identity(before, after))
        return out;
    std::time_t newest = std::max(after.st_mtim.tv_sec, after.st_ctim.tv_sec);
    if (std::time(nullptr) - newest >= kRacySeconds) write_entry(dir_, name, identity + encode_kubeconfig(out.config));
    return out;
}

}  // namespace sentinel
