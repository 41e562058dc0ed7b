"""The one library of the script tests (tests/e2e_*.py, tests/diff_*.py):
where the binary and the source tree are, one way to report (`ok NAME` /
`FAIL NAME: detail`, a summary, the exit status), skipping when a tool is
missing, temporary homes, pseudo-terminals (a command played with a script,
an interactive bash or zsh), a private tmux server, and kubeconfig text.
Standard library only. Not a test itself; pg_cluster.py holds the
PostgreSQL servers.

Reporting: check(NAME, CONDITION, DETAIL) for one assertion, or
run_check(NAME, FN) for a function that calls expect(CONDITION, WHAT); end
with `sys.exit(summary())`. summary() fails a run that checked nothing.

Skipping: skip(WHY) exits 77, which ctest reports as skipped (every script
is registered with SKIP_RETURN_CODE 77); skipped(NAME, WHY) skips one check
and goes on. With SENTINEL_NO_SKIP=1 (the README's test command, hence CI)
both are failures instead: a machine missing a tool must not pass."""

import fcntl
import os
import pty
import re
import select
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("SENTINEL_SOURCE") or os.path.dirname(HERE)
BIN = os.environ.get("SENTINEL_BIN") or os.path.join(SRC, "build", "sentinel")
SOURCE = SRC  # the name some tests use

SKIP_CODE = 77
SIZE = (40, 160)  # rows, columns of every pseudo-terminal unless a test needs another

_counts = {"passed": 0, "failed": 0, "skipped": 0}


# ---------------------------------------------------------------- reporting

class Failed(AssertionError):
    """Raised by expect(); run_check() reports it."""


class Skip(Exception):
    """Raised inside a run_check() function whose tool or privilege is missing:
    the check is skipped (skipped())."""


def check(name, condition, detail=""):
    """Prints `ok NAME` or `FAIL NAME: detail` and counts it. Returns the condition."""
    if condition:
        _counts["passed"] += 1
        print(f"ok {name}", flush=True)
    else:
        _counts["failed"] += 1
        print(f"FAIL {name}: {detail}", flush=True)
    return bool(condition)


def expect(condition, what):
    """Inside a run_check() function: fails the check with `what` unless `condition`."""
    if not condition:
        raise Failed(what)


def run_check(name, fn):
    """Runs fn(); `ok NAME` when it returns, `FAIL NAME: why` when it raises."""
    try:
        fn()
    except Skip as e:
        return skipped(name, e)
    except Exception as e:  # report and go on: one run reports every failure
        return check(name, False, e)
    return check(name, True)


def strict():
    """True when a skip must fail (SENTINEL_NO_SKIP=1)."""
    return os.environ.get("SENTINEL_NO_SKIP") == "1"


def skip(why):
    """Skips the whole test: exits 77 (ctest: skipped), or 1 under SENTINEL_NO_SKIP=1."""
    if strict():
        print(f"FAIL skipped, and SENTINEL_NO_SKIP=1: {why}", flush=True)
        sys.exit(1)
    print(f"skip: {why}", flush=True)
    sys.exit(SKIP_CODE)


def skipped(name, why):
    """Skips one check and goes on; a failure under SENTINEL_NO_SKIP=1."""
    if strict():
        return check(name, False, f"skipped, and SENTINEL_NO_SKIP=1: {why}")
    _counts["skipped"] += 1
    print(f"skip {name}: {why}", flush=True)
    return False


def require(*tools):
    """Skips the test unless every tool is on PATH."""
    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        skip("needs " + ", ".join(missing))


def summary():
    """Prints the counts; the exit status: 1 when a check failed or none passed."""
    print(f"{_counts['passed']} passed, {_counts['failed']} failed"
          + (f", {_counts['skipped']} skipped" if _counts["skipped"] else ""), flush=True)
    if _counts["passed"] == 0 and _counts["failed"] == 0:
        print("FAIL nothing was checked", flush=True)
        return 1
    return 1 if _counts["failed"] else 0


def wait_for(fn, timeout=6.0):
    """fn()'s first true value within `timeout` seconds, else its last value."""
    end = time.time() + timeout
    while time.time() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.01)
    return fn()


