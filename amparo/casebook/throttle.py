"""Growing delays after wrong passphrases, kept so that they cannot be turned against the owner.

Why two lanes: a delay shared by every client is a weapon. Anyone who can
reach the unlock page (a second account on the same computer, anything in
the browser that can post to 127.0.0.1) could keep failing on purpose and
hold the owner's correct passphrase behind the delay for as long as they
like. So the delay is counted per *lane*:

* the **open** lane, for every client the casebook does not recognise. Its
  count of consecutive failures is persisted in the header (a restart must
  not reset it) and it is what slows down guessing;
* the **owner** lane, for the browser that last unlocked the casebook in
  this process (the web layer recognises it; this module only takes its
  word). Its count lives in memory only: it protects the owner's own typos
  from costing them, and guesses on the open lane never delay it.

A success on either lane clears both: whoever knows the passphrase is the
owner. The web layer documents what this does and does not protect
(docs/casebook.md, "Who can try a passphrase").
"""

from __future__ import annotations

import enum
from collections.abc import Callable

MAX_DELAY = 60.0


class Lane(enum.Enum):
    OPEN = "open"
    OWNER = "owner"


def retry_delay(failures: int) -> float:
    """Seconds to wait after ``failures`` consecutive wrong passphrases: 0, 1, 2, 4, 8 … capped at 60.

    The first mistake costs nothing (typos happen); after that the delay doubles.
    """
    if failures <= 1:
        return 0.0
    return min(MAX_DELAY, float(2 ** min(failures - 2, 16)))


class Throttle:
    """Consecutive failures and the earliest next try, per lane. Not thread-safe: the vault's lock guards it."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._failures = {Lane.OPEN: 0, Lane.OWNER: 0}
        self._not_before: dict[Lane, float] = {}

    def restore_open(self, failures: int) -> None:
        """Failures recorded by an earlier process impose their delay again, counted from now."""
        self._failures[Lane.OPEN] = failures
        self._not_before.pop(Lane.OPEN, None)
        if failures:
            self._not_before[Lane.OPEN] = self._clock() + retry_delay(failures)

    def wait(self, lane: Lane) -> float:
        """Seconds before ``lane`` may try again (0 when it may try now)."""
        not_before = self._not_before.get(lane)
        return 0.0 if not_before is None else max(0.0, not_before - self._clock())

    def failures(self, lane: Lane) -> int:
        return self._failures[lane]

    def failed(self, lane: Lane) -> float:
        """Count one more failure on ``lane``; return the delay it now imposes on that lane only."""
        self._failures[lane] += 1
        delay = retry_delay(self._failures[lane])
        self._not_before[lane] = self._clock() + delay
        return delay

    def succeeded(self) -> None:
        self._failures = {Lane.OPEN: 0, Lane.OWNER: 0}
        self._not_before.clear()

    def reset(self) -> None:
        """Forget everything (a wipe or restore replaced the casebook)."""
        self.succeeded()
