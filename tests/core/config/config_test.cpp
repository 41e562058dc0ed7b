#include "sentinel/core/config/config.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include "tests/fake_fs.hpp"

using namespace sentinel;
using sentinel::test::FakeFs;

namespace {

ConfigFile must_parse(std::string_view text, bool system = false) {
    auto r = parse_config(text, "cfg.toml", system);
    if (!r) FAIL("unexpected error: " << r.error().to_string());
    return r.value();
}

std::string must_fail(std::string_view text) {
    auto r = parse_config(text, "cfg.toml", false);
    if (r) FAIL("parsed, expected an error");
    return r.error().to_string();
}

std::vector<std::string> origins(const Config& c) {
    std::vector<std::string> out;
    for (const Rule& r : c.rules) out.push_back(r.origin);
    return out;
}

bool has_builtin_rules(const Config& c) {
    return std::any_of(c.rules.begin(), c.rules.end(),
                       [](const Rule& r) { return r.origin.rfind("built-in", 0) == 0; });
}

}  // namespace

TEST_CASE("config: a full file parses") {
    ConfigFile f = must_parse(
        "env = [\"APP_ENV\", \"KUBE_ENV\"]\n"
        "builtin_rules = false\n"
        "[tiers.production]\n"
        "label = \"LIVE\"\n"
        "color = \"#ff0000\"\n"
        "[tiers.sandbox]\n"
        "label = \"SBX\"\n"
        "color = \"208\"\n"
        "policy = \"none\"\n"
        "rank = 5\n"
        "[[rules]]\n"
        "tier = \"production\"\n"
        "kind = \"kube\"\n"
        "context = \"gke_*_prod-*\"\n"
        "server = { regex = \"\\\\.prod\\\\.\" }\n");
    CHECK(f.env == std::vector<std::string>{"APP_ENV", "KUBE_ENV"});
    CHECK(f.builtin_rules == false);
    REQUIRE(f.tiers.size() == 2);
    CHECK(f.tiers[0].label == "LIVE");
    CHECK(f.tiers[0].color == Color::parse("#ff0000"));
    CHECK(f.tiers[1].color->palette() == 208);
    CHECK(f.tiers[1].policy == Policy::none);
    CHECK(f.tiers[1].rank == 5);
    REQUIRE(f.rules.size() == 1);
    CHECK(f.rules[0].kind == Kind::kube);
    REQUIRE(f.rules[0].conditions.size() == 2);
    CHECK(f.rules[0].conditions[1].pattern.type() == Pattern::Type::regex);
    CHECK(f.rules[0].origin == "cfg.toml:11:1");
}

TEST_CASE("config: errors as path:line:col: message") {
    CHECK(must_fail("colour = \"red\"\n") ==
          "cfg.toml:1:1: unknown key \"colour\" (expected tiers, rules, env, dotenv, builtin_rules, audit, display, undo, undo_max_bytes, "
          "undo_keep_days, preview_timeout, identity, probe, probe_background)");
    CHECK(must_fail("[tiers.production]\nlable = \"P\"\n") ==
          "cfg.toml:2:1: unknown key \"lable\" in tier \"production\"");
    CHECK(must_fail("[tiers.production]\npolicy = \"ask\"\n") ==
          "cfg.toml:2:10: policy must be \"none\", \"yes\" or \"type-name\"");
    CHECK(must_fail("[tiers.production]\ncolor = \"pink\"\n") ==
          "cfg.toml:2:9: unknown colour \"pink\" (use a name like \"red\", 0-255, or \"#rrggbb\")");
    CHECK(must_fail("[tiers.x]\ncolor = \"256\"\n").find("unknown colour \"256\"") != std::string::npos);
    CHECK(must_fail("[tiers.x]\ncolor = \"#12345g\"\n").find("unknown colour") != std::string::npos);
    CHECK(must_fail("[tiers.x]\nrank = 1001\n") == "cfg.toml:2:8: rank must be an integer from 0 to 1000");
    CHECK(must_fail("[[rules]]\ntier = \"production\"\ncontext = { regex = \"prod(\" }\n")
              .rfind("cfg.toml:3:11: invalid regular expression: ", 0) == 0);
    CHECK(must_fail("[[rules]]\ncontext = \"prod\"\n") == "cfg.toml:1:1: rule has no \"tier\"");
    CHECK(must_fail("[[rules]]\ntier = \"production\"\n") ==
          "cfg.toml:1:1: rule matches nothing: give at least one field pattern");
    CHECK(must_fail("[[rules]]\ntier = \"production\"\ncontxt = \"x\"\n").rfind("cfg.toml:3:1: unknown key \"contxt\" in rule", 0) == 0);
    CHECK(must_fail("[[rules]]\ntier = \"production\"\nkind = \"mysql\"\ncontext = \"x\"\n") ==
          "cfg.toml:3:8: kind must be \"kube\", \"pg\", \"env\", \"terraform\", \"aws\" or \"gcloud\"");
    CHECK(must_fail("env = \"APP_ENV\"\n") == "cfg.toml:1:7: \"env\" must be an array of variable names");
    CHECK(must_fail("builtin_rules = \"no\"\n") == "cfg.toml:1:17: \"builtin_rules\" must be true or false");
}

