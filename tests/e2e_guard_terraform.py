#!/usr/bin/env python3
"""The terraform verb matrix through `sentinel guard`, with a stub `terraform`
on PATH that records its argv and environment: in a working directory whose
workspace (.terraform/environment) is `prod` and whose backend state file is
an s3 backend as terraform writes it,
- reads (plan, show, output, validate, fmt, state list|show|pull, workspace
  list|show|select, init) run at once, unpinned, with no terminal;
- writes (apply, destroy, import, state rm|mv|push, taint, untaint,
  workspace delete, force-unlock, refresh, unknown subcommands) are refused
  with 77 without a terminal and never reach terraform;
- SENTINEL_CONFIRM=<workspace> lets one through, with TF_WORKSPACE pinned
  and the override removed from its environment; `workspace delete NAME`
  is confirmed by NAME and not pinned (terraform refuses to delete the
  current workspace);
- on a pseudo-terminal the person types the workspace's name; the command
  runs with TF_WORKSPACE=prod; another terminal selecting another workspace
  while the question is open makes the guard refuse (77), saying from what
  to what, without asking again;
- a development workspace runs silently; `-chdir=DIR` is followed.
"""
import json
import os
import shutil
import sys
import tempfile

from testlib import BIN, SRC, require, run_check, run_no_tty, run_pty, summary

STUB = """#!/bin/sh
python3 - "$@" <<'EOF'
import json, os, sys
with open(os.environ["STUB_LOG"], "a") as f:
    f.write(json.dumps({"argv": sys.argv[1:], "cwd": os.getcwd(),
                        "TF_WORKSPACE": os.environ.get("TF_WORKSPACE"),
                        "SENTINEL_CONFIRM": os.environ.get("SENTINEL_CONFIRM")}) + "\\n")
EOF
"""

READS = [["plan"], ["plan", "-destroy"], ["show"], ["output", "-json"], ["validate"], ["fmt"], ["state", "list"],
         ["state", "show", "aws_s3_bucket.b"], ["state", "pull"], ["workspace", "list"], ["workspace", "show"],
         ["workspace", "select", "dev"], ["init"], ["-version"]]
WRITES = [["apply"], ["apply", "-auto-approve"], ["destroy"], ["import", "aws_s3_bucket.b", "b"],
          ["state", "rm", "aws_s3_bucket.b"], ["state", "mv", "a.b", "a.c"], ["state", "push", "x.tfstate"],
          ["taint", "aws_instance.web"], ["untaint", "aws_instance.web"], ["workspace", "delete", "staging"],
          ["force-unlock", "1234"], ["refresh"], ["init", "-migrate-state"], ["frobnicate"]]


