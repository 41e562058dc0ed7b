#pragma once
// What a guarded command would do, independent of the tool: the common
// vocabulary of the SQL classifier, the kubectl/helm verb finder and the
// guard's decision.

#include <string>
#include <string_view>

namespace sentinel {

/// How much harm an action can do, in increasing order (comparable with <).
enum class Risk {
    read,         ///< reads only: passes on every tier
    write,        ///< changes state: asks on a tier whose policy asks
    destructive,  ///< removes data or cannot be classified: asks, showing the statement
};

/// "read", "write" or "destructive".
std::string_view risk_name(Risk risk);

/// The more dangerous of `a` and `b`.
inline Risk max_risk(Risk a, Risk b) { return a < b ? b : a; }

/// One guarded action as the banner and the audit log describe it.
struct Action {
    std::string tool;    ///< "psql", "kubectl", "helm", "confirm" or the program's base name
    std::string verb;    ///< "delete", "rollout restart", "DELETE", "DROP TABLE", "interactive", or the --action text
    Risk risk = Risk::write;
    std::string detail;  ///< raw text to show in the banner (a destructive statement, a command line); never audited
};

}  // namespace sentinel
