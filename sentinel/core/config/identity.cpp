#include "sentinel/core/config/identity.hpp"

namespace sentinel {

std::string_view probe_mode_name(ProbeMode mode) {
    switch (mode) {
        case ProbeMode::guarded: return "guarded";
        case ProbeMode::always: return "always";
        case ProbeMode::never: return "never";
    }
    return "guarded";
}

std::optional<ProbeMode> parse_probe_mode(std::string_view text) {
    if (text == "guarded") return ProbeMode::guarded;
    if (text == "always") return ProbeMode::always;
    if (text == "never") return ProbeMode::never;
    return std::nullopt;
}

}  // namespace sentinel
