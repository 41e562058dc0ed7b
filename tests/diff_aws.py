#!/usr/bin/env python3
"""Differential test: the aws target is the profile, account, role and region
the real AWS CLI (Debian's awscli 2.x) would use.

Generated ~/.aws/config and credentials files (named, quoted and malformed
[profile ...] headers, [DEFAULT], credentials-file overrides, source_profile
chains, loops and dangling references, SSO profiles and sessions, nested
settings, lines configparser rejects) with AWS_PROFILE, AWS_DEFAULT_PROFILE,
AWS_REGION, AWS_DEFAULT_REGION, AWS_CONFIG_FILE and
AWS_SHARED_CREDENTIALS_FILE are given to `aws configure list-profiles`,
`aws configure list` and `aws configure get region|role_arn|sso_account_id|
sso_role_name` (tests/aws_oracle.py, in a network namespace of its own: the
CLI reaches nothing) and to `sentinel status --json`. Checked: which
profiles exist, when there is an aws target, the region, the account and
role, and that the CLI fails exactly where sentinel reports a problem.

Exits 77 (ctest SKIP) when awscli or unshare is missing."""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

from testlib import BIN, check, skip, summary

HERE = os.path.dirname(os.path.abspath(__file__))

CONFIG_BLOCKS = [
    "[default]\nregion = us-east-1\n",
    "[profile prod-admin]\nrole_arn = arn:aws:iam::123456789012:role/ops/ProdAdmin\nsource_profile = base\n"
    "region = eu-west-1\n",
    "[profile  spaced]\nregion = ap-south-1\n",
    "[profile \"quoted name\"]\nregion = sa-east-1\n",
    "[profilex]\nregion = nope-1\n",
    "[profile a b]\nregion = nope-2\n",
    "[profiles odd]\nregion = us-west-1\n",
    "[DEFAULT]\nregion = df-region-1\n",
    "[profile chain1]\nrole_arn = arn:aws:iam::111111111111:role/One\nsource_profile = chain2\n",
    "[profile loop-a]\nrole_arn = arn:aws:iam::333333333333:role/A\nsource_profile = loop-b\n"
    "[profile loop-b]\nrole_arn = arn:aws:iam::444444444444:role/B\nsource_profile = loop-a\n",
    "[profile dangling]\nrole_arn = arn:aws:iam::555555555555:role/D\nsource_profile = nowhere\n",
    "[profile sso-dev]\nsso_session = corp\nsso_account_id = 210987654321\nsso_role_name = Dev\n"
    "region = eu-central-1\n",
    "[profile sso-broken]\nsso_session = gone\nsso_account_id = 666666666666\nsso_role_name = X\n",
    "[profile nested]\ns3 =\n  max_concurrent_requests = 10\nregion = eu-north-1\n",
    "[profile empty-source]\nrole_arn = arn:aws:iam::777777777777:role/E\nsource_profile = nocreds\n"
    "[profile nocreds]\nregion = nc-1\n",
    "[profile default]\nregion = pd-region-1\n",
    "[profile with-comment]\nregion = us-east-2 # not a comment\n",
    "[profile self]\nrole_arn = arn:aws:iam::888888888888:role/S\nsource_profile = self\n"
    "aws_access_key_id = AKIASELF\naws_secret_access_key = CANARYself\n",
]
SSO_SESSION = "[sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://example.invalid/start\n"
CHAIN2 = "[profile chain2]\nrole_arn = arn:aws:iam::222222222222:role/Two\nsource_profile = base\n"
BROKEN_BLOCKS = [
    "[profile broken]\njust words\n",
    "[profile dup]\nregion = a\n[profile dup]\nregion = b\n",
    "orphan = 1\n",
    "[profile nestbad]\ns3 =\n  no-equals-here\n",
]
CREDENTIAL_BLOCKS = [
    "[base]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = CANARYkey\n",
    "[default]\nregion = cred-region-1\n",
    "[prod-admin]\nregion = cred-override-1\n",
    "[static]\naws_access_key_id = AKIA2\naws_secret_access_key = CANARY2\n",
    "[profile pfx]\nregion = pfx-region-1\n",
]
PROFILES = ["prod-admin", "spaced", "quoted name", "odd", "chain1", "loop-a", "dangling", "sso-dev", "sso-broken",
            "nested", "empty-source", "default", "static", "base", "with-comment", "nosuch", "profilex", "self",
            "profile pfx"]
