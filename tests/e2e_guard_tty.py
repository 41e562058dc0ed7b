#!/usr/bin/env python3
"""End-to-end: `sentinel guard` and `sentinel confirm` under a pseudo-terminal.

The wrapped command is a stub that writes a marker file (its argv, and its
environment next to it), so "the command never ran" is checked on disk.
The terminal's target is a kube context from a private kubeconfig:
`prod-eu` (production by the built-in rules) unless a test switches it.
Covers BAD_INPUTS.md rows 25-30: answers only from /dev/tty, exact-name
answers, no terminal (setsid), the per-call override, the target changing
while the question is open, pinning, and audit failures.

Environment: SENTINEL_BIN (default <repo>/build/sentinel).
"""

import json
import os
import shutil
import subprocess
import sys

from testlib import BIN, SRC, Skip, TempHome, expect, run_check, run_no_tty, run_pty, summary

KUBECONFIG = """apiVersion: v1
kind: Config
current-context: {current}
clusters:
- name: gke-prod
  cluster: {{server: "https://10.1.0.1:6443"}}
- name: gke-prod-us
  cluster: {{server: "https://10.2.0.1:6443"}}
- name: dev-cluster
  cluster: {{server: "https://10.3.0.1:6443"}}
contexts:
- name: prod-eu
  context: {{cluster: gke-prod, user: admin, namespace: payments}}
- name: prod-us
  context: {{cluster: gke-prod-us, user: admin}}
- name: dev
  context: {{cluster: dev-cluster, user: admin}}
users:
- name: admin
  user: {{token: CANARYTOKEN123}}
"""

STUB = """#!/bin/sh
printf '%s\\n' "$0" "$@" > "$MARKER"
env > "$MARKER.env"
exit 3
"""

ASK = "to go ahead"


class World(TempHome):
    """A home whose kubeconfig points at prod-eu, with stub programs that
    record how they were run."""

    def __init__(self):
        super().__init__("sentinel-guard-tty-")
        os.makedirs(os.path.join(self.home, ".kube"))
        self.kubeconfig = os.path.join(self.home, ".kube", "config")
        self.bin = os.path.join(self.dir, "bin")
        os.makedirs(self.bin)
        self.stub = os.path.join(self.bin, "stub")
        for name in ("stub", "kubectl", "helm"):
            path = os.path.join(self.bin, name)
            with open(path, "w") as f:
                f.write(STUB)
            os.chmod(path, 0o755)
        self.marker = os.path.join(self.dir, "marker")
        self.set_context("prod-eu")

    def set_context(self, current):
        tmp = self.kubeconfig + ".tmp"
        with open(tmp, "w") as f:
            f.write(KUBECONFIG.format(current=current))
        os.replace(tmp, self.kubeconfig)

    def env(self, **extra):
        e = super().env(PATH=self.bin + ":/usr/bin:/bin", TERM="xterm", MARKER=self.marker)
        e.update(extra)
        return e

    def reset(self):
        for p in (self.marker, self.marker + ".env"):
            if os.path.exists(p):
                os.remove(p)
        self.set_context("prod-eu")
        self.config("")


    def ran(self):
        return os.path.exists(self.marker)

    def argv_of_stub(self):
        with open(self.marker) as f:
            return f.read().splitlines()

    def env_of_stub(self):
        with open(self.marker + ".env") as f:
            return dict(line.split("=", 1) for line in f.read().splitlines() if "=" in line)

    def audit(self):
        path = os.path.join(self.state, "sentinel", "audit.jsonl")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [json.loads(line) for line in f]



