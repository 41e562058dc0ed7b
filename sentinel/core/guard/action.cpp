#include "sentinel/core/guard/action.hpp"

namespace sentinel {

std::string_view risk_name(Risk risk) {
    switch (risk) {
        case Risk::read: return "read";
        case Risk::write: return "write";
        case Risk::destructive: return "destructive";
    }
    return "?";
}

}  // namespace sentinel
