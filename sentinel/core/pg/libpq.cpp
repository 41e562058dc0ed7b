#include "sentinel/core/pg/libpq.hpp"

#include <dlfcn.h>

namespace sentinel {
namespace {

template <class F>
bool bind(void* handle, const char* name, F& slot) {
    slot = reinterpret_cast<F>(dlsym(handle, name));
    return slot != nullptr;
}

}  // namespace

const Libpq* libpq(std::string* error) {
    static Libpq table;
    static std::string load_error;
    static const bool loaded = [] {
        void* handle = dlopen("libpq.so.5", RTLD_LAZY | RTLD_LOCAL);  // lazy: most of its functions never run
        if (!handle) {
            load_error = dlerror();
            return false;
        }
        bool ok = bind(handle, "PQconnectStartParams", table.connect_start_params) &&
                  bind(handle, "PQstatus", table.status) && bind(handle, "PQerrorMessage", table.error_message) &&
                  bind(handle, "PQconninfo", table.conninfo) &&
                  bind(handle, "PQconninfoParse", table.conninfo_parse) &&
                  bind(handle, "PQconninfoFree", table.conninfo_free) && bind(handle, "PQhost", table.host) &&
                  bind(handle, "PQfinish", table.finish) &&
                  bind(handle, "PQconnectdbParams", table.connectdb_params) && bind(handle, "PQexec", table.exec) &&
                  bind(handle, "PQresultStatus", table.result_status) && bind(handle, "PQntuples", table.ntuples) &&
                  bind(handle, "PQnfields", table.nfields) && bind(handle, "PQgetvalue", table.getvalue) &&
                  bind(handle, "PQgetisnull", table.getisnull) && bind(handle, "PQclear", table.clear);
        if (!ok) load_error = "libpq.so.5 lacks a required function";
        return ok;
    }();
    if (!loaded && error) *error = load_error;
    return loaded ? &table : nullptr;
}

}  // namespace sentinel
