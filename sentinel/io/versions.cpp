#include "sentinel/io/versions.hpp"

#include <dlfcn.h>
#include <libfyaml.h>
#include <link.h>
#include <pg_config.h>  // libpq's headers (libpq-dev): PG_VERSION of the build
// toml++'s version macros alone: the whole header-only library is compiled
// once, in core/config.
#if __has_include(<toml++/impl/version.h>)
#include <toml++/impl/version.h>
#else
#include <toml++/toml.h>
#endif

#include "sentinel/core/pg/sql_classify.hpp"
#include "sentinel/io/curses.hpp"

namespace sentinel {
namespace {

#define SENTINEL_STR2(x) #x
#define SENTINEL_STR(x) SENTINEL_STR2(x)

LibraryVersion libpq_version() {
    const std::string built = std::string("built with the headers of libpq ") + PG_VERSION;
    // The same soname core/pg/libpq.cpp loads; dlopen counts references, so
    // this finds the copy already loaded, if any.
    void* handle = ::dlopen("libpq.so.5", RTLD_LAZY | RTLD_LOCAL);
    if (!handle) {
        const char* why = ::dlerror();
        return {"libpq", "", std::string("not loadable: ") + (why ? why : "libpq.so.5 not found") + "; " + built};
    }
    using LibVersion = int (*)();
    auto lib_version = reinterpret_cast<LibVersion>(::dlsym(handle, "PQlibVersion"));
    std::string path = "libpq.so.5";
    link_map* map = nullptr;
    if (::dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name && *map->l_name) path = map->l_name;
    LibraryVersion v{"libpq", lib_version ? libpq_version_text(lib_version()) : "", "loaded at run time from " + path + "; " + built};
    ::dlclose(handle);
    return v;
}

}  // namespace

std::string libpq_version_text(int version) {
    if (version <= 0) return "";
    if (version >= 100000) return std::to_string(version / 10000) + "." + std::to_string(version % 10000);
    return std::to_string(version / 10000) + "." + std::to_string(version / 100 % 100) + "." +
           std::to_string(version % 100);
}

std::vector<LibraryVersion> library_versions() {
    const char* fyaml = ::fy_library_version();
    return {
        libpq_version(),
        {"libfyaml", fyaml ? fyaml : "", "linked statically"},
        {"toml++", SENTINEL_STR(TOML_LIB_MAJOR) "." SENTINEL_STR(TOML_LIB_MINOR) "." SENTINEL_STR(TOML_LIB_PATCH),
         "header-only, compiled in"},
        {"libpg_query", std::string(pg_query_postgres_version()),
         "linked statically; the version is the PostgreSQL release of its parser"},
        {"ncurses", curses_library_version(), "linked statically"},
    };
}

}  // namespace sentinel
