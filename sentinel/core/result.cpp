#include "sentinel/core/result.hpp"

namespace sentinel {

std::string Error::to_string() const {
    std::string out = file;
    if (line > 0) {
        out += ":" + std::to_string(line);
        if (col > 0) out += ":" + std::to_string(col);
    }
    if (!out.empty()) out += ": ";
    return out + message;
}

}  // namespace sentinel
