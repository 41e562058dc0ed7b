#!/usr/bin/env python3
"""Pseudo-terminal harness for the shell integration tests (standard library
only), and, run as a test, the basic checks: real bash and zsh show the right
tier, `export KUBECONFIG=...` changes it at the next prompt, hooks keep `$?`,
coexist with existing hooks, install once when sourced twice, and define the
guard functions.

Each Sandbox has its own HOME and XDG_RUNTIME_DIR, hence its own agent, which
it stops at the end."""

import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BIN = os.environ.get("SENTINEL_BIN", "/tmp/abuild/sentinel")
SOURCE = os.environ.get("SENTINEL_SOURCE", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MARK = b"@P@ "
SGR = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|[\x01\x02\r]")


def kubeconfig(current, contexts, extra_users=""):
    """A small kubeconfig: every context on one cluster and user."""
    out = ["apiVersion: v1", "kind: Config", "current-context: %s" % yaml_str(current), "contexts:"]
    for name in contexts:
        out += ["- name: %s" % yaml_str(name), "  context: {cluster: c1, user: u1}"]
    out += ["clusters:", "- name: c1", "  cluster: {server: \"https://10.0.0.1:6443\"}",
            "users:", "- name: u1", "  user: {}", extra_users]
    return "\n".join(out) + "\n"


def yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Shell:
    """One interactive shell on a pseudo-terminal."""

    def __init__(self, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.buf = b""
        self.log = b""

    def read_until(self, marker=MARK, timeout=10.0):
        end = time.monotonic() + timeout
        while marker not in self.buf:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("no %r in %r" % (marker, self.log[-600:]))
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    data = b""
                if not data:
                    raise EOFError("shell exited: %r" % self.log[-600:])
                self.buf += data
                self.log += data
        head, _, self.buf = self.buf.partition(marker)
        return head

    def send(self, text):
        os.write(self.fd, text.encode() if isinstance(text, str) else text)

    def run(self, command, timeout=10.0):
        """Types `command` and Enter; returns (output, segment, ms) where
        segment is the visible text of ${SENTINEL_SEGMENT} in the new prompt
        and ms the time from Enter to the prompt."""
        self.send(command)
        time.sleep(0.02)  # let the line editor echo before timing Enter
        self.drain()
        t = time.monotonic()
        self.send("\r")
        raw = self.read_until(MARK, timeout)
        ms = (time.monotonic() - t) * 1000
        return raw, segment_of(raw), ms

    def drain(self):
        while True:
            r, _, _ = select.select([self.fd], [], [], 0)
            if not r:
                return
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            self.log += data

    def value(self, name):
        """The value of a shell variable, printed between markers."""
        raw, _, _ = self.run("printf '<V>%%s</V>\\n' \"$%s\"" % name)
        text = raw.decode(errors="replace")
        m = re.findall(r"<V>(.*?)</V>", text)
        return m[-1] if m else None

    def close(self):
        try:
            self.send("exit\r")
            for _ in range(50):
                pid, _ = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    break
                time.sleep(0.02)
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except (OSError, ChildProcessError):
            pass
        try:
            os.close(self.fd)
        except OSError:
            pass


def segment_of(raw):
    """Visible text between << and >> of the last prompt in `raw`."""
    clean = SGR.sub(b"", raw)
    at = clean.rfind(b"<<")
    if at < 0:
        return None
    seg = clean[at + 2:]
    end = seg.rfind(b">>")
    return seg[:end].decode(errors="replace") if end >= 0 else None


class Sandbox:
    """A private HOME and runtime directory with one kubeconfig."""

    def __init__(self, contexts=("staging-eu", "prod-eu", "dev"), current="staging-eu"):
        self.dir = tempfile.mkdtemp(prefix="sentinel-e2e-")
        self.home = os.path.join(self.dir, "home")
        self.run_dir = os.path.join(self.dir, "run")
        os.makedirs(os.path.join(self.home, ".kube"))
        os.makedirs(self.run_dir, mode=0o700)
        self.kubeconfig = os.path.join(self.home, ".kube", "config")
        self.write_kubeconfig(current, contexts)
        self.shells = []

    def write_kubeconfig(self, current, contexts, path=None):
        with open(path or self.kubeconfig, "w") as f:
            f.write(kubeconfig(current, contexts))

    def env(self, **extra):
        env = {
            "HOME": self.home,
            "XDG_RUNTIME_DIR": self.run_dir,
            "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
            "SENTINEL_SYSTEM_CONFIG": os.path.join(self.dir, "no-system-config.toml"),
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "TERM": "xterm",
            "LANG": "C.UTF-8",
            "SENTINEL_AUTO_PROMPT": "0",
            # Content checks must not see a "stale" caused by a loaded
            # machine; the fault tests set the default (10 ms) back.
            "SENTINEL_TIMEOUT_MS": "100",
        }
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def bash(self, before="", after="", init=True, **env):
        rc = os.path.join(self.dir, "bashrc.%d" % len(self.shells))
        with open(rc, "w") as f:
            f.write(before + "\n")
            if init:
                f.write('eval "$(%s init bash)"\n' % BIN)
            f.write("PS1='<<${SENTINEL_SEGMENT}>>%s'\n" % MARK.decode())
            f.write(after + "\n")
        sh = Shell(["/bin/bash", "--noprofile", "--rcfile", rc, "-i"], self.env(**env))
        sh.read_until()
        self.shells.append(sh)
        return sh

    def zsh(self, before="", after="", init=True, **env):
        zdot = os.path.join(self.dir, "zdot.%d" % len(self.shells))
        os.makedirs(zdot)
        with open(os.path.join(zdot, ".zshrc"), "w") as f:
            f.write("unsetopt prompt_sp\n" + before + "\n")
            if init:
                f.write('eval "$(%s init zsh)"\n' % BIN)
            f.write("setopt prompt_subst\nPROMPT='<<${SENTINEL_SEGMENT}>>%s'\n" % MARK.decode())
            f.write(after + "\n")
        sh = Shell(["/usr/bin/zsh", "-i"], self.env(ZDOTDIR=zdot, **env))
        sh.read_until()
        self.shells.append(sh)
        return sh

    def shell(self, kind, **kw):
        return self.bash(**kw) if kind == "bash" else self.zsh(**kw)

    def agent_pid(self):
        try:
            with open(os.path.join(self.run_dir, "sentinel", "agent.lock")) as f:
                text = f.read().strip()
            return int(text) if text else None
        except (OSError, ValueError):
            return None

    def close(self):
        for sh in self.shells:
            sh.close()
        pid = self.agent_pid()
        if pid:
            try:
                os.kill(pid, signal.SIGCONT)
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


class Checks:
    """Collects failures so that one run reports them all."""

    def __init__(self):
        self.failures = []

    def check(self, ok, what):
        print(("ok   " if ok else "FAIL ") + what, flush=True)
        if not ok:
            self.failures.append(what)

    def done(self):
        if self.failures:
            print("%d failure(s)" % len(self.failures))
            sys.exit(1)
        print("all passed")


def basic(kind, c):
    box = Sandbox()
    try:
        sh = box.shell(kind)
        _, seg, _ = sh.run("true")
        c.check(seg == "STAGING staging-eu/default", "%s: first prompt shows the tier (%r)" % (kind, seg))
        c.check(sh.value("SENTINEL_TIER") == "staging", "%s: SENTINEL_TIER" % kind)
        c.check(sh.value("SENTINEL_KUBE_CONTEXT") == "staging-eu", "%s: SENTINEL_KUBE_CONTEXT" % kind)
        other = os.path.join(box.dir, "other.yaml")
        box.write_kubeconfig("prod-eu", ["prod-eu"], other)
        _, seg, _ = sh.run("export KUBECONFIG=%s" % other)
        c.check(seg == "PROD prod-eu/default", "%s: export KUBECONFIG changes the next prompt (%r)" % (kind, seg))
        _, seg, _ = sh.run("unset KUBECONFIG")
        c.check(seg == "STAGING staging-eu/default", "%s: unset KUBECONFIG goes back (%r)" % (kind, seg))
        _, seg, _ = sh.run("KUBECONFIG=%s" % other)
        c.check(seg == "STAGING staging-eu/default", "%s: a variable that is not exported does not count (%r)" % (kind, seg))
        _, seg, _ = sh.run("unset KUBECONFIG; export APP_ENV=production")
        c.check(seg == "PROD staging-eu/default APP_ENV=production", "%s: configured env variable (%r)" % (kind, seg))
        raw, _, _ = sh.run("false; echo \"rc=$?\"")
        c.check(b"rc=1" in raw, "%s: $? is the command's" % kind)
        raw, _, _ = sh.run("(exit 3)")
        raw, _, _ = sh.run("echo \"rc=$?\"")
        c.check(b"rc=3" in raw, "%s: $? survives the prompt hook" % kind)
        c.check(sh.value("SENTINEL_STATE") == "ok", "%s: state ok" % kind)
        # No secret leaves the shell: PGPASSWORD is never sent, passwords in
        # URLs and conninfo strings are replaced before the REPORT is written.
        sh.run("export PGPASSWORD=CANARY1 DATABASE_URL='postgres://u:CAN@RY2@db.example/app' "
               "APP_ENV='host=h password=CANARY3 dbname=x'")
        raw, _, _ = sh.run("_sentinel_report; printf '<R>%s</R>\\n' \"$_sentinel_req\"")
        text = raw.decode(errors="replace")
        report = text[text.rfind("<R>"):]
        c.check("CANARY" not in report and "CAN@RY" not in report, "%s: no secret in the REPORT (%r)" % (kind, report))
        c.check("DATABASE_URL=postgres://u:***@db.example/app" in report and "password=*** dbname=x" in report,
                "%s: passwords replaced by *** (%r)" % (kind, report))
    finally:
        box.close()


def hooks(kind, c):
    box = Sandbox()
    try:
        if kind == "bash":
            before = "PROMPT_COMMAND='mine=$((mine+1))'\nSENTINEL_WRAP='psql kubectl'"
            after = 'eval "$(%s init bash)"' % BIN  # sourced twice
        else:
            before = "mine=0; precmd() { mine=$((mine+1)); }\nSENTINEL_WRAP='psql kubectl'"
            after = 'eval "$(%s init zsh)"' % BIN
        sh = box.shell(kind, before=before, after=after)
        sh.run("true")
        n1 = sh.value("mine")
        sh.run("true")
        n2 = sh.value("mine")
        c.check(n1 and n2 and int(n2) > int(n1), "%s: the existing prompt hook still runs (%s, %s)" % (kind, n1, n2))
        if kind == "bash":
            pc = sh.value("PROMPT_COMMAND")
            c.check(pc is not None and pc.count("_sentinel_precmd") == 1, "bash: hook installed once when sourced twice (%r)" % pc)
        else:
            pf = sh.value("precmd_functions")
            c.check(pf is not None and pf.split().count("_sentinel_precmd") == 1, "zsh: hook installed once when sourced twice (%r)" % pf)
        raw, _, _ = sh.run("ps -o pid=,args= --ppid $$")
        relays = [l for l in raw.decode(errors="replace").splitlines() if "relay --shell" in l]
        c.check(len(relays) == 1, "%s: one relay per shell after two evals (%d)" % (kind, len(relays)))
        show = "type" if kind == "bash" else "functions"
        raw, _, _ = sh.run(show + " psql kubectl helm sentinel_confirm 2>&1 | head -20")
        text = raw.decode(errors="replace")
        c.check("_sentinel_guarded psql" in text and "_sentinel_guarded kubectl" in text,
                "%s: SENTINEL_WRAP defines psql and kubectl wrappers" % kind)
        c.check(sh.value("_sentinel_bin") == BIN, "%s: wrappers call the binary's absolute path" % kind)
        c.check("helm is a" not in text or "function" not in text.split("helm is")[1][:30],
                "%s: helm not wrapped when not listed" % kind)
        c.check("confirm --action" in text, "%s: sentinel_confirm defined" % kind)
    finally:
        box.close()


def auto_prompt(kind, c):
    box = Sandbox()
    try:
        rc = "PS1='@P@ '" if kind == "bash" else "PROMPT='@P@ '"
        if kind == "bash":
            sh = box.bash(after=rc, SENTINEL_AUTO_PROMPT="1")
        else:
            sh = box.zsh(after=rc, SENTINEL_AUTO_PROMPT="1")
        raw, _, _ = sh.run("true")
        clean = SGR.sub(b"", raw).decode(errors="replace")
        c.check(clean.endswith("STAGING staging-eu/default "), "%s: segment prepended to the prompt (%r)" % (kind, clean[-60:]))
    finally:
        box.close()
    # A theme that rebuilds the prompt at every prompt, as starship does.
    box = Sandbox()
    try:
        if kind == "bash":
            sh = box.bash(before="PROMPT_COMMAND='PS1=\"@P@ \"'", SENTINEL_AUTO_PROMPT="1")
        else:
            sh = box.zsh(after="precmd() { PROMPT='@P@ '; }", SENTINEL_AUTO_PROMPT="1")
        sh.run("true")
        raw, _, _ = sh.run("true")
        clean = SGR.sub(b"", raw).decode(errors="replace")
        c.check(clean.endswith("STAGING staging-eu/default "),
                "%s: segment kept in front of a prompt rebuilt by another hook (%r)" % (kind, clean[-60:]))
    finally:
        box.close()


def main():
    c = Checks()
    for kind in ("bash", "zsh"):
        basic(kind, c)
        hooks(kind, c)
        auto_prompt(kind, c)
    c.done()


if __name__ == "__main__":
    main()
