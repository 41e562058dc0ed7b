"""Runs the real AWS CLI (Debian's awscli, the code /usr/bin/aws runs) over
many scenarios in one process, so that its start (about two seconds) is paid
once: for each scenario, the environment is replaced, a fresh driver (and
botocore session) is created and each `aws ARGS` of the scenario runs with
its output captured.

Input on stdin: a JSON list of {"env": {...}, "commands": [[args...], ...]}.
Output: a JSON list (one per scenario) of lists of {"rc", "out", "err"}.
Not a test itself; tests/diff_aws.py runs it under `unshare -n`, so that
nothing the CLI tries can leave the machine."""
import contextlib
import io
import json
import os
import sys

sys.path.insert(0, "/usr/lib/python3/dist-packages")
import awscli.clidriver  # noqa: E402


def run(driver, args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = driver.main(args)
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 1
        except Exception as e:  # noqa: BLE001 - what the CLI would print
            print(str(e), file=sys.stderr)
            rc = 255
    return {"rc": rc, "out": out.getvalue(), "err": err.getvalue()}


def main():
    scenarios = json.load(sys.stdin)
    base = dict(os.environ)
    results = []
    for s in scenarios:
        os.environ.clear()
        os.environ.update(base)
        for k in list(os.environ):
            if k.startswith("AWS_") and k != "AWS_DATA_PATH":  # set by awscli's own __init__
                del os.environ[k]
        os.environ.update(s["env"])
        try:
            driver = awscli.clidriver.create_clidriver()  # a fresh session reads the new environment
        except Exception as e:  # noqa: BLE001 - `aws` itself fails the same way at start
            results.append([{"rc": 255, "out": "", "err": str(e) + "\n"} for _ in s["commands"]])
            continue
        results.append([run(driver, c) for c in s["commands"]])
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