COMMANDS = [["configure", "list-profiles"], ["configure", "list"], ["configure", "get", "region"],
            ["configure", "get", "role_arn"], ["configure", "get", "sso_account_id"],
            ["configure", "get", "sso_role_name"]]
# What the CLI says when it got as far as fetching credentials: past the
# configuration, which is what is compared.
RUNTIME_ERRORS = ("Could not connect", "Error loading SSO Token", "Token for", "endpoint", "SSO session")


def scenario(rng, d):
    os.makedirs(os.path.join(d, ".aws"))
    blocks = rng.sample(CONFIG_BLOCKS, rng.randint(1, 8))
    creds = rng.sample(CREDENTIAL_BLOCKS, rng.randint(0, 4))
    # Mostly complete what a chosen block refers to, so that chains resolve.
    if any("sso_session = corp" in b for b in blocks) and rng.random() < 0.85 and SSO_SESSION not in blocks:
        blocks.append(SSO_SESSION)
    if any("source_profile = base" in b or "source_profile = chain2" in b for b in blocks) and rng.random() < 0.85:
        if CREDENTIAL_BLOCKS[0] not in creds:
            creds.append(CREDENTIAL_BLOCKS[0])
        if any("chain2" in b for b in blocks) and CHAIN2 not in blocks:
            blocks.append(CHAIN2)
    rng.shuffle(blocks)
    if rng.random() < 0.12:
        blocks.append(rng.choice(BROKEN_BLOCKS))
    names = [p for p in PROFILES if any(p in b for b in blocks + creds)] or PROFILES
    custom = rng.random() < 0.4
    config_path = os.path.join(d, "cfg" if custom else ".aws/config")
    creds_path = os.path.join(d, "creds" if custom else ".aws/credentials")
    with open(config_path, "w") as f:
        f.write("".join(blocks))
    with open(creds_path, "w") as f:
        f.write("".join(creds))
    env = {"HOME": d, "AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "1", "AWS_RETRY_MODE": "standard",
           "AWS_PAGER": ""}
    if custom:
        env["AWS_CONFIG_FILE"] = config_path
        env["AWS_SHARED_CREDENTIALS_FILE"] = creds_path
    # Mostly a profile the files mention, sometimes any (and "nosuch").
    pick = lambda: rng.choice(names if rng.random() < 0.8 else PROFILES)  # noqa: E731
    choice = rng.random()
    if choice < 0.5:
        env["AWS_PROFILE"] = pick()
    elif choice < 0.65:
        env["AWS_DEFAULT_PROFILE"] = pick()
    elif choice < 0.75:
        env["AWS_PROFILE"] = pick()
        env["AWS_DEFAULT_PROFILE"] = pick()
    r = rng.random()
    if r < 0.15:
        env["AWS_REGION"] = "env-region-1"
    elif r < 0.3:
        env["AWS_DEFAULT_REGION"] = "env-default-region-1"
    elif r < 0.35:
        env["AWS_REGION"], env["AWS_DEFAULT_REGION"] = "env-region-1", "env-default-region-1"
    return env


def arn_account_role(arn):
    parts = arn.split(":", 5)
    if len(parts) == 6 and parts[5].startswith("role/"):
        return parts[4], parts[5].rsplit("/", 1)[-1]
    return "", ""


