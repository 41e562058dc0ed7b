#pragma once
// sentinel's configuration: tiers, ordered rules, env variables and the
// `[display]` table, read once from TOML with toml++.
//
//   [display]
//   statusline = "bottom"   # "bottom" (default), "top" or "off": the line reserved in the terminal
//   tmux_tint = true        # tint production panes' background in tmux (default on)
//   osc_tint = false        # tint the terminal's background (OSC 11) on production outside tmux (default off)

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/color.hpp"
#include "sentinel/core/config/undo.hpp"
#include "sentinel/core/config/identity.hpp"
#include "sentinel/core/match.hpp"
#include "sentinel/core/result.hpp"
#include "sentinel/core/target.hpp"
#include "sentinel/core/tier.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// What the guard asks before acting on a target of a tier.
enum class Policy {
    none,       ///< run silently
    yes,        ///< the person types "yes"
    type_name,  ///< the person types the target's exact name
};

/// "none", "yes" or "type-name".
std::string_view policy_name(Policy policy);

/// A tier's look and its confirmation policy, as configured.
struct TierSpec {
    Tier tier;           ///< production, staging, ...
    std::string label;   ///< short text shown in prompts, e.g. "PROD"
    Color color;         ///< parsed once from `color` ("red", "bright-red", 0-255, "#rrggbb")
    Policy policy = Policy::type_name;
    int rank = 0;        ///< higher is more dangerous; a terminal shows its highest-ranked target
    int grace = 0;       ///< seconds a confirmation stands for the same session and exact target; 0: ask every time
    std::string origin;  ///< "built-in" or "path:line:col"
};

/// One condition of a rule: field `field` of a target matches `pattern`.
/// The pseudo-field "any" matches when any name-like field does (kube
/// context, cluster, server, namespace; pg service, host, hostaddr, dbname,
/// instance; env value; terraform workspace, backend; aws profile, role;
/// gcloud configuration, project). Fields of what a traced target reaches
/// (via, remote_host, ssh_host, instance, ...) are tested on the reached
/// target (core/reach/trace.hpp).
struct Condition {
    std::string field;
    Pattern pattern;
};

/// An ordered rule: when every condition holds (and `kind` matches, if
/// set), the target gets `tier`.
struct Rule {
    Tier tier;
    std::optional<Kind> kind;
    std::vector<Condition> conditions;
    bool locked = false;  ///< from the system file: a user file cannot weaken it
    std::string origin;   ///< "built-in: production names" or "path:line:col"
    std::string tier_origin;  ///< "path:line:col" of its `tier` value; "" for built-ins
};

/// A `[tiers.NAME]` table: only the keys the file sets.
struct TierPatch {
    Tier tier;
    std::optional<std::string> label;
    std::optional<Color> color;
    std::optional<Policy> policy;
    std::optional<int> rank;
    std::optional<int> grace;
    bool locked = false;  ///< `locked = true` in the system file
    std::string origin;
};

/// Where the reserved status line sits.
enum class Placement { bottom, top, off };

/// "bottom", "top" or "off".
std::string_view placement_name(Placement placement);

/// The `[display]` table: only the keys a file sets.
struct DisplayPatch {
    std::optional<Placement> statusline;
    std::optional<bool> tmux_tint, osc_tint;
};

/// The effective `[display]` settings, with their defaults.
struct DisplaySettings {
    Placement statusline = Placement::bottom;  ///< `statusline`
    bool tmux_tint = true;                     ///< `tmux_tint`
    bool osc_tint = false;                     ///< `osc_tint`
};

/// One parsed config file.
struct ConfigFile {
    std::string path;
    std::vector<TierPatch> tiers;
    std::vector<Rule> rules;
    std::optional<std::vector<std::string>> env;      ///< `env = [...]`
    std::optional<std::vector<std::string>> dotenv;   ///< `dotenv = [...]`: file names looked for in the project directory
    std::optional<bool> builtin_rules;                ///< `builtin_rules = false` drops the built-ins
    std::optional<bool> audit_required;               ///< `audit = "required"` or `"best-effort"`
    DisplayPatch display;                             ///< `[display]`
    UndoPatch undo;                                   ///< `undo`, `undo_max_bytes`, `undo_keep_days`, `preview_timeout`
    std::vector<IdentityPin> identities;              ///< `[[identity]]` entries
    std::optional<ProbeMode> probe;                   ///< `probe = "guarded" | "always" | "never"`
    std::optional<bool> probe_background;             ///< `probe_background = true`
};