TEST_CASE("config: bad TOML") {
    std::string e = must_fail("[tiers.production]\nlabel = \"unterminated\n");
    CHECK(e.rfind("cfg.toml:2:", 0) == 0);
    e = must_fail("rules = [\n");
    CHECK(e.rfind("cfg.toml:", 0) == 0);
    e = must_fail("a = 1\na = 2\n");
    CHECK(e.rfind("cfg.toml:2:", 0) == 0);
}

TEST_CASE("config: a rule naming an unknown tier is an error of the combined config") {
    ConfigFile user = must_parse("[[rules]]\ntier = \"prod\"\ncontext = \"x\"\n");
    Config c = build_config(std::nullopt, user);
    REQUIRE(c.errors.size() == 1);
    CHECK(c.errors[0] == "cfg.toml:2:8: unknown tier \"prod\"");  // at the value, not the table
    // A tier the same file or the system file defines is fine.
    ConfigFile sys = must_parse("[tiers.critical]\nrank = 200\n", true);
    CHECK(build_config(sys, must_parse("[[rules]]\ntier = \"critical\"\ncontext = \"x\"\n")).errors.empty());
}

TEST_CASE("config: built-ins") {
    Config c = build_config(std::nullopt, std::nullopt);
    CHECK(c.errors.empty());
    REQUIRE(c.spec(Tier("production")));
    CHECK(c.spec(Tier("production"))->policy == Policy::type_name);
    CHECK(c.spec(Tier("production"))->label == "PROD");
    CHECK(c.spec(Tier("unknown"))->rank == c.spec(Tier("production"))->rank);
    CHECK(c.spec(Tier("staging"))->rank < c.spec(Tier("production"))->rank);
    CHECK(c.spec(Tier("local"))->policy == Policy::none);
    CHECK(c.spec(Tier("nope")) == nullptr);
    CHECK(has_builtin_rules(c));
    CHECK(policy_name(Policy::type_name) == "type-name");
    CHECK(policy_name(Policy::yes) == "yes");
}

TEST_CASE("config: a user file cannot weaken a tier the system file locks") {
    ConfigFile sys = must_parse("[tiers.production]\nlocked = true\n", true);
    ConfigFile user = must_parse("[tiers.production]\npolicy = \"none\"\nrank = 1\nlabel = \"prd\"\n");
    Config c = build_config(sys, user);
    CHECK(c.spec(Tier("production"))->policy == Policy::type_name);
    CHECK(c.spec(Tier("production"))->rank == 100);
    CHECK(c.spec(Tier("production"))->label == "prd");  // only policy and rank are locked
    CHECK(c.notes.size() == 2);
    // Raising the rank is not weakening.
    CHECK(build_config(sys, must_parse("[tiers.production]\nrank = 500\n")).spec(Tier("production"))->rank == 500);
    // Without the lock the user decides.
    Config open = build_config(std::nullopt, user);
    CHECK(open.spec(Tier("production"))->policy == Policy::none);
    CHECK(open.spec(Tier("production"))->rank == 1);
}

