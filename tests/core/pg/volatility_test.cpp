#include <doctest/doctest.h>

#include "sentinel/core/pg/volatility.hpp"

namespace sentinel {

TEST_CASE("volatility: the query asks for each name with escaped literals") {
    std::string q = volatility_query({"random", "public.mark", "it's"}, {"<"});
    CHECK(q.find("(E'random', E'', E'random')") != std::string::npos);
    CHECK(q.find("(E'public.mark', E'public', E'mark')") != std::string::npos);
    CHECK(q.find("(E'it''s', E'', E'it''s')") != std::string::npos);
    CHECK(q.find("UNION ALL") != std::string::npos);
    CHECK(q.find("(E'<', E'', E'<')") != std::string::npos);
    CHECK(volatility_query({}, {}) == "SELECT 'f', '', 'i' WHERE false");
}

TEST_CASE("volatility: immutable and stable names run") {
    std::vector<VolatilityRow> rows = {{"f", "lower", "i"}, {"f", "now", "s"}, {"o", "<", "is"}};
    VolatilityVerdict v = judge_volatility(rows, {"lower", "now"}, {"<"});
    CHECK(v.runnable);
    CHECK(v.reason.empty());
    CHECK(judge_volatility({}, {}, {}).runnable);
}

TEST_CASE("volatility: a volatile candidate, an unknown name or a missing answer never runs") {
    CHECK(judge_volatility({{"f", "random", "v"}}, {"random"}, {}).reason == "random() is volatile");
    CHECK(judge_volatility({{"f", "f", "iv"}}, {"f"}, {}).reason == "f() is volatile");
    CHECK(judge_volatility({{"f", "nosuch", std::nullopt}}, {"nosuch"}, {}).reason == "nosuch() is not in the catalog");
    CHECK(judge_volatility({}, {"lower"}, {}).reason == "lower() is not in the catalog");
    CHECK(judge_volatility({{"o", "===", "v"}}, {}, {"==="}).reason == "operator === is volatile");
    // An answer for another kind does not count.
    CHECK_FALSE(judge_volatility({{"o", "f", "i"}}, {"f"}, {}).runnable);
}

}  // namespace sentinel
