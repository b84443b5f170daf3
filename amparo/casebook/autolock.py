"""The idle auto-lock as a thread of its own: the vault is locked on time even when nobody comes back.

The vault (:mod:`amparo.casebook.vault`) locks itself when it is used after being idle;
this thread makes the same check every few seconds, for the casebook left unlocked.
"""

from __future__ import annotations

import threading

from amparo.casebook.vault import Vault


class AutoLock:
    """A daemon thread that locks ``vault`` once idle, even if nothing touches it again.

    Checking idleness only on access would leave the key in memory for as long
    as nobody comes back, which is exactly the seized-while-unlocked case.
    """

    def __init__(self, vault: Vault, interval: float = 5.0) -> None:
        self.vault = vault
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="casebook-autolock", daemon=True)

    def start(self) -> AutoLock:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.vault.lock_if_idle()
