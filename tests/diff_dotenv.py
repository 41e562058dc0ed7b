#!/usr/bin/env python3
"""Differential test: sentinel reads `.env` files as python-dotenv does.

Generated files (quotes, escapes, multi-line values, comments, `export`,
statements python-dotenv cannot parse, `${VAR}` and `${VAR:-default}`
expansion against the environment and earlier keys, CRLF line ends) are
read by Debian's python3-dotenv (DotEnv(..., override=False,
interpolate=True): what load_dotenv() sets) and by `sentinel status --json`
with every key configured as an env variable; the values must agree.

Exits 77 (ctest SKIP) when python3-dotenv is not installed."""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

from testlib import BIN, check, skip, summary

ORACLE = r"""
import json, sys
sys.path.insert(0, "/usr/lib/python3/dist-packages")
from dotenv.main import DotEnv
print(json.dumps([DotEnv(p, override=False, interpolate=True).dict() for p in sys.argv[1:]]))
"""

PIECES_KEY = ["A", "B", "APP_ENV", "DB_HOST", "X1", "lower_key", "WITH.DOT", "K-9"]
PIECES_VALUE = [
    "plain", "two words", "  padded  ", "a#b", "a #comment", "'single'", '"double"', "'it\\'s'", '"q\\"uote"',
    '"esc\\\\n\\n\\t"', "'no\\nescape'", '"multi\nline"', "'multi\nline'", "${A}", "${HOME}/x", "${NOPE:-dflt}",
    "${NOPE}", "pre${B}post", "$(touch /nonexistent)", "`id`", "$HOME", "'${A}'", '"${APP_ENV:-none}"', "",
    '"unterminated', "'a' trailing", "x\\y", '"tab\there"', "val ue # c", "=eq",
]
PREFIX = ["", "", "", "export ", "  ", "export  "]
JUNK = ["# a comment", "", "   ", "just words", "=novalue", "BARE", "'quoted key'=qk", "export", "# x=1"]


def generate(rng):
    lines = []
    for _ in range(rng.randint(1, 8)):
        if rng.random() < 0.2:
            lines.append(rng.choice(JUNK))
            continue
        sep = rng.choice(["=", "=", " = ", "= ", " ="])
        lines.append(rng.choice(PREFIX) + rng.choice(PIECES_KEY) + sep + rng.choice(PIECES_VALUE))
    end = rng.choice(["\n", "\n", "\r\n"])
    return end.join(lines) + rng.choice(["", end])


def sanitized(value):
    """sentinel's visible escapes for the ASCII control bytes generated here."""
    out = []
    for ch in value:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F:
            out.append({7: "\\a", 8: "\\b", 27: "\\e"}.get(code, "\\x%02x" % code))
        else:
            out.append(ch)
    return "".join(out)


def main():
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    probe = subprocess.run([python, "-c", 'import sys; sys.path.insert(0, "/usr/lib/python3/dist-packages"); '
                            'import dotenv'], capture_output=True)
    if probe.returncode != 0:
        skip("python3-dotenv is needed (apt-get install python3-dotenv)")
    rng = random.Random(15)
    work = tempfile.mkdtemp(prefix="sentinel-diff-dotenv-")
    try:
        home = os.path.join(work, "home")
        os.makedirs(os.path.join(home, ".config", "sentinel"))
        with open(os.path.join(home, ".config", "sentinel", "config.toml"), "w") as f:
            f.write("env = [" + ", ".join(json.dumps(k) for k in PIECES_KEY + ["quoted key", "export"]) + "]\n")
        env = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "SENTINEL_SYSTEM_CONFIG": os.path.join(work, "none.toml"), "XDG_CACHE_HOME": os.path.join(work, "c")}
        dirs = []
        for i in range(150):
            d = os.path.join(home, "p%03d" % i)
            os.makedirs(os.path.join(d, ".git"))
            with open(os.path.join(d, ".env"), "w", newline="") as f:
                f.write(generate(rng))
            dirs.append(d)
        oracle = subprocess.run([python, "-c", ORACLE, *[os.path.join(d, ".env") for d in dirs]],
                                capture_output=True, text=True, env=env)
        check("python-dotenv read the files", oracle.returncode == 0, oracle.stderr[-500:])
        if oracle.returncode != 0:
            return summary()
        expected_all = json.loads(oracle.stdout)
        mismatches = []
        compared = 0
        for d, expected in zip(dirs, expected_all):
            r = subprocess.run([BIN, "status", "--json"], cwd=d, env=env, capture_output=True, text=True)
            got = {}
            for t in json.loads(r.stdout)["targets"]:
                if t["kind"] == "env":
                    got[t["name"]] = t["value"]
            want = {k: sanitized(v) for k, v in expected.items() if v}  # empty values make no target
            compared += len(want)
            if got != want:
                with open(os.path.join(d, ".env"), newline="") as f:
                    mismatches.append((f.read(), want, got))
        check(f"{compared} values compared (at least 300)", compared >= 300, compared)
        check(f"{len(dirs)} generated files: the same values as python-dotenv", not mismatches,
              "\n".join(repr(m) for m in mismatches[:5]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
