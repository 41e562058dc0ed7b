#include "sentinel/core/agent/report.hpp"

#include <doctest/doctest.h>

using namespace sentinel;

// The expectations are what shell/sentinel.bash's _sentinel_redact gives
// (tests/e2e_fish.py compares the two on a live shell).
TEST_CASE("report: URL passwords and password= words become ***") {
    CHECK(redact_report_value("postgres://u:CAN@RY2@db.example/app") == "postgres://u:***@db.example/app");
    CHECK(redact_report_value("postgres://u@db/app") == "postgres://u@db/app");
    CHECK(redact_report_value("postgres://db/app") == "postgres://db/app");
    CHECK(redact_report_value("host=h password=CANARY3 dbname=x") == "host=h password=*** dbname=x");
    CHECK(redact_report_value("password='a b' dbname=x") == "password=*** dbname=x");
    CHECK(redact_report_value("password='unterminated dbname=x") == "password=***");
    CHECK(redact_report_value("a=1&password=s&b=2;password=t") == "a=1&password=***&b=2;password=***");
    CHECK(redact_report_value("password=") == "password=***");
    CHECK(redact_report_value("plain") == "plain");
    CHECK(redact_report_value("") == "");
}

TEST_CASE("report: the frame names only set, reportable variables, in order") {
    Vars vars = {{"KUBECONFIG", "/k"}, {"PGPASSWORD", "CANARY"}, {"APP_ENV", "prod"},
                 {"DATABASE_URL", "postgres://u:CANARY@h/db"}, {"API_TOKEN", "CANARY"}};
    Frame f = report_frame("/home/u", vars, {"APP_ENV", "KUBECONFIG", "PGHOST", "DATABASE_URL", "PGPASSWORD", "API_TOKEN", "1BAD"});
    CHECK(f == Frame{"REPORT", "/home/u", "APP_ENV=prod", "KUBECONFIG=/k", "DATABASE_URL=postgres://u:***@h/db"});
}