TEST_CASE("config: a locked system rule locks its tier; `locked` in a user file counts for nothing") {
    ConfigFile sys = must_parse("[[rules]]\nlocked = true\ntier = \"staging\"\ncontext = \"stg-*\"\n", true);
    Config c = build_config(sys, must_parse("[tiers.staging]\npolicy = \"none\"\n"));
    CHECK(c.spec(Tier("staging"))->policy == Policy::yes);

    ConfigFile user = must_parse("[tiers.production]\nlocked = true\n[[rules]]\nlocked = true\ntier = \"development\"\ncontext = \"x\"\n");
    CHECK_FALSE(user.tiers[0].locked);
    CHECK_FALSE(user.rules[0].locked);
}

TEST_CASE("config: rule order: locked system, user, other system, built-in") {
    ConfigFile sys = must_parse("[[rules]]\ntier = \"staging\"\ncontext = \"s1\"\n"
                                "[[rules]]\nlocked = true\ntier = \"production\"\ncontext = \"s2\"\n", true);
    sys.path = "sys.toml";
    ConfigFile user = must_parse("[[rules]]\ntier = \"development\"\ncontext = \"u1\"\n");
    Config c = build_config(sys, user);
    std::vector<std::string> o = origins(c);
    REQUIRE(o.size() > 3);
    CHECK(o[0] == "cfg.toml:4:1");  // the locked system rule (parsed under the name cfg.toml)
    CHECK(c.rules[0].locked);
    CHECK(c.rules[1].conditions[0].pattern.text() == "u1");
    CHECK(c.rules[2].conditions[0].pattern.text() == "s1");
    CHECK(o[3].rfind("built-in: ", 0) == 0);
}

TEST_CASE("config: builtin_rules = false drops the built-in rules, not the tiers") {
    Config c = build_config(std::nullopt, must_parse("builtin_rules = false\n"));
    CHECK_FALSE(has_builtin_rules(c));
    CHECK(c.rules.empty());
    CHECK(c.spec(Tier("production")));
    Config s = build_config(must_parse("builtin_rules = false\n", true), must_parse("builtin_rules = true\n"));
    CHECK(has_builtin_rules(s));
}

TEST_CASE("config: env list: built-in, replaced by the system file, replaced by the user file") {
    CHECK(build_config(std::nullopt, std::nullopt).env == builtin_config().env.value());
    ConfigFile sys = must_parse("env = [\"SYS\"]\n", true);
    CHECK(build_config(sys, std::nullopt).env == std::vector<std::string>{"SYS"});
    CHECK(build_config(sys, must_parse("env = [\"USER\"]\n")).env == std::vector<std::string>{"USER"});
    CHECK(build_config(sys, must_parse("env = []\n")).env.empty());
    CHECK(must_fail("env = [\"\"]\n") == "cfg.toml:1:8: \"env\" entries must be variable names");
}

