#!/usr/bin/env python3
"""`cmake --install` puts everything where the ecosystem looks for it, under
any prefix: the exact file list under DESTDIR (prefix /usr) with the wrapper
symlinks and modes; the systemd unit naming the installed binary (also for a
prefix given at install time) and passing `systemd-analyze verify` where it
exists; the installed binary runs; each man page renders with `man -l`
without a groff warning (MANWIDTH=80) and names every command and option of
the command tables (sentinel.1) and every config key (sentinel.toml.5); the
example config parses and holds every key; each completion loads in its real
shell (bash alone and through bash-completion, zsh from fpath, fish from
XDG_DATA_DIRS) and completes `sentinel g<TAB>` and `sentinel status
--format=<TAB>` on a pseudo-terminal read back through tmux; the installed
tmux plugin and wrappers work. Skips (77) without a configured build tree."""

import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time

from testlib import BIN, SIZE, SRC, Tmux, check, require, skip, skipped, summary, wait_for

BUILD = os.path.dirname(os.path.abspath(BIN))

FILES = {
    "usr/bin/sentinel",
    "usr/share/man/man1/sentinel.1",
    "usr/share/man/man5/sentinel.toml.5",
    "usr/share/bash-completion/completions/sentinel",
    "usr/share/zsh/vendor-completions/_sentinel",
    "usr/share/fish/vendor_completions.d/sentinel.fish",
    "usr/share/sentinel/tmux/sentinel.tmux",
    "usr/share/sentinel/wrappers/psql",
    "usr/share/sentinel/wrappers/kubectl",
    "usr/share/sentinel/wrappers/helm",
    "usr/share/sentinel/wrappers/terraform",
    "usr/share/sentinel/wrappers/README",
    "usr/lib/systemd/user/sentinel-agent.service",
    "usr/share/doc/sentinel/config.toml.example",
}

TIER_KEYS = ["label", "color", "policy", "rank", "grace", "locked"]
RULE_KEYS = ["tier", "kind", "locked"]
DISPLAY_KEYS = ["statusline", "tmux_tint", "osc_tint"]
# Rule fields of what a loopback target reaches through a forwarder (the
# parser's message names a few and "..."), and the keys of [[identity]].
REACH_KEYS = ["via", "ssh_host", "ssh_hostname", "ssh_user", "ssh_port", "remote_host", "remote_port",
              "remote_socket", "remote_dbname", "instance", "resource", "container_ip", "data_directory"]
IDENTITY_KEYS = ["system_identifier", "cluster_name", "kube_system_uid"]


def install(args, env=None):
    r = subprocess.run(["cmake", "--install", BUILD, *args], capture_output=True, text=True,
                       env={**os.environ, **(env or {})})
    if r.returncode != 0:
        raise RuntimeError("cmake --install failed: " + r.stderr)


def listing(root):
    out = set()
    for d, dirs, files in os.walk(root):
        for name in files + [x for x in dirs if os.path.islink(os.path.join(d, x))]:
            out.add(os.path.relpath(os.path.join(d, name), root))
    return out


def unit_exec(path):
    """The programs of the unit's ExecStart lines (systemd quotes like a shell
    for these paths; %% is a literal %)."""
    with open(path) as f:
        return [shlex.split(l.split("=", 1)[1])[0].replace("%%", "%") for l in f if l.startswith("ExecStart=")]


def check_layout(tmp):
    dest = os.path.join(tmp, "dest")
    install(["--prefix", "/usr"], {"DESTDIR": dest})
    found = listing(dest)
    check("DESTDIR install: exactly the expected files", found == FILES,
          "missing %s, extra %s" % (sorted(FILES - found), sorted(found - FILES)))
    w = os.path.join(dest, "usr/share/sentinel/wrappers")
    check("wrappers: kubectl, helm and terraform are symlinks to psql",
          all(os.path.islink(os.path.join(w, t)) and os.readlink(os.path.join(w, t)) == "psql"
              for t in ("kubectl", "helm", "terraform")))
    for rel in ("usr/bin/sentinel", "usr/share/sentinel/wrappers/psql", "usr/share/sentinel/tmux/sentinel.tmux"):
        mode = os.stat(os.path.join(dest, rel)).st_mode
        check("%s is executable" % rel, bool(mode & stat.S_IXOTH))
    check("unit under DESTDIR: ExecStart is the installed path, without DESTDIR",
          unit_exec(os.path.join(dest, "usr/lib/systemd/user/sentinel-agent.service")) == ["/usr/bin/sentinel"])


