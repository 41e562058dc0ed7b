#!/usr/bin/env python3
"""The Debian package: `cpack -G DEB` from the build tree gives
sentinel_<version>_<arch>.deb; `dpkg-deb -I` shows its fields with the
run-time dependencies computed (libc6 from dpkg-shlibdeps, libpq5, which is
dlopen'ed); `dpkg-deb -c` the install layout under /usr; `dpkg -i` installs
it, then the installed sentinel runs, `man sentinel` and `man 5
sentinel.toml` render, a new bash completes `sentinel g<TAB>` (bash-completion
loading /usr/share/bash-completion/completions/sentinel), the unit passes
`systemd-analyze verify`; `dpkg -r` then leaves no file behind and
`dpkg --purge` no trace in dpkg's database.

It changes the system, so it leaves it as it found it: it runs only as root,
only when no sentinel package or /usr/bin/sentinel is there, one run at a
time per machine (a lock in /run/lock), and removes the package whatever
happens. Skips (77) otherwise, or without cpack, dpkg or a build tree."""

import fcntl
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

from testlib import BIN, SIZE, Tmux, check, require, skip, skipped, summary, wait_for

BUILD = os.path.dirname(os.path.abspath(BIN))
LOCK = "/run/lock/sentinel-deb-test.lock"

PACKAGE_FILES = {
    "/usr/bin/sentinel",
    "/usr/share/man/man1/sentinel.1.gz",
    "/usr/share/man/man5/sentinel.toml.5.gz",
    "/usr/share/bash-completion/completions/sentinel",
    "/usr/share/zsh/vendor-completions/_sentinel",
    "/usr/share/fish/vendor_completions.d/sentinel.fish",
    "/usr/share/sentinel/tmux/sentinel.tmux",
    "/usr/share/sentinel/wrappers/psql",
    "/usr/share/sentinel/wrappers/kubectl",
    "/usr/share/sentinel/wrappers/helm",
    "/usr/share/sentinel/wrappers/terraform",
    "/usr/share/sentinel/wrappers/README",
    "/usr/lib/systemd/user/sentinel-agent.service",
    "/usr/share/doc/sentinel/config.toml.example",
}


def installed():
    r = subprocess.run(["dpkg-query", "-W", "-f", "${Status}", "sentinel"], capture_output=True, text=True)
    return r.returncode == 0 and "installed" in r.stdout.split()


def known_to_dpkg():
    r = subprocess.run(["dpkg-query", "-W", "-f", "${Status}", "sentinel"], capture_output=True, text=True)
    return r.returncode == 0 and r.stdout.strip() not in ("", "unknown ok not-installed")


def dpkg(*args):
    """dpkg, waiting while another dpkg or apt holds its lock (2 minutes)."""
    end = time.monotonic() + 120
    while True:
        r = subprocess.run(["dpkg", *args], capture_output=True, text=True,
                           env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        if r.returncode == 0 or "lock" not in r.stderr or time.monotonic() > end:
            return r
        time.sleep(2)


def deb_paths(contents):
    """Absolute paths (files, links and directories) listed by dpkg-deb -c."""
    out = set()
    for line in contents.split("\n"):
        if not line.strip():
            continue
        name = line.split(None, 5)[5].split(" -> ")[0]
        name = name[1:] if name.startswith(".") else name
        if name not in ("/", ""):
            out.add(name.rstrip("/"))
    return out


def package(tmp):
    r = subprocess.run(["cpack", "-G", "DEB", "--config", os.path.join(BUILD, "CPackConfig.cmake"), "-B", tmp],
                       capture_output=True, text=True)
    check("cpack -G DEB succeeds", r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:])
    version = subprocess.run([BIN, "--version"], capture_output=True, text=True).stdout.split("\n")[0].split()[-1]
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    deb = os.path.join(tmp, "sentinel_%s_%s.deb" % (version, arch))
    check("the package is sentinel_<version>_<arch>.deb", os.path.exists(deb), os.listdir(tmp))
    return deb


def inspect(deb):
    info = subprocess.run(["dpkg-deb", "-I", deb], capture_output=True, text=True).stdout
    fields = dict(re.findall(r"^ ([A-Z][A-Za-z-]+): (.*)$", info, re.M))
    check("dpkg-deb -I: Package sentinel", fields.get("Package") == "sentinel", info)
    depends = fields.get("Depends", "")
    check("dpkg-deb -I: Depends computed by dpkg-shlibdeps (libc6 with a version)",
          re.search(r"libc6 \(>= [0-9.]+\)", depends) is not None, depends)
    check("dpkg-deb -I: Depends libpq5 (dlopen'ed, named explicitly)", "libpq5" in depends, depends)
    for key in ("Version", "Architecture", "Maintainer", "Description", "Section"):
        check("dpkg-deb -I: %s" % key, bool(fields.get(key)), info)
    contents = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True).stdout
    paths = deb_paths(contents)
    files = {p for p in paths if not any(q.startswith(p + "/") for q in paths)}
    check("dpkg-deb -c: the install layout under /usr", files == PACKAGE_FILES,
          "missing %s, extra %s" % (sorted(PACKAGE_FILES - files), sorted(files - PACKAGE_FILES)))
    check("dpkg-deb -c: everything under /usr", all(p.startswith("/usr") for p in paths))
    check("dpkg-deb -c: kubectl, helm and terraform are links to psql",
          all(re.search(r"/wrappers/%s -> psql" % t, contents) for t in ("kubectl", "helm", "terraform")))
    return paths