TEST_CASE("load_config: where the files are") {
    const char* sys = "[tiers.production]\nlabel = \"SYS\"\n";
    const char* user = "[tiers.production]\nlabel = \"USER\"\n";
    SUBCASE("defaults: /etc and HOME/.config") {
        FakeFs fs;
        fs.file("/etc/sentinel/config.toml", sys).file("/home/u/.config/sentinel/config.toml", user);
        Config c = load_config({{"HOME", "/home/u"}}, fs);
        CHECK(c.files == std::vector<std::string>{"/etc/sentinel/config.toml", "/home/u/.config/sentinel/config.toml"});
        CHECK(c.spec(Tier("production"))->label == "USER");
    }
    SUBCASE("SENTINEL_SYSTEM_CONFIG and XDG_CONFIG_HOME") {
        FakeFs fs;
        fs.file("/opt/sys.toml", sys).file("/xdg/sentinel/config.toml", user).file("/home/u/.config/sentinel/config.toml", "bad");
        Config c = load_config({{"HOME", "/home/u"}, {"XDG_CONFIG_HOME", "/xdg"}, {"SENTINEL_SYSTEM_CONFIG", "/opt/sys.toml"}}, fs);
        CHECK(c.files == std::vector<std::string>{"/opt/sys.toml", "/xdg/sentinel/config.toml"});
        CHECK(c.errors.empty());
    }
    SUBCASE("a relative XDG_CONFIG_HOME is ignored") {
        FakeFs fs;
        fs.file("/home/u/.config/sentinel/config.toml", user);
        Config c = load_config({{"HOME", "/home/u"}, {"XDG_CONFIG_HOME", "rel"}}, fs);
        CHECK(c.spec(Tier("production"))->label == "USER");
    }
    SUBCASE("no files: built-ins only, no error") {
        FakeFs fs;
        Config c = load_config({{"HOME", "/home/u"}}, fs);
        CHECK(c.files.empty());
        CHECK(c.errors.empty());
        CHECK(has_builtin_rules(c));
    }
    SUBCASE("invalid and unreadable files are errors, and ignored") {
        FakeFs fs;
        fs.error("/etc/sentinel/config.toml", "permission denied")
            .file("/home/u/.config/sentinel/config.toml", "[tiers.production]\npolicy = \"never\"\n");
        Config c = load_config({{"HOME", "/home/u"}}, fs);
        CHECK(c.errors == std::vector<std::string>{
                              "/etc/sentinel/config.toml: permission denied",
                              "/home/u/.config/sentinel/config.toml:2:10: policy must be \"none\", \"yes\" or \"type-name\""});
        CHECK(c.spec(Tier("production"))->policy == Policy::type_name);
    }
}

TEST_CASE("config: grace periods and the audit policy, which a user file cannot weaken") {
    Config plain = build_config(std::nullopt, must_parse("audit = \"required\"\n[tiers.staging]\ngrace = 600\n"));
    CHECK(plain.audit_required);
    CHECK(plain.spec(Tier("staging"))->grace == 600);
    CHECK(plain.spec(Tier("production"))->grace == 0);  // off for production unless named
    CHECK(must_fail("[tiers.staging]\ngrace = 90000\n") == "cfg.toml:2:9: grace must be seconds from 0 to 86400");
    CHECK(must_fail("audit = \"sometimes\"\n") == "cfg.toml:1:9: audit must be \"best-effort\" or \"required\"");

    ConfigFile sys = must_parse("audit = \"required\"\n[tiers.production]\nlocked = true\ngrace = 0\n", true);
    Config c = build_config(sys, must_parse("audit = \"best-effort\"\n[tiers.production]\ngrace = 3600\n"));
    CHECK(c.audit_required);
    CHECK(c.spec(Tier("production"))->grace == 0);
    CHECK(c.notes.size() == 2);
}

TEST_CASE("[display] defaults: bottom line, tmux tint on, OSC tint off") {
    DisplaySettings s = build_config(std::nullopt, must_parse("")).display;
    CHECK(s.statusline == Placement::bottom);
    CHECK(s.tmux_tint);
    CHECK_FALSE(s.osc_tint);
}

TEST_CASE("[display] keys") {
    DisplaySettings s =
        build_config(std::nullopt, must_parse("[display]\nstatusline = \"top\"\ntmux_tint = false\nosc_tint = true\n")).display;
    CHECK(s.statusline == Placement::top);
    CHECK_FALSE(s.tmux_tint);
    CHECK(s.osc_tint);
    CHECK(build_config(std::nullopt, must_parse("[display]\nstatusline = \"off\"\n")).display.statusline == Placement::off);
    CHECK(placement_name(Placement::top) == "top");
}

