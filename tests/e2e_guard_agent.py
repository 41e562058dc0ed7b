#!/usr/bin/env python3
"""`sentinel guard` with an agent running: the agent answers EVAL (core/agent/protocol.hpp)
so that a command that runs without a question does not make the guard load
libpq or parse a kubeconfig; everything else is still asked by the guard.

Checked: the EVAL answers themselves (policy none, a kubectl read, a
mutation on production, a relative KUBECONFIG taken from the caller's
directory, a request without arguments); the guard consults the agent (its
log) and runs a development command silently; a production mutation is still
asked on the terminal and refused without an answer; a stopped agent
(SIGSTOP) only delays the guard; arguments and variables that may hold a
password are never sent.
"""

import os
import signal
import subprocess
import sys
import time

from e2e_agent_security import Client
from e2e_guard_tty import ASK, World
from testlib import BIN, expect, run_check, run_no_tty, run_pty, summary, wait_for


class Agent:
    def __init__(self, w):
        self.run_dir = w.run_dir
        self.sock = os.path.join(self.run_dir, "sentinel", "agent.sock")
        self.log = os.path.join(w.dir, "agent.log")
        self.proc = subprocess.Popen([BIN, "agent", "--foreground", "--log-file", self.log],
                                     env=w.env(XDG_RUNTIME_DIR=self.run_dir), stderr=subprocess.DEVNULL)
        end = time.monotonic() + 5
        while not os.path.exists(self.sock) and time.monotonic() < end:
            time.sleep(0.01)

    def asked(self):
        """The agent's "guard asked" log lines so far."""
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return [line.strip() for line in f if "guard asked" in line]

    def wait_asked(self, count):
        end = time.monotonic() + 5
        while len(self.asked()) < count and time.monotonic() < end:
            time.sleep(0.02)
        return self.asked()

    def eval(self, cwd, argv, variables):
        c = Client(self.sock)
        c.send("EVAL", cwd, str(len(argv)), *argv, *variables)
        reply = c.frame(5)
        c.close()
        return reply

    def close(self):
        self.proc.send_signal(signal.SIGCONT)
        self.proc.terminate()
        self.proc.wait(5)