def check_prefix(tmp):
    prefix = os.path.join(tmp, "prefix with space and 100%")
    install(["--prefix", prefix])
    exe = os.path.join(prefix, "bin", "sentinel")
    r = subprocess.run([exe, "--version"], capture_output=True, text=True)
    lines = r.stdout.split("\n")
    check("installed binary: --version", r.returncode == 0 and re.fullmatch(r"sentinel \d+\.\d+\.\d+", lines[0]) is not None, r.stdout)
    for lib in ("libpq", "libfyaml", "toml++", "libpg_query", "ncurses"):
        check("--version names %s with a version" % lib, any(re.match(r"%s \d" % re.escape(lib), l) for l in lines), r.stdout)
    check("--version says where libpq comes from", "loaded at run time from" in r.stdout and "built with the headers" in r.stdout)
    demo = os.path.join(SRC, "contrib", "demo")
    home = os.path.join(tmp, "home")
    os.makedirs(home)
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "KUBECONFIG": os.path.join(demo, "kubeconfig"),
           "XDG_CONFIG_HOME": demo, "SENTINEL_SYSTEM_CONFIG": "/nonexistent"}
    r = subprocess.run([exe, "status", "--format=prompt", "--color=never"], capture_output=True, text=True, env=env)
    check("installed binary: status on the demo", r.returncode == 0 and r.stdout.startswith("PROD prod-eu"), r.stdout + r.stderr)
    unit = os.path.join(prefix, "lib/systemd/user/sentinel-agent.service")
    check("unit with --prefix at install time: ExecStart names that prefix's binary", unit_exec(unit) == [exe], unit_exec(unit))
    run = tempfile.mkdtemp(prefix="sentinel-run-", dir=tmp)
    os.chmod(run, 0o700)
    r = subprocess.run(["systemd-analyze", "--user", "verify", unit], capture_output=True, text=True,
                       env={**os.environ, "XDG_RUNTIME_DIR": run})
    check("systemd-analyze --user verify on the installed unit", r.returncode == 0 and not r.stderr.strip(), r.stderr)
    broken = os.path.join(run, "sentinel-agent.service")
    with open(unit) as f, open(broken, "w") as g:
        g.write(re.sub(r"(?m)^ExecStart=.*$", "ExecStart=/nonexistent/sentinel agent", f.read()))
    r = subprocess.run(["systemd-analyze", "--user", "verify", broken], capture_output=True, text=True,
                       env={**os.environ, "XDG_RUNTIME_DIR": run})
    check("systemd-analyze verify fails on a unit whose binary is missing (the check can fail)", r.returncode != 0)
    return prefix


def man_text(path):
    """man -l with every groff warning on (-ww: "all" would leave out
    undefined macros, strings and registers)."""
    r = subprocess.run(["man", "--warnings=w", "-l", path], capture_output=True, text=True,
                       env={**os.environ, "MANWIDTH": "80", "MAN_KEEP_FORMATTING": "", "PAGER": "cat", "LANG": "C.UTF-8"})
    return r.returncode, r.stdout, r.stderr


def tables(exe):
    """{command: [options]} from the installed binary's own --help texts."""
    usage = subprocess.run([exe, "--help"], capture_output=True, text=True).stdout
    commands = re.findall(r"^  sentinel (\S+)", usage, re.M)
    out = {}
    for c in commands:
        text = subprocess.run([exe, c, "--help"], capture_output=True, text=True).stdout
        out[c] = re.findall(r"^  --([a-z-]+)", text, re.M)
    return out


