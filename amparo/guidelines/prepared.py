"""The prepared form of the loaded dataset: a pickle read instead of parsing every YAML file on each start.

`amparo navigate` parsed and indexed the whole dataset on every call (most of its start-up time). After a
successful load the result is written here, under a key that covers every data file's bytes, the source of the
code that builds it, the Python version and :data:`FORMAT`; a load whose key still matches reads it back.

Reading a pickle runs whatever code its writer chose, so a prepared file is read only from the user's own cache
directory (:func:`amparo.files.cache_dir`, mode 0700) and only when the file and its directory belong to the user
and no one else may write them. Anything else (missing, foreign, truncated, corrupt, stale) is ignored and the
data are parsed again: a prepared file can make a start faster, never make it fail or change what it loads.
"""

from __future__ import annotations

import atexit
import copyreg
import gc
import hashlib
import io
import os
import pickle
import stat
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from amparo.files import cache_dir, write_atomic

FORMAT = 1  # raise when the file's layout changes in a way the key would not see
MAGIC = b"amparo-prepared\n"
T = TypeVar("T")
CODE = sorted(Path(__file__).resolve().parent.glob("*.py"))  # the code that reads, checks and builds the dataset


def _frozen(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


def _reduce_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, ...]:
    return _frozen, (dict(proxy),)


def fingerprint(root: Path, code: Iterable[Path] = CODE, *, salt: bytes = b"") -> bytes:
    """What a prepared file is valid for: every file under ``root``, the ``code`` that built it, Python, FORMAT."""
    digest = hashlib.sha256(MAGIC + f"{FORMAT}\0{sys.version}\0{sys.implementation.cache_tag}\0{root}\0".encode())
    digest.update(salt)
    for path in code:
        digest.update(b"code\0" + path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    for folder, names, files in os.walk(root):  # top down, in sorted order, not into hidden folders (.git)
        names[:] = sorted(n for n in names if not n.startswith("."))
        for name in sorted(n for n in files if not n.startswith(".")):  # not write_atomic's temporary files
            path = Path(folder) / name
            digest.update(b"data\0" + str(path.relative_to(root)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


def location(kind: str, root: Path) -> Path:
    """One prepared file per kind and data folder, replaced whenever the data change."""
    return cache_dir() / f"{kind}-{hashlib.sha256(str(root).encode()).hexdigest()[:16]}.pickle"


def _private(info: os.stat_result) -> bool:
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read(path: Path, key: bytes, kind: type[T], shared: Mapping[str, Any] | None = None) -> T | None:
    """The object prepared under ``key``, or None when there is none that may be trusted and is current."""
    try:
        folder = path.parent.lstat()
        if not stat.S_ISDIR(folder.st_mode) or not _private(folder):
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode) or not _private(info):
                return None
            if file.read(len(MAGIC) + len(key)) != MAGIC + key:
                return None
            unpickler = pickle.Unpickler(file)  # noqa: S301 (a private, current file: see the module's docstring)
            if shared is not None:
                unpickler.persistent_load = shared.__getitem__  # type: ignore[method-assign]
            collecting = gc.isenabled()
            gc.disable()  # ~50 000 new objects, none of them garbage: a third of the time otherwise
            try:
                result = unpickler.load()
            finally:
                if collecting:
                    gc.enable()
    except Exception:  # truncated, corrupt, written by other code: parse instead
        return None
    if not isinstance(result, kind):
        return None
    if not _exit_quickly:
        _exit_quickly.append(atexit.register(gc.freeze))
    return result


# At exit the interpreter's last cyclic collection walks every object: the prepared dataset's ~50 000 among
# them, ~50 ms of a command's 0.2 s. Frozen then (not earlier: a long-running server keeps collecting, and
# nothing it would free stays in memory), that walk is skipped; the memory goes back with the process.
_exit_quickly: list[object] = []


def write(path: Path, key: bytes, obj: Any, shared: Mapping[str, Any] | None = None) -> None:
    """Prepare ``obj`` for the next start; objects in ``shared`` are written as their key, to be found there again.

    Silently does nothing when the cache directory cannot be made private or written.
    """
    buffer = io.BytesIO()
    buffer.write(MAGIC + key)
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _reduce_proxy}
    if shared is not None:
        ids = {id(value): name for name, value in shared.items()}
        pickler.persistent_id = lambda value: ids.get(id(value))  # type: ignore[method-assign]
    try:
        pickler.dump(obj)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(path.parent.lstat()):
            return  # someone else may write there: not a place to leave code to run
        write_atomic(path, buffer.getvalue(), mode=0o600)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return


def load_or_build(
    kind: type[T],
    root: Path,
    key: Callable[[], bytes | None],
    build: Callable[[], T],
    *,
    shared: Mapping[str, Any] | None = None,
    rebuild: bool = False,
) -> T:
    """``build()``, or what it built before while ``key()`` is unchanged; ``rebuild`` builds (and prepares) anew.

    ``key()`` returns None when the files cannot be read: then ``build()`` reports why, and nothing is prepared.
    """
    before = key()
    where = location(kind.__name__.lower(), root)
    if before is not None and not rebuild:
        found = read(where, before, kind, shared)
        if found is not None:
            return found
    built = build()
    if before is not None and key() == before:  # no file changed while it was read: the key says what was built
        write(where, before, built, shared)
    return built
