#include "sentinel/core/pg/service_file.hpp"

#include <algorithm>

namespace sentinel {

std::vector<std::string> service_files(const Vars& vars) {
    std::vector<std::string> out;
    if (auto f = get(vars, "PGSERVICEFILE"); f && !f->empty()) out.push_back(*f);
    else if (auto home = get(vars, "HOME"); home && !home->empty()) out.push_back(*home + "/.pg_service.conf");
    if (auto d = get(vars, "PGSYSCONFDIR"); d && !d->empty()) out.push_back(*d + "/pg_service.conf");
    else out.push_back("/etc/postgresql-common/pg_service.conf");
    return out;
}

bool reads_service_file(const Vars& vars, const ConnParams& params) {
    if (auto service = get(vars, "PGSERVICE"); service && !service->empty()) return true;
    return std::any_of(params.begin(), params.end(), [](const auto& p) {
        return p.first == "service" || (p.first == "dbname" && p.second.find("service") != std::string::npos);
    });
}

std::optional<Error> screen_service_file(std::string_view data, const std::string& path) {
    std::size_t nul = data.find('\0');
    if (nul == std::string_view::npos) return std::nullopt;
    int line = 1 + static_cast<int>(std::count(data.begin(), data.begin() + static_cast<long>(nul), '\n'));
    return Error{path, line, 0, "NUL byte: not a text file"};
}

std::optional<std::string> check_service_files(const Vars& vars, const FileReader& files, std::size_t& bytes) {
    bytes = 0;
    for (const std::string& path : service_files(vars)) {
        FileRead read = files.read(path);
        // libpq reads a directory as an empty file and goes on; that cannot hang.
        if (read.status == FileRead::Status::missing || read.directory) continue;
        if (read.status == FileRead::Status::error) return path + ": " + read.reason;
        if (auto bad = screen_service_file(read.data, path)) return bad->to_string();
        bytes += read.data.size();
    }
    return std::nullopt;
}

}  // namespace sentinel