def main():
    w = World()
    agent = Agent(w)
    env = lambda **extra: w.env(XDG_RUNTIME_DIR=agent.run_dir, **extra)
    home = ["HOME=" + w.home, "XDG_CONFIG_HOME=" + w.env()["XDG_CONFIG_HOME"],
            "SENTINEL_SYSTEM_CONFIG=" + w.env()["SENTINEL_SYSTEM_CONFIG"]]

    def eval_answers():
        w.reset()
        got = agent.eval("/", ["kubectl", "delete", "pod", "x"], home)
        expect(got == ["VERDICT", "ask", "production"], "prod delete: %r" % got)
        got = agent.eval("/", ["kubectl", "get", "pods"], home)
        expect(got == ["VERDICT", "run", "production"], "prod get: %r" % got)
        got = agent.eval("/", ["kubectl", "--context", "dev", "delete", "pod", "x"], home)
        expect(got == ["VERDICT", "run", "development"], "dev delete: %r" % got)
        got = agent.eval("/", ["psql", "-c", "select 1"], home + ["PGHOST=prod-db.internal"])
        expect(got == ["VERDICT", "ask", "production"], "psql on a production host: %r" % got)
        got = agent.eval("/", ["psql", "-c", "select 1"], home)
        # A server on this machine is asked who it is before anything may
        # write there (probe = "guarded"): the guard does that, not the agent.
        expect(got == ["VERDICT", "ask", "local"], "psql on the local socket: %r" % got)
        got = agent.eval("/", [], home)
        expect(got[:2] == ["VERDICT", "ask"], "no command: %r" % got)
        got = agent.eval("relative/dir", ["kubectl", "get", "pods"], home)
        expect(got[:2] == ["VERDICT", "ask"], "relative cwd: %r" % got)
    run_check("EVAL: production mutations ask, reads and development run", eval_answers)

    def eval_malformed():
        for fields in (["EVAL"], ["EVAL", "/"], ["EVAL", "/", "x", "kubectl"], ["EVAL", "/", "-1", "kubectl"],
                       ["EVAL", "/", "99", "kubectl", "get"], ["EVAL", "/etc/hostname", "1", "kubectl"],
                       ["EVAL", "/no/such/dir", "2", "kubectl", "get"]):
            c = Client(agent.sock)
            c.send(*fields)
            got = c.frame(5)
            c.close()
            expect(got is not None and got[:2] == ["VERDICT", "ask"], "%r answered %r" % (fields, got))
        c = Client(agent.sock)
        c.send("GUARD", "1", "1", "kubectl")
        got = c.frame(5)
        expect(got is not None and got[0] == "ERROR", "GUARD without REGISTER: %r" % got)
        c.close()
        got = agent.eval("/", ["kubectl", "get", "pods"], home)
        expect(got[:2] == ["VERDICT", "run"], "the agent still answers: %r" % got)
    run_check("EVAL: malformed requests are answered ask; GUARD needs a session", eval_malformed)

    def eval_relative_kubeconfig():
        w.reset()
        w.set_context("dev")
        rel = ["KUBECONFIG=.kube/config"] + home
        got = agent.eval(w.home, ["kubectl", "delete", "pod", "x"], rel)
        expect(got == ["VERDICT", "run", "development"], "from the caller's cwd: %r" % got)
        got = agent.eval("/", ["kubectl", "delete", "pod", "x"], rel)
        expect(got[:2] == ["VERDICT", "ask"], "from / the relative kubeconfig is missing: %r" % got)
    run_check("EVAL: a relative KUBECONFIG is the caller's", eval_relative_kubeconfig)

    def dev_through_agent():
        w.reset()
        w.set_context("dev")
        # A stopped agent logs the requests it missed once resumed (the check
        # before): count from when its log has settled.
        settled = lambda: (len(agent.asked()), time.sleep(0.3), len(agent.asked()))
        wait_for(lambda: (lambda a, _, b: a == b)(*settled()), timeout=10)
        before = len(agent.asked())
        code, out = run_pty([BIN, "guard", "--", os.path.join(w.bin, "kubectl"), "delete", "pod", "x"], env())
        expect(code == 3 and w.ran() and ASK not in out, "dev: exit %d, out %r" % (code, out))
        expect(w.argv_of_stub()[1:] == ["delete", "pod", "x"], "argv changed: %r" % w.argv_of_stub())
        lines = agent.wait_asked(before + 1)
        expect(len(lines) == before + 1 and "run (tier development)" in lines[-1], "agent log: %r" % lines[before:])
    run_check("a development command runs silently on the agent's answer", dev_through_agent)

    def prod_still_asked():
        w.reset()
        before = len(agent.asked())
        code, out = run_pty([BIN, "guard", "--", os.path.join(w.bin, "kubectl"), "delete", "pod", "x"], env(),
                            [("expect", ASK), ("send", b"\x04")])
        expect(code == 77 and not w.ran(), "prod delete: exit %d, ran %s" % (code, w.ran()))
        lines = agent.wait_asked(before + 1)
        expect("ask (tier production)" in lines[-1], "agent log: %r" % lines[before:])
        code, _, err = run_no_tty([BIN, "guard", "--", os.path.join(w.bin, "kubectl"), "delete", "pod", "x"], env())
        expect(code == 77 and not w.ran() and "SENTINEL_CONFIRM" in err, "no tty: %d %r" % (code, err))
    run_check("a production mutation is still asked, and refused without a terminal", prod_still_asked)

    def stopped_agent():
        w.reset()
        w.set_context("dev")
        os.kill(agent.proc.pid, signal.SIGSTOP)
        try:
            code, out = run_pty([BIN, "guard", "--", os.path.join(w.bin, "kubectl"), "delete", "pod", "x"], env())
            expect(code == 3 and w.ran(), "dev with a stopped agent: exit %d" % code)
            w.reset()
            code, out = run_pty([BIN, "guard", "--", os.path.join(w.bin, "kubectl"), "delete", "pod", "x"], env(),
                                [("expect", ASK), ("send", b"\x04")])
            expect(code == 77 and not w.ran(), "prod with a stopped agent: exit %d" % code)
        finally:
            os.kill(agent.proc.pid, signal.SIGCONT)
    run_check("a stopped agent: the guard decides alone", stopped_agent)

    def secrets_not_sent():
        w.reset()
        w.set_context("dev")
        # The requests queued while the agent was stopped are logged once it
        # runs again: count from when its log has settled.
        before, settled = len(agent.asked()), time.monotonic()
        while time.monotonic() - settled < 0.5:
            time.sleep(0.05)
            if len(agent.asked()) != before:
                before, settled = len(agent.asked()), time.monotonic()
        psql = os.path.join(w.bin, "kubectl")  # any program: only the arguments matter here
        for argv, extra in (([psql, "host=db password=CANARYPW"], {}),
                            ([psql, "postgres://u:CANARYPW@db/x"], {}),
                            ([psql, "get", "pods"], {"DATABASE_URL": "host=db password=CANARYPW"})):
            code, out = run_pty([BIN, "guard", "--tool", "kubectl", "--"] + argv, env(**extra))
            expect(code == 3 and w.ran(), "dev: exit %d for %r" % (code, argv))
            w.reset()
            w.set_context("dev")
        time.sleep(0.2)
        expect(len(agent.asked()) == before, "a request carrying a password reached the agent: %r"
               % agent.asked()[before:])
        with open(agent.log) as f:
            expect("CANARYPW" not in f.read(), "a password reached the agent's log")
    run_check("nothing that may hold a password is sent to the agent", secrets_not_sent)

    try:
        code = summary()
    finally:
        agent.close()
        w.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
