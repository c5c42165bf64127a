"""Who is working an audit run: the claim a process holds on a run while it checks pages.

Two processes on one run would fetch and judge its pages twice and race to record them, so
a process claims the run before it works it (a new run is claimed as it is recorded, a
resumed one when `--resume` picks it) and gives the claim up when it stops. A claim outlives
a process killed without warning; it is then taken over: on the same machine as soon as its
process is gone, from another machine once it has not been renewed (every recorded result
renews it) for `STALE_AFTER` seconds. This module decides whether a claim still holds and
says so in words; the audit store keeps the claims.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

STALE_AFTER = 300.0  # seconds without a recorded result before another machine may take over


@dataclass(frozen=True)
class Claim:
    """One process's claim on a run."""

    holder: str  # unique to the claiming process
    host: str
    pid: int
    taken: float  # seconds since the epoch
    renewed: float

    def is_mine(self) -> bool:
        return self.holder == PROCESS_HOLDER

    def holds(self, now: float | None = None) -> bool:
        """Whether the claiming process may still be working the run."""
        if self.is_mine():
            return True
        if self.host == socket.gethostname() and os.name == "posix":
            return _alive(self.pid)
        return (now if now is not None else time.time()) - self.renewed < STALE_AFTER

    def in_words(self, run_id: str, now: float | None = None) -> str:
        """Why another process may not work the run now, and what to do."""
        now = now if now is not None else time.time()
        here = self.host == socket.gethostname()
        where = "on this machine" if here else f"on {self.host}"
        since = datetime.fromtimestamp(self.taken, UTC).strftime("%Y-%m-%d %H:%M:%SZ")
        quiet = max(0, round(now - self.renewed))
        text = (
            f"audit run {run_id} is being worked by process {self.pid} {where} (since {since},"
            f" last result recorded {quiet} s ago); two processes on one run would check its"
            " pages twice. Wait for it to finish, or stop it and run --resume again"
        )
        if not here:
            left = max(0, round(STALE_AFTER - (now - self.renewed)))
            text += f"; if that process is gone, its claim lapses in {left} s"
        return text


def new_claim(now: float | None = None) -> Claim:
    """A claim for this process."""
    at = now if now is not None else time.time()
    return Claim(PROCESS_HOLDER, socket.gethostname(), os.getpid(), at, at)


def _alive(pid: int) -> bool:
    # Signal 0 only asks whether the process exists (on Windows it would be Ctrl-C: not used).
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    except OSError:
        return False
    return True


# The pid alone could be reused by the next process; the holder is unique to this one.
PROCESS_HOLDER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