class World:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="sentinel-tf-")
        self.home = os.path.join(self.dir, "home")
        self.proj = os.path.join(self.home, "infra")
        self.bin = os.path.join(self.dir, "bin")
        self.log = os.path.join(self.dir, "stub.jsonl")
        for d in (os.path.join(self.proj, ".terraform"), os.path.join(self.proj, "envs", "dev", ".terraform"),
                  self.bin, os.path.join(self.dir, "run")):
            os.makedirs(d, exist_ok=True)
        os.chmod(os.path.join(self.dir, "run"), 0o700)
        self.select("prod")
        with open(os.path.join(self.proj, "envs", "dev", ".terraform", "environment"), "w") as f:
            f.write("dev")
        shutil.copy(os.path.join(SRC, "tests", "fixtures", "terraform", "s3.tfstate"),
                    os.path.join(self.proj, ".terraform", "terraform.tfstate"))
        with open(os.path.join(self.bin, "terraform"), "w") as f:
            f.write(STUB)
        os.chmod(os.path.join(self.bin, "terraform"), 0o755)
        self.env = {"HOME": self.home, "PATH": self.bin + ":" + os.environ["PATH"], "STUB_LOG": self.log,
                    "XDG_RUNTIME_DIR": os.path.join(self.dir, "run"),
                    "XDG_STATE_HOME": os.path.join(self.dir, "state"),
                    "SENTINEL_SYSTEM_CONFIG": os.path.join(self.dir, "none.toml"), "TERM": "xterm-256color",
                    "LANG": "C.UTF-8"}

    def select(self, workspace):
        """What `terraform workspace select` writes (no newline)."""
        tmp = os.path.join(self.proj, ".terraform", "environment.tmp")
        with open(tmp, "w") as f:
            f.write(workspace)
        os.rename(tmp, os.path.join(self.proj, ".terraform", "environment"))

    def calls(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            calls = [json.loads(line) for line in f]
        os.remove(self.log)
        return calls

    def guard(self, args, cwd=None, **extra):
        os.chdir(cwd or self.proj)
        return run_no_tty([BIN, "guard", "--", "terraform", *args], dict(self.env, **extra))


def main():
    require("setsid", "python3")
    w = World()
    try:
        def reads_pass():
            for args in READS:
                code, _, err = w.guard(args)
                calls = w.calls()
                assert code == 0, (args, code, err)
                assert len(calls) == 1 and calls[0]["argv"] == args, (args, calls)
                assert calls[0]["TF_WORKSPACE"] is None, (args, calls)

        def writes_refused():
            for args in WRITES:
                code, _, err = w.guard(args)
                assert code == 77, (args, code, err)
                assert w.calls() == [], args
                name = "staging" if args[:2] == ["workspace", "delete"] else "prod"
                assert f'on production target "{name}"' in err or f'target "{name}"' in err, (args, err)
                assert f"SENTINEL_CONFIRM='{name}'" in err, err

        def override_pins():
            code, _, err = w.guard(["apply", "-auto-approve"], SENTINEL_CONFIRM="prod")
            calls = w.calls()
            assert code == 0, (code, err)
            assert calls == [{"argv": ["apply", "-auto-approve"], "cwd": w.proj, "TF_WORKSPACE": "prod",
                              "SENTINEL_CONFIRM": None}], calls
            code, _, err = w.guard(["destroy"], SENTINEL_CONFIRM="staging")
            assert code == 77 and "names another target" in err and w.calls() == [], (code, err)

        def workspace_delete():
            code, _, err = w.guard(["workspace", "delete", "prod-old"], SENTINEL_CONFIRM="prod-old")
            calls = w.calls()
            assert code == 0, (code, err)
            assert calls[0]["argv"] == ["workspace", "delete", "prod-old"] and calls[0]["TF_WORKSPACE"] is None, calls

        def dev_runs_silently():
            dev = os.path.join(w.proj, "envs", "dev")
            code, _, err = w.guard(["apply", "-auto-approve"], cwd=dev)
            calls = w.calls()
            assert code == 0 and len(calls) == 1 and calls[0]["cwd"] == dev, (code, err, calls)
            code, _, err = w.guard(["-chdir=envs/dev", "destroy"])
            assert code == 0 and w.calls()[0]["argv"] == ["-chdir=envs/dev", "destroy"], (code, err)
            code, _, err = w.guard(["-chdir=" + w.proj, "destroy"], cwd=dev)
            assert code == 77 and w.calls() == [], (code, err)

        def asks_on_a_terminal():
            os.chdir(w.proj)
            code, screen = run_pty([BIN, "guard", "--", "terraform", "apply"], w.env, [
                ("expect", "workspace=prod"), ("expect", "backend=s3 acme-tf-state/env:/prod/payments"),
                ("expect", "action  terraform apply (write)"), ("expect", 'Type the target name "prod"'),
                ("send", b"prod\r")])
            calls = w.calls()
            assert code == 0, screen
            assert calls and calls[0]["TF_WORKSPACE"] == "prod", calls
            assert "CANARY" not in screen, screen

        def pinned_while_another_terminal_selects():
            os.chdir(w.proj)
            before = len(w.calls())
            code, screen = run_pty([BIN, "guard", "--", "terraform", "apply"], w.env, [
                ("expect", 'Type the target name "prod"'), ("edit", lambda: w.select("staging")),
                ("send", b"prod\r"), ("expect", "target changed")])
            # Refused, saying from what to what; never asked again about the
            # new workspace (issue 8: "Asking again" ran a command unasked).
            assert code == 77 and len(w.calls()) == before, (code, screen)
            assert "tier production \u2192 staging" in screen and screen.count("Type the target name") == 1, screen
            assert 'Type "yes"' not in screen, screen
            w.select("prod")

        def status_and_explain():
            os.chdir(w.proj)
            code, out, err = run_no_tty([BIN, "status", "--json", "--", "terraform", "apply"], w.env)
            t = json.loads(out)["targets"]
            assert code == 0 and len(t) == 1 and t[0]["kind"] == "terraform", out
            assert t[0]["workspace"] == "prod" and t[0]["tier"] == "production", t
            assert "CANARY" not in out, out
            code, out, err = run_no_tty([BIN, "explain"], w.env)
            assert f"from {w.proj}/.terraform/environment:1" in out, out

        run_check("reads run at once, unpinned, without a terminal", reads_pass)
        run_check("writes are refused (77) without a terminal and never reach terraform", writes_refused)
        run_check("SENTINEL_CONFIRM=<workspace> runs it pinned with TF_WORKSPACE, override removed", override_pins)
        run_check("workspace delete NAME: confirmed by NAME, not pinned", workspace_delete)
        run_check("a development workspace runs silently; -chdir is followed", dev_runs_silently)
        run_check("on a terminal the person types the workspace; the command is pinned", asks_on_a_terminal)
        run_check("another terminal selecting a workspace during the question: refused (77), from what to what", pinned_while_another_terminal_selects)
        run_check("status -- terraform and explain show the workspace and where it came from", status_and_explain)
    finally:
        os.chdir("/")
        try:
            with open(os.path.join(w.dir, "run", "sentinel", "agent.lock")) as f:
                os.kill(int(f.read().strip()), 15)
        except (OSError, ValueError):
            pass
        shutil.rmtree(w.dir, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