/// The effective configuration.
struct Config {
    std::vector<TierSpec> tiers;
    std::vector<Rule> rules;           ///< in evaluation order; first match wins
    std::vector<std::string> env;      ///< variables that become env targets
    std::vector<std::string> dotenv;   ///< dotenv file names, later names overriding earlier ones (core/dotenv/resolve.hpp)
    bool audit_required = false;       ///< the guard refuses when it cannot write its audit record
    std::vector<IdentityPin> identities;  ///< pinned server identities: the system file's, then the user's
    ProbeMode probe = ProbeMode::guarded;  ///< when the guard probes (user file over system file)
    bool probe_background = false;     ///< the agent probes loopback and traced pg targets in the background
    std::vector<std::string> files;    ///< config files that were read
    std::vector<std::string> errors;   ///< "path:line:col: message"; any error makes the terminal unknown
    std::vector<std::string> notes;    ///< ignored settings (a user file trying to weaken a locked tier)
    DisplaySettings display;           ///< `[display]`: the system file's, then the user file's keys
    UndoSettings undo;                 ///< the preview and undo keys (core/config/undo.hpp), likewise

    /// How `tier` looks and what the guard asks for it; nullptr for a tier
    /// the configuration does not define (Tier::none() among them).
    const TierSpec* spec(const Tier& tier) const;

    /// How dangerous `tier` is; the one rule every comparison of tiers uses
    /// (the overall tier of a terminal, the target the guard confirms, the
    /// tints). A defined tier has its configured `rank`; `unknown`, and any
    /// tier the configuration does not define, rank at least with
    /// `production` (the larger of the two ranks): the guard treats them as
    /// production (DESIGN.md Guard), so raising production's rank raises
    /// theirs. Tier::none() ranks -1, below every tier.
    int rank(const Tier& tier) const;

    /// True when `tier` ranks at least as high as `production`: production
    /// itself, unknown, and tiers configured with a rank as high. These
    /// are the tiers that get a background tint.
    bool production_ranked(const Tier& tier) const;
};

/// Most rules, tiers and env variables one config file may hold: every
/// evaluation tries the rules in order, and a file past these is a mistake
/// (100,000 rules cost 3.9 s and 580 MB per evaluation).
inline constexpr std::size_t kMaxRules = 1000;
inline constexpr std::size_t kMaxTiers = 64;
inline constexpr std::size_t kMaxEnv = 256;

/// Parses one config file. `system` is true for /etc/sentinel/config.toml,
/// the only file whose `locked = true` counts. Errors carry the position of
/// the offending value or key: TOML syntax (in plain words,
/// reword_toml_error in core/config/toml_error.hpp), unknown keys (in the
/// file, a tier, a rule or `[display]`), bad policies, colours, patterns,
/// `[display]` values and undo/preview values (core/config/undo.hpp), a
/// `display` that is not a table, more than kMaxRules rules, kMaxTiers
/// tiers or kMaxEnv env variables. The text is screened first
/// (core/config/screen.hpp: size, encoding, shapes toml++ mishandles).
/// A rule's `port` may
/// be a glob string or an integer. A rule naming an unknown tier is checked
/// in build_config (a user rule may name a system tier), at the tier value.
Result<ConfigFile> parse_config(std::string_view text, const std::string& path, bool system);

/// The built-in tiers (production, staging, development, local, unknown)
/// and rules (names containing prod/production/prd/live are production;
/// staging/stage/stg/preprod/uat staging; kind-*, minikube, docker-desktop,
/// localhost and sockets local; dev/test/qa development), the default
/// env variables and the default dotenv file names (".env", ".env.local").
ConfigFile builtin_config();

/// Combines the built-ins, the system file and the user file. A rule whose
/// tier no file defines is an error at its `tier` value. Tiers: later
/// files override earlier ones key by key, except that a user file cannot
/// change the policy or lower the rank of a tier the system file locks (a
/// tier with `locked = true` or used by a locked rule), nor lengthen its
/// grace period, nor turn `audit = "required"` off. Rules, in order:
/// locked system rules, user rules, other system rules, built-in rules.
Config build_config(const std::optional<ConfigFile>& system, const std::optional<ConfigFile>& user);

/// Where the config files are.
struct ConfigPaths {
    std::string system;  ///< `$SENTINEL_SYSTEM_CONFIG`, default /etc/sentinel/config.toml
    std::string user;    ///< `$XDG_CONFIG_HOME/sentinel/config.toml` (an absolute XDG_CONFIG_HOME), else
                         ///< `$HOME/.config/sentinel/config.toml`; "" when HOME is unset or empty
};

/// The config file paths for the environment `vars`; the only place that
/// names them.
ConfigPaths config_paths(const Vars& vars);

/// Reads and combines the config files (config_paths). A missing file is
/// not an error; an unreadable or invalid one is recorded in
/// Config::errors and ignored.
Config load_config(const Vars& vars, const FileReader& files);

}  // namespace sentinel
