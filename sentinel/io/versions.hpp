#pragma once
// The versions of the libraries sentinel runs with, for `sentinel --version`
// and bug reports.

#include <string>
#include <vector>

namespace sentinel {

/// One library: its name, version and where that version was read.
struct LibraryVersion {
    std::string name;     ///< "libpq", "libfyaml", "toml++", "libpg_query", "ncurses"
    std::string version;  ///< "15.20", "" when unknown
    std::string source;   ///< how it is known: "loaded at run time from PATH", "linked statically", ...
};

/// The libraries, in that order. libpq is loaded with dlopen only when
/// used (core/pg/libpq.hpp): its version is the one `libpq.so.5` resolves
/// to now (PQlibVersion(), path from the loader), followed by the version
/// of the libpq headers sentinel was compiled with; when it cannot be
/// loaded, the header version alone with the loader's error. libfyaml and
/// ncurses are linked statically and report their own version at run
/// time; toml++ is header-only and libpg_query states only the PostgreSQL
/// release whose parser it carries (its header's PG_VERSION).
std::vector<LibraryVersion> library_versions();

/// "15.20" for PQlibVersion()'s 150020, "9.6.24" for 90624.
std::string libpq_version_text(int version);

}  // namespace sentinel
