#include "sentinel/io/pgpass.hpp"

#include <sys/stat.h>

#include <cstdio>

namespace sentinel {

std::optional<std::string> pgpass_warning(const Vars& vars) {
    std::string path;
    if (auto file = get(vars, "PGPASSFILE"); file && !file->empty()) path = *file;
    else if (auto home = get(vars, "HOME"); home && !home->empty()) path = *home + "/.pgpass";
    else return std::nullopt;
    struct stat st;
    if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) == 0) return std::nullopt;
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return path + ": has mode " + mode + ", so libpq ignores it; run: chmod 600 " + path;
}

}  // namespace sentinel
