"""Helpers for the guard's end-to-end tests (Python 3 standard library only).

run_pty(argv, env, script) runs argv with a fresh pseudo-terminal as its
controlling terminal (stdin, stdout and stderr on it unless argv redirects
them) and plays `script`: a list of ("expect", text) and ("send", bytes)
steps, plus ("edit", callable) to act while a question is open.  Each
expect matches only output after the previous expect's match.  Returns
(exit code, everything the terminal showed).

run_no_tty(argv, env) runs argv in a new session without a controlling
terminal (setsid), stdin from /dev/null.
"""

import os
import pty
import select
import signal
import subprocess
import time


class PtyTimeout(AssertionError):
    pass


def _read_until(fd, buf, needle, deadline, start):
    """Reads until `needle` appears at or after `start`; returns the end of the match."""
    while buf.find(needle.encode(), start) < 0:
        left = deadline - time.time()
        if left <= 0:
            raise PtyTimeout("timed out waiting for %r; terminal so far:\n%s"
                             % (needle, buf.decode("utf-8", "replace")))
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            raise PtyTimeout("terminal closed waiting for %r; terminal so far:\n%s"
                             % (needle, buf.decode("utf-8", "replace")))
        buf.extend(data)
    return buf.find(needle.encode(), start) + len(needle.encode())


def run_pty(argv, env, script=(), timeout=30):
    pid, fd = pty.fork()
    if pid == 0:  # child: session leader with the pty as controlling terminal
        try:
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    buf = bytearray()
    deadline = time.time() + timeout
    try:
        pos = 0  # each expect looks past the previous match
        for step, arg in script:
            if step == "expect":
                pos = _read_until(fd, buf, arg, deadline, pos)
            elif step == "send":
                time.sleep(0.05)
                os.write(fd, arg)
            elif step == "edit":
                arg()
            elif step == "sleep":
                time.sleep(arg)
        # Drain until the child exits and the terminal closes.
        while time.time() < deadline:
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    data = b""
                if not data:
                    break
                buf.extend(data)
            else:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    pid = 0
                    break
        if pid:
            done, status = os.waitpid(pid, 0 if time.time() < deadline else os.WNOHANG)
            if not done:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise PtyTimeout("process did not exit; terminal:\n%s" % buf.decode("utf-8", "replace"))
    except BaseException:
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass
        raise
    finally:
        os.close(fd)
    code = os.waitstatus_to_exitcode(status)
    return code, buf.decode("utf-8", "replace")


def run_no_tty(argv, env, input_bytes=None, timeout=30):
    p = subprocess.run(argv, env=env, input=input_bytes,
                       stdin=None if input_bytes is not None else subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       start_new_session=True, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


class Results:
    """`ok NAME` / `FAIL NAME: why` lines, then a summary; exit status."""

    def __init__(self):
        self.failed = []
        self.passed = 0

    def check(self, name, fn):
        try:
            fn()
        except Exception as e:  # report and go on
            self.failed.append(name)
            print("FAIL %s: %s" % (name, e), flush=True)
        else:
            self.passed += 1
            print("ok %s" % name, flush=True)

    def finish(self):
        print("%d passed, %d failed" % (self.passed, len(self.failed)))
        return 1 if self.failed else 0
