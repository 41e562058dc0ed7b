#pragma once
// Whether the preview may run a derived count query: every function and
// operator it calls must be immutable or stable by the server's own catalog
// (pg_proc.provolatile). A volatile function may have side effects or give
// another answer each time; it is never run by the preview. Pure: the
// catalog's answers come in as rows.

#include <optional>
#include <string>
#include <vector>

namespace sentinel {

/// The query that asks the catalog about `functions` and `operators`
/// (names as DerivedStatement lists them; "schema.name" looks only in that
/// schema, a bare name in every schema, so an overload elsewhere counts
/// too). It returns one row per name: kind ('f' or 'o'), the name as given,
/// and the distinct provolatile letters of every candidate ("i", "s", "v";
/// NULL when none exists). Names reach it as escaped literals.
std::string volatility_query(const std::vector<std::string>& functions, const std::vector<std::string>& operators);

/// One row of volatility_query's answer.
struct VolatilityRow {
    std::string kind;                        ///< "f" or "o"
    std::string name;
    std::optional<std::string> volatilities; ///< letters, nullopt for NULL
};

/// The verdict on a derived query.
struct VolatilityVerdict {
    bool runnable = false;  ///< every name is immutable or stable
    std::string reason;     ///< when not: "random() is volatile", "operator === is volatile", "f() is not in the catalog"
};

/// Judges `rows` against the names asked about: runnable only when every
/// asked name has a row whose letters are all "i" or "s". A missing row, a
/// name the catalog does not know (NULL) or any "v" is not runnable; the
/// reason names the first such name.
VolatilityVerdict judge_volatility(const std::vector<VolatilityRow>& rows, const std::vector<std::string>& functions,
                                   const std::vector<std::string>& operators);

}  // namespace sentinel
