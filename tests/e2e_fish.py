#!/usr/bin/env python3
"""fish (`sentinel init fish | source`) on a pseudo-terminal, read back
through a private tmux server (40x160, TERM=xterm-256color): the tier is
shown; a `kubectl config use-context` from another shell marks the next
prompt; names are data (a context named `$(touch F)`, `(touch F)` or
`` `touch F` `` prints as text and nothing runs); the SENTINEL_* variables,
`$status`, the automatic prompt (also after another tool redefines
fish_prompt, as starship does), sentinel_confirm, the SENTINEL_WRAP
functions, the status line and `[sentinel: agent down]`; one relay per
shell that ends with it; `fish -n` on the file. Also the per-prompt asker
against a fake relay: what it sends (no secret) and what it prints.
Skips (77) without fish, tmux or kubectl."""

import os
import re
import shlex
import signal
import stat
import subprocess
import sys
import time

from fish_harness import PROTOCOL, FishSandbox
from testlib import BIN, SRC, check, require, summary, wait_for


def relays_of(box, pid=None):
    """Pids of the fish relays serving this sandbox (their environment names
    its runtime directory), or the relay of shell `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                argv = f.read().split(b"\0")
            with open("/proc/%s/environ" % entry, "rb") as f:
                environ = f.read()
        except OSError:
            continue
        if argv[1:3] != [b"relay", b"--shell=fish"] or len(argv) < 4 or any(a.startswith(b"--prompt") for a in argv):
            continue
        if pid is not None and argv[3] != b"--pid=%d" % pid:
            continue
        if ("XDG_RUNTIME_DIR=%s" % box.run_dir).encode() in environ.split(b"\0"):
            found.append(int(entry))
    return found


def next_segment(pane, before):
    """The first segment that differs from `before`, prompting until the
    agent has seen a file change (a prompt never waits for inotify)."""
    deadline = time.monotonic() + 6
    while True:
        time.sleep(0.05)
        _, seg = pane.run("true")
        if seg != before or time.monotonic() > deadline:
            return seg


def segment_until(pane, want, seconds=6):
    """Prompts until the segment is `want` (or `seconds` pass); the last one."""
    deadline = time.monotonic() + seconds
    while True:
        _, seg = pane.run("true")
        if seg == want or time.monotonic() > deadline:
            return seg
        time.sleep(0.05)


def basics():
    box = FishSandbox()
    try:
        a = box.fish()
        _, seg = a.run("true")
        check("fish: the first prompts show the tier", seg == "STAGING staging-eu/default", seg)
        check("fish: SENTINEL_TIER", a.value("SENTINEL_TIER") == "staging")
        check("fish: SENTINEL_LABEL", a.value("SENTINEL_LABEL") == "STAGING")
        check("fish: SENTINEL_KUBE_CONTEXT", a.value("SENTINEL_KUBE_CONTEXT") == "staging-eu")
        check("fish: SENTINEL_KUBE_NAMESPACE", a.value("SENTINEL_KUBE_NAMESPACE") == "default")
        check("fish: SENTINEL_STATE ok", a.value("SENTINEL_STATE") == "ok")
        rows = box.tmux.rows(a.target)
        check("fish: the status line holds the last row", rows[39].strip().startswith("STAGING  kube staging-eu/default"),
              repr(rows[39]))

        other = os.path.join(box.dir, "other.yaml")
        box.write_kubeconfig("prod-eu", ["prod-eu"], other)
        _, seg = a.run("set -gx KUBECONFIG %s" % other)
        check("fish: set -gx KUBECONFIG changes the next prompt, unmarked", seg == "PROD prod-eu/default", seg)
        _, seg = a.run("set -e KUBECONFIG")
        check("fish: set -e KUBECONFIG goes back", seg == "STAGING staging-eu/default", seg)
        _, seg = a.run("set -g KUBECONFIG %s" % other)
        check("fish: a variable that is not exported does not count", seg == "STAGING staging-eu/default", seg)
        _, seg = a.run("set -e KUBECONFIG; set -gx APP_ENV production")
        check("fish: a configured env variable", seg == "PROD staging-eu/default APP_ENV=production", seg)
        check("fish: SENTINEL_ENV", a.value("SENTINEL_ENV") == "APP_ENV=production")
        a.run("set -e APP_ENV")

        a.run("false")
        text, _ = a.run("echo rc=$status")
        check("fish: $status survives the prompt hook", "rc=1" in text.split("echo rc=$status")[-1], text[-300:])

        # Another shell switches the shared kubeconfig with the real kubectl.
        b = box.fish()
        text, _ = b.run("kubectl config use-context prod-eu")
        check("fish: kubectl config use-context ran in shell B", "Switched to context" in text)
        seg = next_segment(a, "STAGING staging-eu/default")
        check("fish: A's next prompt shows prod, changed elsewhere",
              seg == "PROD prod-eu/default (changed from STAGING staging-eu/default)", seg)
        check("fish: SENTINEL_CHANGED", a.value("SENTINEL_CHANGED") == "STAGING staging-eu/default")
        _, seg = a.run("true")
        check("fish: the mark lasts one prompt", seg == "PROD prod-eu/default", seg)

        # One relay per shell; it ends with its shell and takes its FIFOs along.
        mine = relays_of(box)
        check("fish: one relay per shell", len(mine) == 2, mine)
        b.type("exit")
        gone = wait_for(lambda: sum(os.path.exists("/proc/%d" % p) for p in mine) == 1, 5)
        check("fish: the relay ends with its shell", gone)
        fifos = [f for f in os.listdir(os.path.join(box.run_dir, "sentinel")) if f.startswith("fish.")]
        check("fish: the ended shell's FIFOs are removed", len(fifos) == 3, fifos)

    finally:
        box.close()


def faults():
    """SENTINEL_AUTOSTART=0: the test runs the agent. Stopped: stale within
    the timeout; killed: agent down; started again: picked up."""
    box = FishSandbox()
    try:
        env = box.fish_env(box.config(), SENTINEL_AUTOSTART="0")
        subprocess.run([BIN, "agent"], env=env, check=True)
        a = box.fish(SENTINEL_AUTOSTART="0")
        _, seg = a.run("set -g SENTINEL_TIMEOUT_MS 10")
        check("fish faults: the agent answers", seg == "STAGING staging-eu/default", seg)
        agent = box.agent_pid()
        os.kill(agent, signal.SIGSTOP)
        try:
            _, seg = a.run("true")
            # A stale answer never shows a tier below unknown (issue 8): the
            # unknown label with the last names.
            check("fish faults: a stopped agent: [sentinel: stale], unknown label, the last names",
                  seg == "[sentinel: stale] UNKNOWN staging-eu/default", seg)
            check("fish faults: a stopped agent: SENTINEL_TIER unknown", a.value("SENTINEL_TIER") == "unknown",
                  a.value("SENTINEL_TIER"))
        finally:
            os.kill(agent, signal.SIGCONT)
        os.kill(agent, signal.SIGKILL)
        wait_for(lambda: not os.path.exists("/proc/%d" % agent), 5)
        _, seg = a.run("true")
        check("fish faults: a killed agent: [sentinel: agent down]", seg is not None and seg.startswith("[sentinel: agent down]"), seg)
        subprocess.run([BIN, "agent"], env=env, check=True)
        # A loaded machine may answer a 10 ms prompt "stale" first.
        seg = segment_until(a, "STAGING staging-eu/default")
        check("fish faults: a new agent is picked up at a later prompt", seg == "STAGING staging-eu/default", seg)
        # sentinel upgraded under the shell to another protocol: the prompt
        # says to restart the shell, and asks nothing more.
        _, seg = a.run("set -g _sentinel_protocol %d" % (PROTOCOL + 1))
        check("fish faults: another protocol: [sentinel: restart your shell]", seg == "[sentinel: restart your shell]", seg)
        check("fish faults: SENTINEL_STATE restart", a.value("SENTINEL_STATE") == "restart")
    finally:
        box.close()


def injection():
    box = FishSandbox()
    try:
        canary = os.path.join(box.dir, "pwn")
        names = ["$(touch %s)" % canary, "(touch %s)" % canary, "`touch %s`" % canary, "{a,b}*;echo x'\"",
                 "%F{red}x", "\\w$HOME"]
        a = box.fish()
        for name in names:
            box.write_kubeconfig(name, names)
            a.run("true")
            _, seg = a.run("true")
            shown = name.replace("\\", "\\\\")  # sanitize() doubles a backslash
            check("fish: %r shows as text" % name, seg == "UNKNOWN %s/default" % shown, seg)
        # Colours as tmux saw them, in the segments of UNKNOWN prompts: the
        # tier's magenta, bold and resets only.
        segments = [line.split("<<", 1)[1].split(">>@P@")[0] for line in a.screen(escapes=True).split("\n")
                    if "@P@" in line and "UNKNOWN" in line]
        sgr = set(re.findall(r"\x1b\[[0-9;]*m", "".join(segments)))
        check("fish: names change no colour (only the tier's and resets)",
              segments and sgr <= {"\x1b[1m", "\x1b[35m", "\x1b[0m", "\x1b[39m", "\x1b[49m"}, sgr)
        check("fish: nothing ran (canary absent)", not os.path.exists(canary))
    finally:
        box.close()


def prompt_and_functions():
    box = FishSandbox()
    try:
        stub_dir = os.path.join(box.dir, "bin")
        os.makedirs(stub_dir)
        ran = os.path.join(box.dir, "kubectl-ran")
        with open(os.path.join(stub_dir, "kubectl"), "w") as f:
            f.write("#!/bin/sh\necho \"$@\" >> %s\n" % ran)
        os.chmod(os.path.join(stub_dir, "kubectl"), 0o755)
        path = stub_dir + ":/usr/local/bin:/usr/bin:/bin"
        a = box.fish(before="set -g SENTINEL_WRAP 'kubectl helm'", PATH=path)
        text, _ = a.run("functions kubectl sentinel_confirm")
        check("fish: SENTINEL_WRAP defines kubectl through sentinel guard", "guard --tool $tool -- $tool $argv" in text)
        check("fish: sentinel_confirm runs sentinel confirm", "confirm --action \"$argv\"" in text)
        text, _ = a.run("functions -q psql; and echo psql-wrapped; or echo psql-plain")
        check("fish: psql not wrapped when not listed", "psql-plain" in text.split("functions -q psql")[-1])
        init = a.value("SENTINEL_INIT")
        check("fish: SENTINEL_INIT names fish, the version, the pid and the wrapped tools",
              init is not None and re.fullmatch(r"fish \d+\.\d+\.\d+ \d+ kubectl helm", init) is not None, init)
        a.run("kubectl --context staging-eu get pods")
        check("fish: a wrapped read runs the real tool", os.path.exists(ran) and "get pods" in open(ran).read())
        # A write on production: the guard asks on the terminal; a wrong
        # answer refuses and the tool never runs.
        before = len(a.prompts())
        a.type("kubectl --context prod-eu delete pod x")
        asked = wait_for(lambda: "prod-eu" in a.screen() and "type" in a.screen().lower().split("delete pod x")[-1], 8)
        a.type("nope")
        a.wait_prompts(before + 1)
        check("fish: a wrapped write on production is asked", asked, a.screen()[-600:])
        check("fish: refused, the tool did not run", "delete" not in open(ran).read())
        text, _ = a.run("echo rc=$status")
        check("fish: the refusal's status is 77", "rc=77" in text)
    finally:
        box.close()

    box = FishSandbox()
    try:
        # Sourced twice (config.fish and a conf.d file, say): installed once.
        a = box.fish(after="function fish_prompt; printf '@P@ '; end\n%s init fish | source" % shlex.quote(BIN),
                     SENTINEL_AUTO_PROMPT="1")
        text, _ = a.run("true")
        last = [l for l in text.split("\n") if "@P@" in l][-1]
        check("fish: SENTINEL_AUTO_PROMPT puts the segment before fish_prompt, once when sourced twice",
              last.startswith("STAGING staging-eu/default @P@"), last)
        check("fish: one relay when sourced twice", len(relays_of(box)) == 1, relays_of(box))
        a.run("function fish_prompt; printf 'X @P@ '; end")
        text, _ = a.run("true")
        last = [l for l in text.split("\n") if "@P@" in l][-1]
        check("fish: and again after fish_prompt is defined anew (as starship does)",
              last.startswith("STAGING staging-eu/default X @P@"), last)
    finally:
        box.close()


def asker_against_a_fake_relay():
    """`sentinel relay --shell=fish --prompt` with the test as the relay."""
    box = FishSandbox()
    try:
        rundir = os.path.join(box.run_dir, "sentinel")
        os.makedirs(rundir, mode=0o700)
        pid = os.getpid()
        paths = {k: os.path.join(rundir, "fish.%d.%s" % (pid, k)) for k in ("in", "out")}
        for p in paths.values():
            os.mkfifo(p, 0o600)
        fin = os.open(paths["in"], os.O_RDWR | os.O_NONBLOCK)
        fout = os.open(paths["out"], os.O_RDWR | os.O_NONBLOCK)
        os.write(fout, "3\x1fnew\x1fold\n".encode())  # a late answer to an earlier prompt
        env = box.env(PGPASSWORD="CANARY1", DATABASE_URL="postgres://u:CAN@RY2@db.example/app",
                      APP_ENV="host=h password=CANARY3 dbname=x", KUBECONFIG=box.kubeconfig)
        proc = subprocess.Popen([BIN, "relay", "--shell=fish", "--protocol=%d" % PROTOCOL, "--pid=%d" % pid, "--prompt=4", "--gen=g1", "--timeout=500"],
                                env=env, stdout=subprocess.PIPE, text=True, cwd=box.dir)
        got = b""
        end = time.monotonic() + 5
        while b"PROMPT" not in got and time.monotonic() < end:
            try:
                got += os.read(fin, 65536)
            except BlockingIOError:
                time.sleep(0.01)
        os.write(fout, "4\x1fnew\x1fg2\x1fproduction\x1fPROD\x1fseg\n".encode())
        out, _ = proc.communicate(timeout=5)
        text = got.decode(errors="replace")
        check("asker: sends REPORT with the shell's cwd, then PROMPT seq gen timeout",
              text.startswith("REPORT\t%s\t" % box.dir) and "\nPROMPT\t4\tg1\t500\n" in text, text)
        check("asker: no secret leaves (PGPASSWORD, URL and conninfo passwords)", "CAN" not in text.replace("CANONICAL", ""), text)
        check("asker: passwords replaced by *** as the bash integration does",
              "DATABASE_URL=postgres://u:***@db.example/app" in text and "APP_ENV=host=h password=*** dbname=x" in text, text)
        check("asker: prints the answer to its own prompt, not a late one", out == "4\x1fnew\x1fg2\x1fproduction\x1fPROD\x1fseg\n", out)
        # Nobody answers: "stale" within the timeout.
        t = time.monotonic()
        out = subprocess.run([BIN, "relay", "--shell=fish", "--protocol=%d" % PROTOCOL, "--pid=%d" % pid, "--prompt=5", "--gen=", "--timeout=100"],
                             env=env, capture_output=True, text=True, cwd=box.dir).stdout
        ms = (time.monotonic() - t) * 1000
        check("asker: no answer: stale, within the timeout", out == "5\x1fstale\n" and ms < 1000, (out, ms))
        os.close(fin)
        os.close(fout)
        # The relay is gone (FIFOs without a reader): the asker says down and
        # starts a relay for the next prompt instead of hanging. The shell pid
        # is this test's, so the relay it starts stays until the test ends.
        for p in paths.values():
            os.unlink(p)
        out = subprocess.run([BIN, "relay", "--shell=fish", "--protocol=%d" % PROTOCOL, "--pid=%d" % pid, "--prompt=6", "--gen=", "--timeout=1"],
                             env=env, capture_output=True, text=True, cwd=box.dir, timeout=10).stdout
        check("asker: no relay: an answer anyway", out.startswith("6\x1f"), out)
        started = wait_for(lambda: stat.S_ISFIFO(os.stat(paths["in"]).st_mode) if os.path.exists(paths["in"]) else False, 5)
        check("asker: a relay was started for the shell", started)
        # A shell file of another protocol version: the asker says which it
        # speaks, and nothing else.
        out = subprocess.run([BIN, "relay", "--shell=fish", "--protocol=%d" % (PROTOCOL + 1), "--pid=%d" % pid,
                              "--prompt=7", "--gen=", "--timeout=10"], env=env, capture_output=True, text=True).stdout
        check("asker: another protocol version: HELLO with its own", out == "HELLO\x1f%d\n" % PROTOCOL, out)
        for relay in relays_of(box, pid):
            os.kill(relay, signal.SIGTERM)
    finally:
        box.close()


def main():
    require("fish", "tmux", "kubectl")
    r = subprocess.run(["fish", "-n", os.path.join(SRC, "shell", "sentinel.fish")], capture_output=True, text=True)
    check("fish -n shell/sentinel.fish", r.returncode == 0, r.stderr)
    basics()
    faults()
    injection()
    prompt_and_functions()
    asker_against_a_fake_relay()
    sys.exit(summary())


if __name__ == "__main__":
    main()
