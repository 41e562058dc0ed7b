#pragma once
// Targets from the `.env` files of the project directory: the configured
// env variables and DATABASE_URL found there become targets exactly as if
// the shell had exported them, with the file and line they came from.

#include <string>
#include <vector>

#include "sentinel/core/target.hpp"
#include "sentinel/core/vars.hpp"

namespace sentinel {

/// One variable a dotenv file sets, as the configured env variables and
/// DATABASE_URL receive it: passwords already removed.
struct DotenvValue {
    std::string name;
    std::string value;  ///< URL passwords and `password=` words replaced by "***"
    std::string file;   ///< absolute path of the dotenv file
    int line = 0;       ///< 1-based line of the key
};

/// What the dotenv files of a directory give.
struct DotenvOverlay {
    std::vector<DotenvValue> values;       ///< one per wanted variable the files set and the shell does not export
    std::vector<std::string> files;        ///< the dotenv files found, nearest directory first
    std::vector<std::string> references;   ///< variables the files' `${...}` name (shells report them)
    std::vector<Target> unreadable;        ///< one env target with a problem per dotenv file that cannot be used
};

/// The directories whose dotenv files count for a command run in `cwd`:
/// `cwd` and each parent up to the first that holds `.git` (the repository
/// root; a directory or a file, as in worktrees) or is `$HOME`, both
/// included. When `cwd` is in neither a repository nor HOME, only `cwd`.
/// Empty when `cwd` is not absolute. Looks for `.git` through `files`
/// (anything but "missing" counts).
std::vector<std::string> dotenv_directories(const Vars& vars, const std::string& cwd, const FileReader& files);

/// Reads the dotenv files named `file_names` (config.toml `dotenv`) in the
/// dotenv_directories() of `cwd` and returns the values of `wanted` (the
/// configured env variables and DATABASE_URL; secret names such as
/// *_PASSWORD are never taken) that `vars` does not set: an exported
/// variable wins over the file, as dotenv libraries do by default. A nearer
/// directory wins over a farther one; in one directory a later name of
/// `file_names` wins over an earlier one (".env.local" over ".env").
/// Values are parsed and expanded as python-dotenv's load_dotenv() does
/// (core/dotenv/parse.hpp) against `vars`. Statements python-dotenv cannot
/// parse add a `path:line` warning; a file that cannot be read or is not
/// UTF-8 gives an unreadable target (tier unknown). A directory or another
/// file that is not regular (a virtualenv named `.env`) is not a dotenv
/// file and is skipped, as python-dotenv's find_dotenv skips it.
DotenvOverlay resolve_dotenv(const Vars& vars, const std::string& cwd, const std::vector<std::string>& file_names,
                             const std::vector<std::string>& wanted, const FileReader& files,
                             std::vector<std::string>& warnings);

/// Marks the targets that `value` gave as coming from its file: each field
/// whose origin is the variable's name gets "path:line (NAME)", the file is
/// added to Target::files. Targets whose sources do not name the variable
/// are left alone.
void attribute_dotenv(std::vector<Target>& targets, const DotenvValue& value);

/// `value` with the password of a URL's userinfo and the values of
/// `password=` words (any case, quoted or not) replaced by "***".
std::string redact_passwords(const std::string& value);

}  // namespace sentinel
