#pragma once
// The connection keywords a client hands to libpq, shared by the settling
// pass (core/pg/settle.hpp) and the service file checks
// (core/pg/service_file.hpp) without either including the other. Pure.

#include <string>
#include <utility>
#include <vector>

namespace sentinel {

/// Connection keywords and values in the order a client passes them to
/// PQconnectdbParams (later ones override earlier ones; a dbname holding a
/// conninfo string or URI is expanded in place).
using ConnParams = std::vector<std::pair<std::string, std::string>>;

}  // namespace sentinel