def main():
    w = World()
    guard = [BIN, "guard", "--", w.stub, "deploy"]

    def answer(text, want_code, want_ran):
        def test():
            w.reset()
            code, out = run_pty(guard, w.env(), [("expect", ASK), ("send", text)])
            expect(code == want_code, "exit %d, want %d; terminal:\n%s" % (code, want_code, out))
            expect(w.ran() == want_ran, "stub ran=%s, want %s" % (w.ran(), want_ran))
            expect("prod-eu" in out and "PROD" in out, "banner lacks target or tier:\n" + out)
            expect("CANARYTOKEN123" not in out, "token printed")
        return test

    run_check("exact name runs the command (its own exit code)", answer(b"prod-eu\n", 3, True))
    for name, typed in [("wrong name", b"prod-us\n"), ("prefix", b"prod\n"), ("wrong case", b"PROD-EU\n"),
                        ("y", b"y\n"), ("yes", b"yes\n"), ("trailing space", b"prod-eu \n"),
                        ("leading space", b" prod-eu\n"), ("empty line", b"\n"),
                        ("end of input (Ctrl-D)", b"\x04"), ("Ctrl-C", b"\x03"),
                        ("partial line then Ctrl-D", b"prod-eu\x04\x04")]:
        run_check("refused: " + name, answer(typed, 77, False))

    def refusals_audited():
        records = [a for a in w.audit() if a["decision"] == "refused"]
        expect(len(records) >= 11, "want >= 11 refusal records, got %d" % len(records))
        reasons = {a["reason"] for a in records}
        for want in ("wrong answer", "end of input", "interrupted"):
            expect(want in reasons, "no refusal with reason %r in %s" % (want, reasons))
        expect(all(a["target"] == "prod-eu" and a["tier"] == "production" for a in records), "bad record")
        blob = json.dumps(w.audit())
        expect("prod-us" not in blob and "CANARY" not in blob, "typed answer or token in the audit log")
    run_check("every refusal audited, typed answers never logged", refusals_audited)

    def piped_yes():
        w.reset()
        code, out = run_pty(["/bin/sh", "-c", 'yes prod-eu | "$@"', "sh"] + guard, w.env(),
                            [("expect", ASK), ("send", b"\x04")])
        expect(code == 77 and not w.ran(), "yes | guard: exit %d, ran=%s\n%s" % (code, w.ran(), out))
    run_check("`yes prod-eu |` piped in does not answer", piped_yes)

    def stdin_devnull_stdout_redirected():
        w.reset()
        out_file = os.path.join(w.dir, "stdout.txt")
        code, out = run_pty(["/bin/sh", "-c", '"$@" </dev/null >"$OUT"', "sh"] + guard, w.env(OUT=out_file),
                            [("expect", ASK), ("send", b"prod-eu\n")])
        expect(code == 3 and w.ran(), "exit %d ran=%s\n%s" % (code, w.ran(), out))
        expect(ASK not in open(out_file).read(), "question went to stdout")
    run_check("</dev/null and stdout redirected: the question is on /dev/tty", stdin_devnull_stdout_redirected)

    def no_tty():
        w.reset()
        code, out, err = run_no_tty(guard, w.env(), input_bytes=b"prod-eu\n" * 100)
        expect(code == 77 and not w.ran(), "exit %d ran=%s" % (code, w.ran()))
        expect("SENTINEL_CONFIRM='prod-eu'" in err, "message does not name the override: " + err)
        expect(err.startswith("sentinel: refused:") and err.count("\n") == 1, "not one line: " + err)
        expect(w.audit()[-1]["reason"] == "no terminal to ask on", "not audited")
    run_check("no controlling terminal (setsid): refused, override named", no_tty)

    def override_exact():
        w.reset()
        code, out, err = run_no_tty(guard, w.env(SENTINEL_CONFIRM="prod-eu"))
        expect(code == 3 and w.ran(), "exit %d ran=%s %s" % (code, w.ran(), err))
        expect("SENTINEL_CONFIRM" not in w.env_of_stub(), "override leaked into the command's environment")
        last = w.audit()[-1]
        expect(last["decision"] == "override" and last["target"] == "prod-eu", "not audited: %s" % last)
    run_check("override with the exact name runs once and is audited", override_exact)

    def override_other():
        w.reset()
        for value in ("prod-us", "prod", "PROD-EU", "yes"):
            code, out, err = run_no_tty(guard, w.env(SENTINEL_CONFIRM=value))
            expect(code == 77 and not w.ran(), "%s: exit %d ran=%s" % (value, code, w.ran()))
            expect(w.audit()[-1]["reason"] == "SENTINEL_CONFIRM names another target", "not audited")
    run_check("override naming another target refuses", override_other)

    def override_ignored_on_tty():
        w.reset()
        code, out = run_pty(guard, w.env(SENTINEL_CONFIRM="prod-eu"), [("expect", ASK), ("send", b"\x04")])
        expect(code == 77 and not w.ran(), "a sticky override answered the question")
    run_check("an exported override does not answer a question on a terminal", override_ignored_on_tty)

    def dev_silent():
        w.reset()
        w.set_context("dev")
        code, out = run_pty(guard, w.env())
        expect(code == 3 and w.ran() and ASK not in out, "dev: exit %d, out %r" % (code, out))
    run_check("development target runs silently", dev_silent)

    def kubectl_pinned():
        w.reset()
        kubectl = os.path.join(w.bin, "kubectl")
        code, out = run_pty([BIN, "guard", "--", kubectl, "-n", "payments", "delete", "pod", "web-1"], w.env(),
                            [("expect", ASK), ("send", b"prod-eu\n")])
        expect(code == 3, "exit %d\n%s" % (code, out))
        argv = w.argv_of_stub()
        expect(argv[1:] == ["-n", "payments", "delete", "--context=prod-eu", "--cluster=gke-prod", "--user=admin",
                            "--kubeconfig=" + w.kubeconfig, "pod", "web-1"], "argv %s" % argv)
        expect("kubectl delete" in out, "verb not shown:\n" + out)
    run_check("kubectl delete confirmed runs pinned to the confirmed context", kubectl_pinned)

    def kubectl_read():
        w.reset()
        kubectl = os.path.join(w.bin, "kubectl")
        code, out = run_pty([BIN, "guard", "--tool", "kubectl", "--", kubectl, "--context", "prod-eu", "get", "pods"],
                            w.env())
        expect(code == 3 and ASK not in out, "get asked or failed: %d %s" % (code, out))
        expect(w.argv_of_stub()[1:] == ["--context", "prod-eu", "get", "pods"], "read was rewritten")
    run_check("kubectl get passes without a question", kubectl_read)

    def helm_upgrade():
        w.reset()
        helm = os.path.join(w.bin, "helm")
        code, out, err = run_no_tty([BIN, "guard", "--", helm, "upgrade", "web", "./chart"], w.env())
        expect(code == 77 and not w.ran(), "helm upgrade without terminal: %d" % code)
        code, out, err = run_no_tty([BIN, "guard", "--", helm, "upgrade", "web", "./chart"],
                                    w.env(SENTINEL_CONFIRM="prod-eu"))
        expect(code == 3 and "--kube-context=prod-eu" in w.argv_of_stub(), "not pinned: %s" % w.argv_of_stub())
    run_check("helm upgrade refused without terminal; override pins --kube-context", helm_upgrade)

    def context_switched_while_asking():
        w.reset()
        kubectl = os.path.join(w.bin, "kubectl")
        code, out = run_pty([BIN, "guard", "--", kubectl, "delete", "ns", "payments"], w.env(),
                            [("expect", ASK), ("edit", lambda: w.set_context("prod-us")),
                             ("send", b"prod-eu\n"), ("expect", "changed")])
        expect(code == 77 and not w.ran(), "exit %d ran=%s\n%s" % (code, w.ran(), out))
        expect('context "prod-eu" \u2192 "prod-us"' in out, "what changed, from what to what:\n" + out)
        expect("run the command again" in out and out.count(ASK) == 1, "asked again:\n" + out)
        reasons = [a["reason"] for a in w.audit()[-1:]]
        expect(reasons == ["target changed while asking"], "audit %s" % reasons)
    run_check("context switched while asking: refused (77), saying from what to what, not asked again",
              context_switched_while_asking)

    def timeout():
        w.reset()
        code, out = run_pty([BIN, "guard", "--timeout", "1", "--", w.stub], w.env(), [("expect", ASK)])
        expect(code == 77 and not w.ran() and w.audit()[-1]["reason"] == "timeout", "exit %d" % code)
    run_check("timeout refuses", timeout)

    def confirm_command():
        w.reset()
        conf = [BIN, "confirm", "--action", "flush the cache"]
        code, out = run_pty(conf, w.env(), [("expect", ASK), ("send", b"prod-eu\n")])
        expect(code == 0 and "flush the cache" in out, "confirm: %d\n%s" % (code, out))
        code, out = run_pty(conf, w.env(), [("expect", ASK), ("send", b"prod\n")])
        expect(code == 77, "confirm wrong: %d" % code)
        code, out, err = run_no_tty(conf, w.env())
        expect(code == 77 and "SENTINEL_CONFIRM='prod-eu'" in err, "confirm no tty: %d %s" % (code, err))
        code, out, err = run_no_tty(conf + ["--kind", "pg"], w.env())
        expect(code == 0, "no pg target: nothing to confirm, got %d" % code)
        code, out, err = run_no_tty([BIN, "confirm"], w.env())
        expect(code == 64, "usage: %d" % code)
        w.set_context("dev")
        code, out, err = run_no_tty(conf, w.env())
        expect(code == 0, "dev: %d" % code)
        last = w.audit()[-1]
        expect(last["tool"] == "confirm", "audit %s" % last)
    run_check("sentinel confirm: exit 0 to go ahead, 77 refused, 64 usage", confirm_command)

    def refusal_names_the_target_by_its_own_tier():
        # Bug: with production ranked 200, the refusal read `on production
        # target "APP_ENV=weird"`; that target is unknown, which ranks with
        # production, and it is the one to confirm.
        w.reset()
        w.config("[tiers.production]\nrank = 200\n")
        env = w.env(KUBECONFIG=os.path.join(w.dir, "none"), APP_ENV="weird", AWS_PROFILE="prod-eu")
        code, out, err = run_no_tty([BIN, "confirm", "--action", "rotate keys"], env)
        expect(code == 77, "confirm without a terminal: %d" % code)
        expect('on unknown target "APP_ENV=weird"' in err, "refusal: %r" % err)
        expect("on production" not in err, "mislabelled refusal: %r" % err)
        code, out, err = run_no_tty([BIN, "status", "--json"], env)
        expect(json.loads(out)["tier"] == "unknown", "overall tier: %s" % out)
    run_check("a refusal names the confirmed target with that target's tier (production rank 200)",
            refusal_names_the_target_by_its_own_tier)

    def audit_failures():
        w.reset()
        blocked = os.path.join(w.dir, "state-is-a-file")
        with open(blocked, "w") as f:
            f.write("x")
        env = w.env(XDG_STATE_HOME=blocked, SENTINEL_CONFIRM="prod-eu")
        code, out, err = run_no_tty(guard, env)
        expect(code == 3 and "audit record not written" in err, "best-effort: %d %s" % (code, err))
        w.reset()
        w.config('audit = "required"\n')
        code, out, err = run_no_tty(guard, env)
        expect(code == 77 and not w.ran() and "audit" in err, "required: %d %s" % (code, err))
    run_check("audit log unwritable: best-effort warns, required refuses", audit_failures)

    def audit_full_and_read_only_disk():
        # BAD_INPUTS.md row 30 on a real tiny tmpfs and a read-only mount (needs root).
        mnt = os.path.join(w.dir, "tiny")
        os.makedirs(mnt, exist_ok=True)
        if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt],
                                               stderr=subprocess.DEVNULL).returncode != 0:
            raise Skip("cannot mount a tmpfs (needs root)")
        try:
            log_dir = os.path.join(mnt, "sentinel")
            os.makedirs(log_dir)
            log = os.path.join(log_dir, "audit.jsonl")
            with open(log, "w") as f:  # exactly one page of complete records
                f.write(('{"pad":"%s"}\n' % ("x" * 50)) * 64)
            try:
                with open(os.path.join(mnt, "filler"), "wb") as f:
                    while True:
                        f.write(b"\0" * 4096)
                        f.flush()
            except OSError:
                pass
            before = open(log).read()
            for required in (False, True):
                w.reset()
                w.config('audit = "required"\n' if required else "")
                code, out, err = run_no_tty(guard, w.env(XDG_STATE_HOME=mnt, SENTINEL_CONFIRM="prod-eu"))
                expect("No space left" in err or "short write" in err, "no disk-full warning: %s" % err)
                if required:
                    expect(code == 77 and not w.ran(), "required on a full disk: %d" % code)
                else:
                    expect(code == 3 and w.ran(), "best-effort on a full disk: %d" % code)
            expect(open(log).read() == before, "a partial record was left in the log")
            subprocess.run(["mount", "-o", "remount,ro", mnt], check=True)
            w.reset()
            w.config('audit = "required"\n')
            code, out, err = run_no_tty(guard, w.env(XDG_STATE_HOME=mnt, SENTINEL_CONFIRM="prod-eu"))
            expect(code == 77 and "Read-only" in err, "read-only, required: %d %s" % (code, err))
        finally:
            subprocess.run(["umount", mnt])
    run_check("audit on a full tmpfs and a read-only mount: warn or refuse, no partial record",
            audit_full_and_read_only_disk)

    def audit_command():
        p = run_no_tty([BIN, "audit", "--lines", "3"], w.env())
        expect(p[0] == 0 and len(p[1].splitlines()) == 3, "audit output %r" % (p,))
        expect("prod-eu" in p[1], "audit lacks target")
    run_check("sentinel audit prints the recent entries", audit_command)

    def grace_period():
        w.reset()
        other = os.path.join(w.dir, "kubeconfig-prod-us")
        with open(other, "w") as f:
            f.write(KUBECONFIG.format(current="prod-us"))
        twice = ["/bin/sh", "-c", '"$@"; echo "first=$?"; "$@"; echo "second=$?"', "sh"] + guard
        w.config("[tiers.production]\ngrace = 300\n")
        env = w.env()
        code, out = run_pty(twice, env, [("expect", ASK), ("send", b"prod-eu\n"), ("expect", "second=")])
        expect(out.count(ASK) == 1 and "first=3" in out and "second=3" in out, "same session asked again:\n" + out)
        expect(w.audit()[-1]["reason"] == "grace period", "grace not audited")
        code, out = run_pty(guard, env, [("expect", ASK), ("send", b"\x04")])
        expect(code == 77, "another terminal session was not asked")
        switch = ["/bin/sh", "-c", '"$@"; echo "first=$?"; cp "$OTHER" "$KCFG"; "$@"; echo "second=$?"', "sh"] + guard
        code, out = run_pty(switch, w.env(OTHER=other, KCFG=w.kubeconfig),
                            [("expect", ASK), ("send", b"prod-eu\n"), ("expect", "first=3"), ("expect", ASK),
                             ("send", b"\x04"), ("expect", "second=")])
        expect("second=77" in out, "a switched target was not asked again:\n" + out)
        w.reset()
        code, out = run_pty(twice, w.env(), [("expect", ASK), ("send", b"prod-eu\n"), ("expect", ASK),
                                             ("send", b"\x04"), ("expect", "second=")])
        expect("second=77" in out, "no grace period configured, yet not asked again")
    run_check("grace period: same session and target only; off unless configured", grace_period)

    def wrappers():
        w.reset()
        wrap = os.path.join(w.dir, "wrap")
        os.makedirs(wrap, exist_ok=True)
        src = os.path.join(SRC, "contrib", "wrappers", "psql")
        shutil.copy(src, os.path.join(wrap, "psql"))
        if not os.path.exists(os.path.join(wrap, "kubectl")):
            os.symlink("psql", os.path.join(wrap, "kubectl"))
        env = w.env(PATH=wrap + ":" + w.bin + ":/usr/bin:/bin", SENTINEL_BIN=BIN)
        code, out, err = run_no_tty(["kubectl", "get", "pods"], env)
        expect(code == 3 and w.argv_of_stub()[1:] == ["get", "pods"], "wrapper read: %d %s" % (code, err))
        w.reset()
        code, out, err = run_no_tty(["kubectl", "delete", "pod", "x"], env)
        expect(code == 77 and not w.ran(), "wrapper delete without terminal: %d %s" % (code, err))
    run_check("contrib/wrappers: kubectl through the wrapper is guarded", wrappers)

    def usage():
        expect(run_no_tty([BIN, "guard"], w.env())[0] == 64, "guard without command")
        expect(run_no_tty([BIN, "guard", "--tool", "vim", "--", "x"], w.env())[0] == 64, "bad tool")
        expect(run_no_tty([BIN, "guard", "--", os.path.join(w.dir, "missing")], w.env(SENTINEL_CONFIRM="prod-eu"))[0]
               == 127, "missing program")
    run_check("usage errors give 64; a missing program 127", usage)

    code = summary()
    w.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