def config_keys(exe, tmp):
    """Top-level keys and rule fields as the parser itself lists them in its
    'unknown key' errors."""
    cfg = os.path.join(tmp, "probe", "sentinel")
    os.makedirs(cfg)
    env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "XDG_CONFIG_HOME": os.path.dirname(cfg), "SENTINEL_SYSTEM_CONFIG": "/nonexistent"}

    def error_for(text):
        with open(os.path.join(cfg, "config.toml"), "w") as f:
            f.write(text)
        return subprocess.run([exe, "status"], capture_output=True, text=True, env=env).stderr

    top = re.search(r"expected ([a-z_, ]+)\)", error_for("bogus = 1\n"))
    fields = re.search(r"fields: ([^)]+)\)", error_for("[[rules]]\ntier = \"production\"\nbogus = \"x\"\n"))
    # "..., any; through a forwarder: via, resource, ...": the last word of each item.
    words = [re.findall(r"[a-z_]+", k)[-1] for k in re.split(r"[,;]", fields.group(1)) if re.search(r"[a-z]", k)] if fields else []
    return ([k.strip() for k in top.group(1).split(",")] if top else [], words)


def check_docs(prefix, tmp):
    exe = os.path.join(prefix, "bin", "sentinel")
    rc, page1, err = man_text(os.path.join(prefix, "share/man/man1/sentinel.1"))
    check("man -l sentinel.1: renders without a warning", rc == 0 and err == "" and "SYNOPSIS" in page1, err)
    rc, page5, err = man_text(os.path.join(prefix, "share/man/man5/sentinel.toml.5"))
    check("man -l sentinel.toml.5: renders without a warning", rc == 0 and err == "" and "RULES" in page5, err)
    bad = os.path.join(tmp, "bad.1")
    with open(bad, "w") as f:
        f.write(".TH BAD 1\n.SH NAME\nbad \\- a page\n.XYZ an unknown macro\n")
    check("man -l warns about a broken page (the check can fail)", man_text(bad)[2] != "")
    # man hyphenates at line ends: compare without them.
    flat1 = re.sub(r"[\u2010-]\n\s*", "", page1)
    t = tables(exe)
    check("the command tables list commands", len(t) >= 10, t)
    missing = [c for c in t if not re.search(r"^\s+%s\b" % re.escape(c), page1, re.M)]
    check("sentinel.1 describes every command", not missing, missing)
    missing = ["%s --%s" % (c, o) for c, opts in t.items() for o in opts if o != "help" and "--" + o not in flat1]
    check("sentinel.1 describes every option of every command", not missing, missing)
    top, fields = config_keys(exe, tmp)
    check("the parser lists its top-level keys and rule fields", len(top) >= 6 and len(fields) >= 13, (top, fields))
    flat5 = re.sub(r"[\u2010-]\n\s*", "", page5)
    keys = sorted(set(top + fields + TIER_KEYS + RULE_KEYS + DISPLAY_KEYS + REACH_KEYS + IDENTITY_KEYS))
    missing = [k for k in keys if not re.search(r"(^|[\s\[.])%s\b" % re.escape(k), flat5)]
    check("sentinel.toml.5 describes every config key, rule field and display setting", not missing, missing)

    example = os.path.join(prefix, "share/doc/sentinel/config.toml.example")
    with open(example) as f:
        text = f.read()
    uncommented = "\n".join(l.split("#")[0] for l in text.split("\n"))
    missing = [k for k in keys if not re.search(r"(^|[\s\[.{])%s\s*=|\[%s\]|\[\[%s\]\]|\[tiers\." % (k, k, k), text, re.M)
               and k not in ("tiers",)]
    check("config.toml.example shows every key", not missing, missing)
    cfg = os.path.join(tmp, "example", "sentinel")
    os.makedirs(cfg)
    shutil.copy(example, os.path.join(cfg, "config.toml"))
    r = subprocess.run([exe, "status"], capture_output=True, text=True,
                       env={"PATH": "/usr/bin:/bin", "HOME": tmp, "XDG_CONFIG_HOME": os.path.dirname(cfg),
                            "SENTINEL_SYSTEM_CONFIG": "/nonexistent", "APP_ENV": "x"})
    check("config.toml.example parses with no error", r.returncode == 0 and "error" not in r.stderr, r.stderr)
    check("config.toml.example has settings, not only comments", "[[rules]]" in uncommented and "[display]" in uncommented)


