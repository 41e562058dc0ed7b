#pragma once
// INI files as Python's configparser reads them, strictly: the AWS CLI
// (botocore's RawConfigParser over ~/.aws/config and ~/.aws/credentials)
// and gcloud (ConfigParser over its named configurations) both use it, so
// sentinel reads their files with the same rules and fails where they fail.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sentinel/core/result.hpp"

namespace sentinel {

/// One option of a section.
struct IniOption {
    std::string name;     ///< lowercased (configparser's optionxform)
    std::string value;    ///< stripped; continuation lines joined with '\n'; always "" when `secret`
    int line = 0;         ///< 1-based line of the option's name
    bool secret = false;  ///< a secret key: its value was recognised and skipped, never copied
};

/// One section, with the options of `[DEFAULT]` it does not set itself
/// appended (configparser's defaults).
struct IniSection {
    std::string name;  ///< the text between '[' and the last ']', unstripped, case kept
    int line = 0;
    std::vector<IniOption> options;

    /// The option called `name` (lowercase), or nullptr.
    const IniOption* find(std::string_view name) const;
};

/// A parsed file: its sections in order of first appearance, without
/// `[DEFAULT]` (merged into each section as configparser does).
struct IniFile {
    std::vector<IniSection> sections;

    /// The section called `name` exactly, or nullptr.
    const IniSection* find(std::string_view name) const;
};

/// Tells, from an option's lowercased name, that its value is a secret.
using IniSecretKey = std::function<bool(std::string_view name)>;

/// Parses `text` with configparser's defaults (Python 3.11, strict=True,
/// no inline comments, empty lines allowed in values):
/// - lines end at "\n", "\r\n" or "\r"; a line whose stripped text starts
///   with '#' or ';' is a comment; blank lines are skipped (inside a
///   multi-line value they are kept, trailing ones dropped);
/// - a line indented deeper than the option line before it continues that
///   option's value (not right after a section header);
/// - `[name]` (a stripped line starting with '[' and holding a later ']';
///   the name runs to the last ']', trailing text ignored) opens a section;
/// - `name = value` or `name : value`, split at the first '=' or ':';
///   names lowercased, both sides stripped.
/// Errors, as configparser raises them, first one only, at file:line
/// without quoting the line: an option before any section, a section or an
/// option repeated in one file (DEFAULT sections merge), a line that is
/// none of the above or has an empty name, bytes that are not UTF-8.
/// Options for which `secret` says true keep no value: the parser skips it
/// (and its continuation lines) without copying it.
Result<IniFile> parse_configparser(std::string_view text, const std::string& path, const IniSecretKey& secret);

/// `text` split as Python's shlex.split does it (POSIX mode, no comments),
/// which botocore applies to `[profile NAME]` headers: words at spaces,
/// tabs and line ends; '...' literal; "..." where a backslash escapes only
/// a backslash or '"'; outside quotes a backslash escapes any character;
/// quoted parts glue to the word around them. `ok` becomes false (and the
/// result is empty) for an unterminated quote or a trailing backslash,
/// where shlex raises ValueError.
std::vector<std::string> shlex_split(std::string_view text, bool& ok);

}  // namespace sentinel