# ---------------------------------------------------------------- homes

class TempHome:
    """A throwaway HOME with its own XDG directories and runtime directory
    (0700), removed by close() (or at the end of a `with`). Nothing of the
    real HOME, XDG_RUNTIME_DIR or /etc/sentinel is seen."""

    def __init__(self, prefix="sentinel-test-"):
        self.dir = tempfile.mkdtemp(prefix=prefix)
        self.home = os.path.join(self.dir, "home")
        self.run_dir = os.path.join(self.dir, "run")
        self.state = os.path.join(self.dir, "state")
        os.makedirs(self.home)
        os.makedirs(self.run_dir, mode=0o700)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def write(self, rel, text, mode=None):
        """Writes `text` at `rel` under the home's directory; returns the path."""
        path = rel if os.path.isabs(rel) else self.path(rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        if mode is not None:
            os.chmod(path, mode)
        return path

    def env(self, **extra):
        """An environment holding only this home (and PATH, LANG)."""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.home,
            "LANG": "C.UTF-8",
            "XDG_RUNTIME_DIR": self.run_dir,
            "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
            "XDG_CACHE_HOME": os.path.join(self.home, ".cache"),
            "XDG_STATE_HOME": self.state,
            "SENTINEL_SYSTEM_CONFIG": self.path("no-system-config.toml"),
        }
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def config(self, text):
        """Writes the user's config.toml."""
        return self.write(os.path.join(self.home, ".config", "sentinel", "config.toml"), text)

    def agent_pid(self):
        """The pid of the agent of this home (its lock file), or None."""
        try:
            with open(os.path.join(self.run_dir, "sentinel", "agent.lock")) as f:
                text = f.read().strip()
            return int(text) if text else None
        except (OSError, ValueError):
            return None

    def stop_agent(self):
        pid = self.agent_pid()
        if pid:
            try:
                os.kill(pid, signal.SIGCONT)
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass

    def close(self):
        self.stop_agent()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# ---------------------------------------------------------------- kubeconfigs

def yaml_quote(s):
    """`s` as a double-quoted YAML scalar; control characters as \\uXXXX."""
    out = '"'
    for ch in s:
        if ch in '"\\':
            out += "\\" + ch
        elif ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f:
            out += "\\u%04x" % ord(ch)
        else:
            out += ch
    return out + '"'


def kubeconfig(current, contexts, extra_users="", namespaces=None, server="https://10.0.0.1:6443", user="{}"):
    """A small kubeconfig: every context on cluster c1 and user u1, with
    `namespaces[name]` as its namespace when given."""
    namespaces = namespaces or {}
    out = ["apiVersion: v1", "kind: Config", "current-context: %s" % yaml_quote(current), "contexts:"]
    for name in contexts:
        ns = ", namespace: %s" % yaml_quote(namespaces[name]) if name in namespaces else ""
        out += ["- name: %s" % yaml_quote(name), "  context: {cluster: c1, user: u1%s}" % ns]
    out += ["clusters:", "- name: c1", "  cluster: {server: %s}" % yaml_quote(server),
            "users:", "- name: u1", "  user: %s" % user, extra_users]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- pseudo-terminals

class PtyTimeout(AssertionError):
    pass