def expected_of(env, results):
    """What the CLI's answers say the aws target must be (None: no target)."""
    profiles_r, list_r, region_r, arn_r, sso_acct_r, sso_role_r = results
    errors = " ".join(r["err"] for r in results)
    if "Unable to parse config file" in errors or profiles_r["rc"] != 0:
        return {"problem": "cannot parse"}
    profiles = set(profiles_r["out"].splitlines())
    name = env.get("AWS_PROFILE") or env.get("AWS_DEFAULT_PROFILE") or "default"
    explicit = bool(env.get("AWS_PROFILE") or env.get("AWS_DEFAULT_PROFILE"))
    if not explicit and "default" not in profiles:
        return None
    if name not in profiles:
        return {"problem": "could not be found"}
    fails = list_r["rc"] != 0 and not any(e in list_r["err"] for e in RUNTIME_ERRORS)
    out = {"profile": name, "problem": list_r["err"].strip() if fails else ""}
    out["region"] = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or region_r["out"].strip()
    account, role = arn_account_role(arn_r["out"].strip())
    if not arn_r["out"].strip():
        account, role = sso_acct_r["out"].strip(), sso_role_r["out"].strip()
    out["account"], out["role"] = account, role
    return out


def ours(env, d):
    full = dict(env, PATH=os.environ.get("PATH", "/usr/bin:/bin"), SENTINEL_SYSTEM_CONFIG=os.path.join(d, "none"))
    r = subprocess.run([BIN, "status", "--json"], cwd=d, env=full, capture_output=True, text=True)
    for t in json.loads(r.stdout)["targets"]:
        if t["kind"] == "aws":
            return t, r.stdout
    return None, r.stdout


def compare(env, expected, got):
    if expected is None or got is None:
        return expected is None and got is None
    problems = " ".join(got["problems"])
    if not expected.get("profile"):  # a failure before any profile
        return expected["problem"] in problems
    if bool(expected["problem"]) != bool(problems):
        return False
    if problems and expected["problem"] and problems not in expected["problem"] and \
            not problems.startswith("Infinite loop"):
        return False
    if problems:
        return True
    return all(got[k] == expected[k] for k in ("profile", "region", "account", "role"))


def main():
    python = "/usr/bin/python3"
    if not (shutil.which("aws") and shutil.which("unshare") and os.path.exists(python)):
        skip("awscli and unshare are needed (apt-get install awscli)")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        skip("cannot make a network namespace (unshare -n)")
    rng = random.Random(15)
    work = tempfile.mkdtemp(prefix="sentinel-diff-aws-")
    try:
        dirs, envs = [], []
        for i in range(150):
            d = os.path.join(work, "s%03d" % i)
            envs.append(scenario(rng, d))
            dirs.append(d)
        request = json.dumps([{"env": e, "commands": COMMANDS} for e in envs])
        oracle = subprocess.run(["unshare", "-n", python, os.path.join(HERE, "aws_oracle.py")], input=request,
                                capture_output=True, text=True, timeout=600)
        check("the AWS CLI answered", oracle.returncode == 0, oracle.stderr[-800:])
        if oracle.returncode != 0:
            return summary()
        answers = json.loads(oracle.stdout)
        kinds = {"none": 0, "problem": 0, "resolved": 0, "role": 0, "sso": 0}
        bad = []
        canary = []
        for d, env, results in zip(dirs, envs, answers):
            expected = expected_of(env, results)
            got, raw = ours(env, d)
            if "CANARY" in raw or "AKIA" in raw:
                canary.append(d)
            if expected is None:
                kinds["none"] += 1
            elif expected.get("problem"):
                kinds["problem"] += 1
            else:
                kinds["resolved"] += 1
                kinds["role"] += "role_arn" in open(os.path.join(d, env.get("AWS_CONFIG_FILE", ".aws/config"))).read() \
                    and bool(expected["role"])
                kinds["sso"] += expected["account"] == "210987654321"
            if not compare(env, expected, got):
                bad.append((env, expected, got and {k: got.get(k) for k in
                                                    ("profile", "region", "account", "role", "problems")}))
        check(f"every kind of answer was exercised {kinds}", all(v >= 2 for v in kinds.values()), kinds)
        check(f"{len(dirs)} scenarios: sentinel agrees with the AWS CLI", not bad,
              "\n".join(repr(b) for b in bad[:6]))
        check("no access key or secret in any output", not canary, canary[:3])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