class Term:
    """One interactive shell in a private tmux server (testlib.Tmux, 40x160)."""

    def __init__(self, name, argv, env):
        self.tmux = Tmux("sentinel-inst-%d-%s" % (os.getpid(), name))
        command = "env -i " + " ".join(shlex.quote("%s=%s" % kv) for kv in env.items()) + " " + " ".join(map(shlex.quote, argv))
        self.tmux("new-session", "-d", "-x", str(SIZE[1]), "-y", str(SIZE[0]), command)
        self.tmux("set-option", "-g", "status", "off")

    def screen(self):
        return self.tmux("capture-pane", "-p")

    def complete(self, text, want, tabs=1):
        """Types `text` and TAB(s) on an empty line; waits until `want`
        (a function of the screen) holds; returns the screen."""
        self.tmux("send-keys", "C-u", "C-l")
        time.sleep(0.2)
        self.tmux("send-keys", "-l", text)
        for _ in range(tabs):
            time.sleep(0.15)
            self.tmux("send-keys", "Tab")
        wait_for(lambda: want(self.screen()), 5)
        return self.screen()

    def close(self):
        self.tmux.kill()


def first_line(screen):
    return screen.split("\n")[0]


def check_completion(shell, term):
    try:
        if not wait_for(lambda: "@P@" in term.screen(), 10):
            check("%s: shell started" % shell, False, term.screen())
            return
        s = term.complete("sentinel g", lambda s: "sentinel guard" in first_line(s))
        check("%s: sentinel g<TAB> completes guard" % shell, first_line(s).rstrip().endswith("sentinel guard"), first_line(s))
        s = term.complete("sentinel status --format=", lambda s: all(v in s for v in ("json", "plain", "prompt")),
                          tabs=2 if shell.startswith("bash") else 1)
        check("%s: sentinel status --format=<TAB> offers plain, prompt, json" % shell,
              all(v in s for v in ("json", "plain", "prompt")), s[:400])
        tools = ("psql", "kubectl", "helm", "terraform")
        s = term.complete("sentinel guard --tool ", lambda s: all(v in s for v in tools),
                          tabs=2 if shell.startswith("bash") else 1)
        check("%s: sentinel guard --tool <TAB> offers psql, kubectl, helm, terraform" % shell,
              all(v in s for v in tools), s[:400])
    finally:
        term.close()


def check_completions(prefix, tmp):
    share = os.path.join(prefix, "share")
    base = {"PATH": os.path.join(prefix, "bin") + ":/usr/bin:/bin", "TERM": "xterm-256color", "HOME": tmp, "LANG": "C.UTF-8"}
    rc = os.path.join(tmp, "bashrc")
    with open(rc, "w") as f:
        f.write("PS1='@P@ '\nsource %s\n" % shlex.quote(os.path.join(share, "bash-completion/completions/sentinel")))
    check_completion("bash", Term("bash", ["bash", "--noprofile", "--rcfile", rc, "-i"], base))
    loader = "/usr/share/bash-completion/bash_completion"
    if os.path.exists(loader):
        rc2 = os.path.join(tmp, "bashrc2")
        with open(rc2, "w") as f:
            f.write("PS1='@P@ '\nsource %s\n" % loader)
        # bash-completion loads completions/<command> from each XDG_DATA_DIRS entry.
        check_completion("bash (bash-completion, XDG_DATA_DIRS)",
                         Term("bash2", ["bash", "--noprofile", "--rcfile", rc2, "-i"],
                              {**base, "XDG_DATA_DIRS": share + ":/usr/share"}))
    else:
        skipped("bash (bash-completion, XDG_DATA_DIRS)", "bash-completion is not installed")
    zdot = os.path.join(tmp, "zdot")
    os.makedirs(zdot)
    with open(os.path.join(zdot, ".zshrc"), "w") as f:
        f.write("PROMPT='@P@ '\nfpath=(%s $fpath)\nautoload -Uz compinit && compinit -u -D\n"
                % shlex.quote(os.path.join(share, "zsh/vendor-completions")))
    check_completion("zsh", Term("zsh", ["zsh", "-i"], {**base, "ZDOTDIR": zdot}))
    cfg = os.path.join(tmp, "fishcfg")
    os.makedirs(os.path.join(cfg, "fish"))
    with open(os.path.join(cfg, "fish", "config.fish"), "w") as f:
        f.write("set -g fish_greeting ''\nfunction fish_prompt; printf '@P@ '; end\n")
    check_completion("fish", Term("fish", ["fish", "-i"], {**base, "XDG_CONFIG_HOME": cfg,
                                                           "XDG_DATA_HOME": os.path.join(tmp, "fishdata"),
                                                           "XDG_DATA_DIRS": share + ":/usr/share"}))