class Pty:
    """`argv` running on a new pseudo-terminal of `size` (rows, columns),
    which is its controlling terminal."""

    def __init__(self, argv, env, size=SIZE):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child: session leader with the pty as controlling terminal
            try:
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        if size:
            fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
        self.buf = bytearray()  # everything read so far
        self.status = None

    def read_some(self, timeout):
        """Reads what arrives within `timeout` seconds; False once the terminal closed."""
        r, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not r:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            data = b""
        if not data:
            return False
        self.buf.extend(data)
        return True

    def read_for(self, seconds):
        """Reads for `seconds`; returns everything read so far."""
        end = time.time() + seconds
        while time.time() < end and self.read_some(min(0.05, end - time.time())):
            pass
        return bytes(self.buf)

    def expect(self, needle, start=0, timeout=30):
        """Reads until `needle` (bytes or str) appears at or after `start`;
        returns the end of the match."""
        needle = needle.encode() if isinstance(needle, str) else needle
        end = time.time() + timeout
        while self.buf.find(needle, start) < 0:
            left = end - time.time()
            if left <= 0:
                raise PtyTimeout("timed out waiting for %r; terminal so far:\n%s" % (needle, self.text()))
            if not self.read_some(left):
                raise PtyTimeout("terminal closed waiting for %r; terminal so far:\n%s" % (needle, self.text()))
        return self.buf.find(needle, start) + len(needle)

    def send(self, data):
        os.write(self.fd, data.encode() if isinstance(data, str) else data)

    def text(self):
        return self.buf.decode("utf-8", "replace")

    def wait(self, timeout=30):
        """Reads until the process exits (killed after `timeout`); its exit code."""
        end = time.time() + timeout
        while self.status is None and time.time() < end:
            if not self.read_some(0.2):
                break
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.status = status
        if self.status is None:
            done, status = os.waitpid(self.pid, 0 if time.time() < end else os.WNOHANG)
            if not done:
                self.kill()
                raise PtyTimeout("process did not exit; terminal:\n%s" % self.text())
            self.status = status
        return os.waitstatus_to_exitcode(self.status)

    def kill(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (OSError, ChildProcessError):
            pass

    def close(self):
        try:
            os.close(self.fd)
        except OSError:
            pass


def run_pty(argv, env, script=(), timeout=30, size=SIZE):
    """Runs argv on a pseudo-terminal and plays `script`: ("expect", text),
    ("send", bytes), ("edit", callable: act while a question is open),
    ("sleep", seconds). Each expect matches only output after the previous
    match. Returns (exit code, everything the terminal showed)."""
    p = Pty(argv, env, size)
    deadline = time.time() + timeout
    try:
        pos = 0
        for step, arg in script:
            if step == "expect":
                pos = p.expect(arg, pos, deadline - time.time())
            elif step == "send":
                time.sleep(0.05)
                p.send(arg)
            elif step == "edit":
                arg()
            elif step == "sleep":
                time.sleep(arg)
        code = p.wait(max(deadline - time.time(), 0.1))
    except BaseException:
        p.kill()
        raise
    finally:
        p.close()
    return code, p.text()


def run_no_tty(argv, env, input_bytes=None, timeout=30):
    """Runs argv in a new session without a controlling terminal (setsid),
    stdin from /dev/null unless `input_bytes`. Returns (code, stdout, stderr)."""
    p = subprocess.run(argv, env=env, input=input_bytes,
                       stdin=None if input_bytes is not None else subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       start_new_session=True, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


# ---------------------------------------------------------------- interactive shells

MARK = b"@P@ "  # ends every prompt of a Sandbox shell
SGR = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>78]|[\x01\x02\r]")


def segment_of(raw):
    """Visible text between << and >> of the last prompt in `raw`."""
    clean = SGR.sub(b"", raw)
    at = clean.rfind(b"<<")
    if at < 0:
        return None
    seg = clean[at + 2:]
    end = seg.rfind(b">>")
    return seg[:end].decode(errors="replace") if end >= 0 else None


class Shell(Pty):
    """One interactive shell on a pseudo-terminal whose prompt ends in MARK."""

    def __init__(self, argv, env, size=SIZE):
        super().__init__(argv, env, size)
        self.pending = b""

    def read_until(self, marker=MARK, timeout=10.0):
        """What the shell wrote up to the next `marker`."""
        end = time.monotonic() + timeout
        while marker not in self.pending:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("no %r in %r" % (marker, bytes(self.buf[-600:])))
            before = len(self.buf)
            if not self.read_some(left):
                raise EOFError("shell exited: %r" % bytes(self.buf[-600:]))
            self.pending += bytes(self.buf[before:])
        head, _, self.pending = self.pending.partition(marker)
        return head

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
        """Reads what the shell wrote so far and forgets it."""
        while True:
            before = len(self.buf)
            if not self.read_some(0) or len(self.buf) == before:
                break
        self.pending = b""

    def value(self, name):
        """The value of a shell variable, printed between markers."""
        raw, _, _ = self.run("printf '<V>%%s</V>\\n' \"$%s\"" % name)
        m = re.findall(r"<V>(.*?)</V>", raw.decode(errors="replace"))
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
                self.kill()
        except (OSError, ChildProcessError):
            pass
        super().close()


class Sandbox(TempHome):
    """A TempHome with one kubeconfig and interactive shells using the
    integration (`eval "$(sentinel init SHELL)"`); close() ends the shells
    and the home's agent."""

    def __init__(self, contexts=("staging-eu", "prod-eu", "dev"), current="staging-eu"):
        super().__init__("sentinel-e2e-")
        os.makedirs(os.path.join(self.home, ".kube"))
        self.kubeconfig = os.path.join(self.home, ".kube", "config")
        self.write_kubeconfig(current, contexts)
        self.shells = []

    def write_kubeconfig(self, current, contexts, path=None):
        self.write(path or self.kubeconfig, kubeconfig(current, contexts))

    def env(self, **extra):
        env = super().env(PATH="/usr/local/bin:/usr/bin:/bin", TERM="xterm", SENTINEL_AUTO_PROMPT="0",
                          # Content checks must not see a "stale" caused by a
                          # loaded machine; the fault tests set 10 ms back.
                          SENTINEL_TIMEOUT_MS="100")
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def bash(self, before="", after="", init=True, **env):
        rc = self.write("bashrc.%d" % len(self.shells),
                        before + "\n" + ('eval "$(%s init bash)"\n' % BIN if init else "") +
                        "PS1='<<${SENTINEL_SEGMENT}>>%s'\n" % MARK.decode() + after + "\n")
        sh = Shell(["/bin/bash", "--noprofile", "--rcfile", rc, "-i"], self.env(**env))
        sh.read_until()
        self.shells.append(sh)
        return sh

    def zsh(self, before="", after="", init=True, **env):
        zdot = self.path("zdot.%d" % len(self.shells))
        self.write(os.path.join(zdot, ".zshrc"),
                   "unsetopt prompt_sp\n" + before + "\n" + ('eval "$(%s init zsh)"\n' % BIN if init else "") +
                   "setopt prompt_subst\nPROMPT='<<${SENTINEL_SEGMENT}>>%s'\n" % MARK.decode() + after + "\n")
        sh = Shell(["/usr/bin/zsh", "-i"], self.env(ZDOTDIR=zdot, **env))
        sh.read_until()
        self.shells.append(sh)
        return sh

    def shell(self, kind, **kw):
        return self.bash(**kw) if kind == "bash" else self.zsh(**kw)

    def close(self):
        for sh in self.shells:
            sh.close()
        super().close()


# ---------------------------------------------------------------- tmux

class Tmux:
    """A private tmux server (`tmux -L NAME -f /dev/null`, NAME unique to
    this process unless given): `tmux(*args)` runs one command on it."""

    def __init__(self, socket=None):
        self.socket = socket or f"sentinel-test-{os.getpid()}-{int(time.time() * 1000) % 100000}"

    def __call__(self, *args, check_rc=True):
        r = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True)
        if check_rc and r.returncode != 0:
            raise RuntimeError(f"tmux {args}: {r.stderr}")
        return r.stdout

    def rows(self, pane):
        """The pane's visible rows (capture-pane)."""
        return self("capture-pane", "-p", "-t", pane).split("\n")[:-1]

    def last(self, pane):
        """The pane's last visible row."""
        r = self.rows(pane)
        return r[-1] if r else ""

    def option(self, pane, name):
        """A pane option's value (show-options -p), "" when unset."""
        return self("show-options", "-p", "-q", "-v", "-t", pane, name).rstrip("\n")

    def kill(self):
        self("kill-server", check_rc=False)


