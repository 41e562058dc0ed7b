#include "sentinel/io/undo_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "sentinel/io/fs.hpp"

namespace sentinel {
namespace {

std::optional<std::string> make_private_dir(const std::string& dir) {
    if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return dir + ": " + std::strerror(errno);
    struct stat st;
    if (lstat(dir.c_str(), &st) != 0) return dir + ": " + std::strerror(errno);
    if (!S_ISDIR(st.st_mode)) return dir + ": not a directory (or a symlink)";
    if (st.st_uid != getuid()) return dir + ": owned by another user";
    if ((st.st_mode & 077) != 0 && chmod(dir.c_str(), 0700) != 0) return dir + ": " + std::strerror(errno);
    return std::nullopt;
}

}  // namespace

std::string undo_root(const Vars& vars) {
    auto state = get(vars, "XDG_STATE_HOME");
    if (state && !state->empty() && (*state)[0] == '/') return *state + "/sentinel/undo";
    auto home = get(vars, "HOME");
    if (home && !home->empty()) return *home + "/.local/state/sentinel/undo";
    return "";
}

Result<std::string> create_undo_dir(const std::string& root, const std::string& id) {
    if (root.empty()) return Error{"", 0, 0, "neither XDG_STATE_HOME nor HOME is set"};
    // The parents are ordinary state directories; only the undo root and the copy are checked strictly.
    std::string parent = root.substr(0, root.rfind('/'));
    std::string grand = parent.substr(0, parent.rfind('/'));
    for (const std::string& d : {grand, parent})
        if (!d.empty() && mkdir(d.c_str(), 0700) != 0 && errno != EEXIST)
            return Error{"", 0, 0, d + ": " + std::strerror(errno)};
    if (auto e = make_private_dir(root)) return Error{"", 0, 0, *e};
    std::string dir = root + "/" + id;
    if (mkdir(dir.c_str(), 0700) != 0) return Error{"", 0, 0, dir + ": " + std::strerror(errno)};
    return dir;
}

bool sync_dir(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = fsync(fd) == 0;
    ::close(fd);
    return ok;
}

std::optional<std::string> write_new_file(const std::string& path, const std::string& data) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return path + ": " + std::strerror(errno);
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            std::string why = path + ": " + std::strerror(n < 0 ? errno : ENOSPC);
            ::close(fd);
            unlink(path.c_str());
            return why;
        }
        done += static_cast<std::size_t>(n);
    }
    if (fsync(fd) != 0 || ::close(fd) != 0) {
        std::string why = path + ": " + std::strerror(errno);
        unlink(path.c_str());
        return why;
    }
    sync_dir(path.substr(0, path.rfind('/')));
    return std::nullopt;
}

void remove_undo_dir(const std::string& dir) {
    if (DIR* d = opendir(dir.c_str())) {
        while (dirent* e = readdir(d)) {
            std::string n = e->d_name;
            if (n != "." && n != "..") unlink((dir + "/" + n).c_str());
        }
        closedir(d);
    }
    rmdir(dir.c_str());
}

std::vector<Manifest> list_undo(const std::string& root) {
    std::vector<Manifest> out;
    DIR* d = opendir(root.c_str());
    if (!d) return out;
    std::vector<std::string> ids;
    while (dirent* e = readdir(d))
        if (valid_undo_id(e->d_name)) ids.push_back(e->d_name);
    closedir(d);
    std::sort(ids.begin(), ids.end());
    for (const std::string& id : ids)
        if (auto m = read_undo(root, id)) out.push_back(std::move(m.value()));
    return out;
}

Result<Manifest> read_undo(const std::string& root, const std::string& id) {
    if (!valid_undo_id(id)) return Error{"", 0, 0, "not an undo id (they look like 20261123-153551-a1b2c3)"};
    FileRead r = PosixFileReader().read(root + "/" + id + "/manifest.json");
    if (r.status == FileRead::Status::missing) return Error{"", 0, 0, "no undo copy " + id};
    if (r.status != FileRead::Status::ok) return Error{"", 0, 0, root + "/" + id + "/manifest.json: " + r.reason};
    auto m = parse_manifest(r.data);
    if (!m) return m.error();
    if (m->id != id) return Error{"", 0, 0, root + "/" + id + "/manifest.json: names another id"};
    return m;
}

std::string read_undo_head(const std::string& root, const std::string& id, const std::string& file, std::size_t limit) {
    if (file.find('/') != std::string::npos) return "";
    int fd = ::open((root + "/" + id + "/" + file).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return "";
    std::string data(limit, '\0');
    ssize_t n = pread(fd, data.data(), limit, 0);
    ::close(fd);
    data.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return data;
}

int prune_undo(const std::string& root, int keep_days, std::int64_t now) {
    int removed = 0;
    DIR* d = opendir(root.c_str());
    if (!d) return 0;
    std::vector<std::string> ids;
    while (dirent* e = readdir(d))
        if (valid_undo_id(e->d_name)) ids.push_back(e->d_name);
    closedir(d);
    const std::int64_t limit = now - static_cast<std::int64_t>(keep_days) * 86400;
    for (const std::string& id : ids) {
        std::int64_t time = 0;
        if (auto m = read_undo(root, id)) time = m->time;
        struct stat st;
        if (time == 0 && stat((root + "/" + id).c_str(), &st) == 0) time = st.st_mtime;
        if (time != 0 && time < limit) {
            remove_undo_dir(root + "/" + id);
            ++removed;
        }
    }
    return removed;
}

std::optional<std::int64_t> free_bytes(const std::string& path) {
    struct statvfs s;
    if (statvfs(path.c_str(), &s) != 0) return std::nullopt;
    return static_cast<std::int64_t>(s.f_bavail) * static_cast<std::int64_t>(s.f_frsize);
}

}  // namespace sentinel