def check_helpers(prefix, tmp):
    exe_dir = os.path.join(prefix, "bin")
    tmux = Tmux("sentinel-inst-%d-plugin" % os.getpid())
    tmux("new-session", "-d", "-x", str(SIZE[1]), "-y", str(SIZE[0]))
    try:
        tmux("run-shell", "bash %s" % shlex.quote(os.path.join(prefix, "share/sentinel/tmux/sentinel.tmux")))
        right = tmux("show-options", "-gv", "status-right")
        check("installed tmux plugin: status-right reads the pane options", "@sentinel_label" in right, right)
    finally:
        tmux.kill()
    stub = os.path.join(tmp, "stub")
    os.makedirs(stub)
    ran = os.path.join(tmp, "ran")
    with open(os.path.join(stub, "kubectl"), "w") as f:
        f.write("#!/bin/sh\necho \"$@\" > %s\n" % shlex.quote(ran))
    os.chmod(os.path.join(stub, "kubectl"), 0o755)
    path = ":".join([os.path.join(prefix, "share/sentinel/wrappers"), exe_dir, stub, "/usr/bin:/bin"])
    demo = os.path.join(SRC, "contrib", "demo")
    r = subprocess.run(["kubectl", "--context", "kind-dev", "get", "pods"], capture_output=True, text=True,
                       env={"PATH": path, "HOME": tmp, "KUBECONFIG": os.path.join(demo, "kubeconfig"),
                            "SENTINEL_SYSTEM_CONFIG": "/nonexistent", "XDG_CONFIG_HOME": demo}, stdin=subprocess.DEVNULL)
    check("installed wrappers: kubectl runs the real one through sentinel guard",
          r.returncode == 0 and os.path.exists(ran) and "get pods" in open(ran).read(), r.stderr)
    r = subprocess.run(["kubectl", "--context", "prod-eu", "delete", "pod", "x"], capture_output=True, text=True,
                       env={"PATH": path, "HOME": tmp, "KUBECONFIG": os.path.join(demo, "kubeconfig"),
                            "SENTINEL_SYSTEM_CONFIG": "/nonexistent", "XDG_CONFIG_HOME": demo},
                       stdin=subprocess.DEVNULL, start_new_session=True)
    check("installed wrappers: a write on production without a terminal is refused (77)", r.returncode == 77, r.stderr)


def main():
    require("cmake", "man", "systemd-analyze", "tmux", "bash", "zsh", "fish", "kubectl")
    if not os.path.exists(os.path.join(BUILD, "CMakeCache.txt")):
        skip("%s is not a configured build tree" % BUILD)
    tmp = tempfile.mkdtemp(prefix="sentinel-install-")
    try:
        check_layout(tmp)
        prefix = check_prefix(tmp)
        check_docs(prefix, tmp)
        check_completions(prefix, tmp)
        check_helpers(prefix, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(summary())


if __name__ == "__main__":
    main()