TEST_CASE("[display]: a bad value or an unknown key is an error of the file, at the value (issue 8)") {
    CHECK(must_fail("[display]\nstatusline = \"bottm\"\n") == "cfg.toml:2:14: statusline must be \"bottom\", \"top\" or \"off\"");
    CHECK(must_fail("[display]\nstatusline = 1\n") == "cfg.toml:2:14: statusline must be \"bottom\", \"top\" or \"off\"");
    CHECK(must_fail("[display]\nosc_tint = \"yes\"\n") == "cfg.toml:2:12: osc_tint must be true or false");
    CHECK(must_fail("[display]\ntmux_tnt = true\n") ==
          "cfg.toml:2:1: unknown key \"tmux_tnt\" in [display] (expected statusline, tmux_tint, osc_tint)");
    CHECK(must_fail("display = 3\n") == "cfg.toml:1:11: \"display\" must be a table");
    test::FakeFs fs;
    fs.file("/home/u/.config/sentinel/config.toml", "[display]\nstatusline = \"bottm\"\n");
    Config c = load_config({{"HOME", "/home/u"}}, fs);
    REQUIRE(c.errors.size() == 1);  // the terminal is unknown (classify)
    CHECK(c.errors[0] == "/home/u/.config/sentinel/config.toml:2:14: statusline must be \"bottom\", \"top\" or \"off\"");
    CHECK(c.display.statusline == Placement::bottom);
}

TEST_CASE("rules: a port is a number or a glob (issue 8)") {
    ConfigFile f = must_parse("[[rules]]\ntier = \"production\"\nkind = \"pg\"\nport = 54330\n");
    REQUIRE(f.rules.size() == 1);
    CHECK(f.rules[0].conditions[0].field == "port");
    CHECK(f.rules[0].conditions[0].pattern.matches("54330"));
    CHECK_FALSE(f.rules[0].conditions[0].pattern.matches("5433"));
    CHECK(must_parse("[[rules]]\ntier = \"production\"\nport = \"5433*\"\n").rules.size() == 1);
    CHECK(must_fail("[[rules]]\ntier = \"production\"\nport = 70000\n") == "cfg.toml:3:8: port must be from 0 to 65535");
    CHECK(must_fail("[[rules]]\ntier = \"production\"\nhost = 5\n") ==
          "cfg.toml:3:8: \"host\" must be a glob string or { regex = \"...\" }");
}

TEST_CASE("plain words for TOML syntax errors, at the place to look (issue 8)") {
    CHECK(must_fail("[tiers.production]\nlabel = \"PROD\ncolor = \"red\"\n") ==
          "cfg.toml:2:9: unterminated string: the closing quote is missing");
    CHECK(must_fail("env = [\"APP_ENV]\n") == "cfg.toml:1:8: unterminated string: the closing quote is missing");
    CHECK(must_fail("env = [\"APP_ENV\"\n") == "cfg.toml:1:18: unterminated array: the closing ] is missing");
    CHECK(must_fail("x = \n") == "cfg.toml:1:5: a value is missing after =");
    CHECK(must_fail("[tiers.production\nlabel = \"x\"\n") == "cfg.toml:1:18: unterminated table header: the closing ] is missing");
    CHECK(must_fail("a = \"\\q\"\n").find("unknown escape sequence in a string") != std::string::npos);
    for (const char* text : {"[tiers.production]\nlabel = \"secret-CANARY\n", "a = \"CANARY\\q\"\n", "x = CANARY\n"})
        CHECK(must_fail(text).find("CANARY") == std::string::npos);
}

TEST_CASE("[display]: the user file over the system file, read in the same pass as the rules") {
    test::FakeFs fs;
    fs.file("/etc/s.toml", "[display]\nstatusline = \"top\"\nosc_tint = true\n");
    fs.file("/home/u/.config/sentinel/config.toml", "[display]\nosc_tint = false\n");
    Config c = load_config({{"HOME", "/home/u"}, {"SENTINEL_SYSTEM_CONFIG", "/etc/s.toml"}}, fs);
    CHECK(c.display.statusline == Placement::top);
    CHECK_FALSE(c.display.osc_tint);
    CHECK(fs.reads == 2);  // each file once
}

TEST_CASE("config_paths: the one place that names the config files") {
    CHECK(config_paths({{"HOME", "/home/u"}}).system == "/etc/sentinel/config.toml");
    CHECK(config_paths({{"HOME", "/home/u"}}).user == "/home/u/.config/sentinel/config.toml");
    CHECK(config_paths({{"HOME", "/home/u"}, {"XDG_CONFIG_HOME", "/x"}}).user == "/x/sentinel/config.toml");
    CHECK(config_paths({{"HOME", "/home/u"}, {"XDG_CONFIG_HOME", "rel"}}).user == "/home/u/.config/sentinel/config.toml");
    CHECK(config_paths({}).user.empty());
    CHECK(config_paths({{"SENTINEL_SYSTEM_CONFIG", "/s.toml"}}).system == "/s.toml");
}

