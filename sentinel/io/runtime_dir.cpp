#include "sentinel/io/runtime_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace sentinel {

Result<std::string> verify_private_dir(const std::string& path) {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0)
        return Error{path, 0, 0, std::string("cannot use runtime directory: ") + std::strerror(errno)};
    if (S_ISLNK(st.st_mode))
        return Error{path, 0, 0, "is a symbolic link, refusing to use it; remove it (rm " + path + ")"};
    if (!S_ISDIR(st.st_mode))
        return Error{path, 0, 0, "is not a directory, refusing to use it; remove it (rm " + path + ")"};
    if (st.st_uid != ::getuid())
        return Error{path, 0, 0, "is owned by uid " + std::to_string(st.st_uid) + ", not by you (uid " +
                                     std::to_string(::getuid()) + "); remove it or set XDG_RUNTIME_DIR"};
    if ((st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return Error{path, 0, 0, std::string("is mode ") + mode + ", not 0700; run: chmod 700 " + path};
    }
    return path;
}

Result<std::string> runtime_dir(const Vars& vars) {
    std::string path;
    auto xdg = get(vars, "XDG_RUNTIME_DIR");
    if (xdg && !xdg->empty() && (*xdg)[0] == '/') {
        path = *xdg + "/sentinel";
    } else {
        auto tmp = get(vars, "TMPDIR");
        std::string base = tmp && !tmp->empty() && (*tmp)[0] == '/' ? *tmp : "/tmp";
        path = base + "/sentinel-" + std::to_string(::getuid());
    }
    // mkdir never follows a symlink at the last component; an existing entry
    // of any kind is checked below.
    if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
        return Error{path, 0, 0, std::string("cannot create runtime directory: ") + std::strerror(errno)};
    return verify_private_dir(path);
}

Result<std::string> agent_socket_path(const Vars& vars) {
    auto dir = runtime_dir(vars);
    if (!dir) return dir.error();
    return *dir + "/agent.sock";
}

}  // namespace sentinel