KUBECONFIG_DEV_PROD = (
    "apiVersion: v1\nkind: Config\nclusters:\n- name: c1\n  cluster: {server: 'https://10.1.2.3:6443'}\n"
    "contexts:\n- name: kind-dev\n  context: {cluster: c1, namespace: default}\n"
    "- name: prod-eu\n  context: {cluster: c1, namespace: payments}\ncurrent-context: kind-dev\n")


class Screen(Tmux):
    """What a person sees: a private tmux server whose windows are 40 rows
    by 160 columns (SIZE) with TERM=xterm-256color, running interactive bash
    or zsh shells with the shell integration in a TempHome (a kubeconfig
    with kind-dev, current, and prod-eu; one agent per Screen). Read back
    with capture-pane (rows, last) and the cursor tmux reports. Needs tmux
    (require("tmux") first)."""

    ROWS, COLS = SIZE

    def __init__(self, name):
        super().__init__(f"sentinel-{name}-{os.getpid()}-{int(time.time() * 1000) % 100000}")
        self.home = TempHome(prefix=f"sentinel-{name}-")
        self.work = self.home.dir
        self.run_dir = self.home.run_dir
        self.kubeconfig = self.home.write("kubeconfig", KUBECONFIG_DEV_PROD)
        self.env = self.home.env(KUBECONFIG=self.kubeconfig)
        self.config = os.path.join(self.env["XDG_CONFIG_HOME"], "sentinel", "config.toml")
        os.makedirs(os.path.dirname(self.config))
        self._started = False
        self._shells = 0

    def shell(self, kind, before="", after="", env=None):
        """A new window running `kind` ("bash" or "zsh") with the integration:
        `before` and `after` are rc lines around the eval line. Returns the pane id."""
        self._shells += 1
        rc_dir = self.home.path(f"rc-{kind}-{self._shells}")
        os.makedirs(rc_dir)
        rc = os.path.join(rc_dir, ".zshrc" if kind == "zsh" else "bashrc")
        with open(rc, "w") as f:
            f.write(f'{before}\neval "$({BIN} init {kind})"\n{after}\n')
        argv = "zsh -i" if kind == "zsh" else f"bash --noprofile --rcfile {rc} -i"
        full = dict(self.env, **(env or {}))
        if kind == "zsh":
            full["ZDOTDIR"] = rc_dir
        # Through env(1): tmux gives a new pane the PATH of its client, not -e's.
        argv = "exec env " + " ".join(shlex.quote(f"{k}={v}") for k, v in full.items()) + " " + argv
        if not self._started:
            self._started = True
            # One command: a server without sessions would exit between two.
            self("start-server", ";", "set-option", "-g", "exit-empty", "off", ";",
                 "set-option", "-g", "default-terminal", "xterm-256color", ";", "set-option", "-g", "status", "off")
            return self("new-session", "-d", "-s", "t", "-x", str(self.COLS), "-y", str(self.ROWS),
                        "-P", "-F", "#{pane_id}", argv).strip()
        return self("new-window", "-d", "-t", "t:", "-P", "-F", "#{pane_id}", argv).strip()

    def cursor(self, pane):
        """(column, row) of the pane's cursor, as tmux reports it."""
        x, y = self("display-message", "-p", "-t", pane, "#{cursor_x} #{cursor_y}").split()
        return int(x), int(y)

    def resize(self, pane, rows):
        """Resizes the pane's window to `rows` rows and waits until its
        pseudo-terminal has that size (tmux applies it a moment later)."""
        self("resize-window", "-t", pane, "-y", str(rows))
        tty = self("display-message", "-p", "-t", pane, "#{pane_tty}").strip()

        def size():
            with open(tty, "rb", buffering=0) as f:
                return struct.unpack("HHHH", fcntl.ioctl(f, termios.TIOCGWINSZ, b"\0" * 8))[0]
        return wait_for(lambda: size() == rows)

    def type(self, pane, text, enter=True):
        """Types `text` (literally) into the pane, then Enter."""
        self("send-keys", "-t", pane, "-l", text)
        if enter:
            self("send-keys", "-t", pane, "Enter")

    def agent_pid(self):
        """The pid of this Screen's agent, or None."""
        return self.home.agent_pid()

    def close(self):
        """Ends the tmux server and the agent, removes the temporary HOME."""
        self.kill()
        self.home.close()