def use():
    r = subprocess.run(["/usr/bin/sentinel", "--version"], capture_output=True, text=True)
    check("installed: sentinel --version", r.returncode == 0 and r.stdout.startswith("sentinel "), r.stdout + r.stderr)
    r = subprocess.run(["sentinel", "init", "bash"], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    check("installed: sentinel init names /usr/bin/sentinel", "_sentinel_bin='/usr/bin/sentinel'" in r.stdout)
    env = {**os.environ, "MANWIDTH": "80", "PAGER": "cat", "MANPAGER": "cat", "LANG": "C.UTF-8"}
    for args, want in ((["sentinel"], "SYNOPSIS"), (["5", "sentinel.toml"], "RULES")):
        r = subprocess.run(["man", "--warnings=w", *args], capture_output=True, text=True, env=env)
        check("installed: man %s renders without a warning" % " ".join(args), r.returncode == 0 and want in r.stdout and not r.stderr,
              r.stderr)
    run = tempfile.mkdtemp(prefix="sentinel-run-")
    r = subprocess.run(["systemd-analyze", "--user", "verify", "/usr/lib/systemd/user/sentinel-agent.service"],
                       capture_output=True, text=True, env={**os.environ, "XDG_RUNTIME_DIR": run})
    shutil.rmtree(run, ignore_errors=True)
    check("installed: systemd-analyze verify on the unit", r.returncode == 0 and not r.stderr.strip(), r.stderr)
    loader = "/usr/share/bash-completion/bash_completion"
    if not os.path.exists(loader):
        skipped("installed: a new bash completes sentinel g<TAB>", "bash-completion is not installed")
        return
    tmp = tempfile.mkdtemp(prefix="sentinel-deb-bash-")
    rc = os.path.join(tmp, "bashrc")
    with open(rc, "w") as f:
        f.write("PS1='@P@ '\nsource %s\n" % loader)
    tmux = Tmux("sentinel-deb-%d" % os.getpid())
    env = "env -i PATH=/usr/bin:/bin TERM=xterm-256color HOME=%s" % shlex.quote(tmp)
    tmux("new-session", "-d", "-x", str(SIZE[1]), "-y", str(SIZE[0]),
         "%s bash --noprofile --rcfile %s -i" % (env, shlex.quote(rc)))
    try:
        def screen():
            return tmux("capture-pane", "-p")
        wait_for(lambda: "@P@" in screen(), 5)
        tmux("send-keys", "-l", "sentinel g")
        time.sleep(0.2)
        tmux("send-keys", "Tab")
        done = wait_for(lambda: "sentinel guard" in screen(), 5)
        check("installed: a new bash completes sentinel g<TAB> to guard", done, screen()[:300])
    finally:
        tmux.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    if os.geteuid() != 0:
        skip("not root: dpkg -i needs root")
    require("cpack", "dpkg", "dpkg-deb", "dpkg-shlibdeps", "man", "systemd-analyze", "tmux")
    if not os.path.exists(os.path.join(BUILD, "CPackConfig.cmake")):
        skip("%s is not a configured build tree" % BUILD)
    os.makedirs(os.path.dirname(LOCK), exist_ok=True)
    lock = open(LOCK, "w")
    fcntl.flock(lock, fcntl.LOCK_EX)  # another run of this test on this machine finishes first
    if known_to_dpkg() or os.path.exists("/usr/bin/sentinel"):
        skip("a sentinel package or /usr/bin/sentinel is already on this system; not touching it")
    tmp = tempfile.mkdtemp(prefix="sentinel-deb-")
    try:
        deb = package(tmp)
        if not os.path.exists(deb):
            sys.exit(summary())
        paths = inspect(deb)
        before = {p for p in paths if os.path.lexists(p)}
        r = dpkg("-i", deb)
        check("dpkg -i installs it", r.returncode == 0 and installed(), r.stderr)
        if installed():
            use()
        r = dpkg("-r", "sentinel")
        check("dpkg -r removes it", r.returncode == 0 and not installed(), r.stderr)
        left = sorted({p for p in paths if os.path.lexists(p)} - before)
        check("dpkg -r leaves no file behind", not left, left)
        dpkg("--purge", "sentinel")
        check("dpkg --purge: dpkg no longer knows sentinel", not known_to_dpkg())
    finally:
        if known_to_dpkg():
            dpkg("--purge", "sentinel")
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(summary())


if __name__ == "__main__":
    main()
