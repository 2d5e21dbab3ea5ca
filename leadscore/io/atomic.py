"""Write a file so that readers see the old version or the new one, never half of one.

Nightly jobs overwrite yesterday's ranked file. If a run dies half way (disk full, a bad
value, a killed job) the file from the last good run must still be there, whole.

A run that is killed outright (``kill -9``, the machine losing power) cannot remove its
temporary file. Temporary names carry the writer's process id, so the next run writing the
same target removes the leftovers of writers that are no longer running.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

from leadscore.errors import UsageError
from leadscore.stop import Terminated, stop_requested


def _temp_pattern(target: Path) -> re.Pattern[str]:
    """The writers' temporary files, and their scratch files (see :func:`scratch_path`)."""
    return re.compile(rf"^\.{re.escape(target.name)}\.(\d+)-[0-9a-f]{{8}}\.tmp(\.[a-z0-9]+)?$")


def scratch_path(temp: Path, purpose: str) -> Path:
    """A scratch file beside the temporary file ``temp`` of :func:`atomic_path`, e.g. ``.sort``
    (``purpose`` is lower-case letters and digits).

    Its writer deletes it when done; if the writer is killed, the next run writing the same
    target removes it with the temporary file (:func:`remove_leftovers`).
    """
    return temp.with_name(f"{temp.name}.{purpose}")


def _temp_name(target: Path) -> Path:
    """A temporary name beside ``target`` (so ``os.replace`` never crosses disks)."""
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _create(temp: Path) -> None:
    # 0o666 and O_EXCL: the umask decides the mode, as for any new file.
    os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:  # it exists, but belongs to someone else
        return True
    return True


def remove_leftovers(target: str | Path) -> list[Path]:
    """Delete temporary files beside ``target`` left by writers that were killed; return them."""
    target = Path(target)
    if os.name != "posix":  # os.kill(pid, 0) would end the process on Windows
        return []
    pattern = _temp_pattern(target)
    removed = []
    with contextlib.suppress(OSError):
        for entry in target.parent.iterdir():
            match = pattern.match(entry.name)
            if match is None or int(match.group(1)) == os.getpid() or _running(int(match.group(1))):
                continue
            with contextlib.suppress(OSError):
                entry.unlink()
                removed.append(entry)
    return removed


def _fsync(path: Path, directory: bool = False) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        if directory:  # some platforms cannot open a folder; the data itself is synced
            return
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not directory:
            raise
    finally:
        os.close(fd)


DISK_FULL = "the disk is full; free some space and run again"


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return DISK_FULL
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied; choose another -o"
    return f"{(exc.strerror or str(exc)).lower()}; choose another -o or run again"


def check_target(target: str | Path) -> None:
    """Refuse an output that names a folder, or a file in a folder that does not exist.

    Called before anything is read, for every output of a run, so that a run stopped by one of
    them has written none of the others.
    """
    target = Path(target)
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give a file name for the output")
    if not target.parent.is_dir():
        raise UsageError(f"cannot write {target}: the folder {target.parent} does not exist; create it first")


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target`` in one step.

    On any exception the temporary file is deleted and ``target`` is left as it was; an
    ``OSError`` (disk full, permission denied) becomes a one-line :class:`UsageError` (an output
    that cannot be written where asked: exit 2), anything else goes on as it is.
    """
    target = Path(target)
    check_target(target)
    remove_leftovers(target)
    # The name is chosen before the file exists, so that a stop at any moment from here on
    # knows what to delete. The process id in it makes it unique among running writers.
    temp = _temp_name(target)
    try:
        _create(temp)
    except FileExistsError:
        raise UsageError(f"cannot create a temporary file beside {target}; clean up the folder") from None
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {_reason(exc)}") from exc
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    try:
        yield temp
        _fsync(temp)
        if stop_requested.is_set():  # a stop whose exception was lost on the way
            raise Terminated()
        if target.exists():
            # Keep the mode of the file being replaced (a shared folder's group bits, say).
            with contextlib.suppress(OSError):
                temp.chmod(target.stat().st_mode & 0o7777)
        try:
            temp.replace(target)
        except PermissionError as exc:  # on Windows, a file open in Excel cannot be replaced
            raise UsageError(
                f"cannot replace {target}: permission denied; close it if a program such as Excel has it "
                "open, or choose another -o"
            ) from exc
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise UsageError(f"cannot write {target}: {_reason(exc)}") from exc
        raise
    _fsync(target.parent, directory=True)