TEST_CASE("NO_COLOR counts when set and not empty") {
    CHECK(no_color({{"NO_COLOR", "1"}}));
    CHECK_FALSE(no_color({{"NO_COLOR", ""}}));
    CHECK_FALSE(no_color({}));
}

TEST_CASE("config: text toml++ mishandles is refused with a position (bug: assertion on [\\0 and [[[1]]], TOML_UNREACHABLE on a bare ö)") {
    CHECK(must_fail(std::string("[\0", 2)) == "cfg.toml:1:2: NUL byte: not a text file");
    CHECK(must_fail("[[[1]]]") == "cfg.toml:1:3: a table header must start with a key");
    CHECK(must_fail("x = 1\n[ [a]]\n") == "cfg.toml:2:3: a table header must start with a key");
    CHECK(must_fail("[]\n") == "cfg.toml:1:2: a table header must start with a key");
    CHECK(must_fail("\xc3\xb6") == "cfg.toml:1:1: non-ASCII character outside a string or comment");
    CHECK(must_fail("env = [\"A\"]\n[tiers.\xc3\xb6]\n") == "cfg.toml:2:8: non-ASCII character outside a string or comment");
    CHECK(must_fail("a = 1\xc3\xb6") == "cfg.toml:1:6: non-ASCII character outside a string or comment");
    CHECK(must_fail("a = \"\"\"x\\\xc3\xb6\"\"\"") == "cfg.toml:1:10: non-ASCII character after a backslash");
    CHECK(must_fail("a = \"\"\"x\\\n  \xc3\xb6\"\"\"") == "cfg.toml:2:3: non-ASCII character after a line-ending backslash");
    CHECK(must_fail("a = \"\xff\"") == "cfg.toml:1:6: not UTF-8 text");
    CHECK(must_fail("a = \"\x01\"") == "cfg.toml:1:6: control character (TOML allows only tab and line breaks)");
}

TEST_CASE("config: non-ASCII text where TOML allows it still parses") {
    ConfigFile f = must_parse("# caf\xc3\xa9 \xe2\x80\x94 comment\r\n"
                              "[tiers.production]\r\n"
                              "label = \"PR\xc3\x96" "D\"\n"
                              "[tiers.\"b\xc3\xa9ta\"]\n"
                              "label = '''\xc3\xb6\n\xc3\xb6'''\n"
                              "color = \"\"\"red\\\n   \"\"\"\n"
                              "[[rules]]\n"
                              "tier = \"production\"\n"
                              "context = \"pr\xc3\xb6" "d\"\n");
    REQUIRE(f.tiers.size() == 2);  // toml++ keeps keys sorted: "béta", then "production"
    CHECK(f.tiers[0].tier.name() == "b\xc3\xa9ta");
    CHECK(f.tiers[0].label == "\xc3\xb6\n\xc3\xb6");
    REQUIRE(f.tiers[0].color);
    CHECK(f.tiers[0].color->text() == "red");
    CHECK(f.tiers[1].label == "PR\xc3\x96" "D");
    CHECK(f.rules.size() == 1);
}

TEST_CASE("config: limits on rules, tiers and size are errors (bug: 100,000 rules cost 3.9 s and 580 MB)") {
    std::string rules;
    for (int i = 0; i < 1001; ++i) rules += "[[rules]]\ntier = \"production\"\ncontext = \"c" + std::to_string(i) + "\"\n";
    std::string error = must_fail(rules);
    CHECK(error == "cfg.toml:3001:1: more than 1000 rules");
    std::string big = "# " + std::string(300 * 1024, 'x') + "\n";
    CHECK(must_fail(big) == "cfg.toml: larger than 256 KiB");
    std::string tiers;
    for (int i = 0; i < 65; ++i) tiers += "[tiers.t" + std::to_string(i) + "]\nlabel = \"T\"\n";
    CHECK(must_fail(tiers).find("more than 64 tiers") != std::string::npos);
}
