"""Files to read that are not there: one line, with the file most likely meant.

The readers check every file they open (:func:`missing_file`), but only a command knows what it
is about to write, and a file it would write is never the one to read: 'score crm.csv -o
out.csv' must not suggest 'out.csv'. So each command checks its input files first with
:func:`require_files`, naming what it writes.

Files that are there but hold no leads: Excel's lock file beside a workbook open in Excel,
which a ``*.xlsx`` names too, is left out by :func:`without_lock_files`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path

from leadscore.errors import InputError, did_you_mean_file

STDIN = "-"
# What leadscore writes beside its inputs by default: <stem>.scored.csv, .scored.accounts.csv, .rejects.csv
OWN_OUTPUTS = ("scored", "accounts", "rejects")
LISTED = 5000  # files looked at in a folder, for one that was meant
# Excel's lock file beside a workbook open in Excel: ~$leads.xlsx, a few bytes naming who opened it
LOCK_PREFIX = "~$"
_LOCKED = (".xlsx", ".xlsm")
ZIP_SIGNATURE = b"PK\x03\x04"  # every .xlsx (a zip package) starts so; Excel's lock file does not


def require_files(
    paths: Iterable[str | Path | None],
    *,
    writes: Iterable[str | Path | None] = (),
    scored: bool = False,
) -> None:
    """Raise :class:`InputError` for the first of ``paths`` that does not exist, naming the file
    in its folder it most likely meant: one leadscore can read, never one of ``writes`` (what the
    command would write), and not one of leadscore's own outputs (``leads.scored.csv``) unless
    ``scored`` (the command reads scored leads). ``None`` and ``-`` (stdin) are passed over.
    """
    given = [p for p in paths if p is not None and str(p) != STDIN]
    for path in map(Path, given):
        if not path.exists():
            raise missing_file(path, str(path), writes=writes, scored=scored)


def without_lock_files(sources: Sequence[str | Path]) -> tuple[list[str | Path], list[str]]:
    """``sources`` without Excel's lock files (``~$leads.xlsx``), and a notice naming each one
    left out; an :class:`InputError` when nothing else is left to read."""
    locks = [source for source in sources if _is_lock_file(source)]
    if not locks:
        return list(sources), []
    kept = [source for source in sources if source not in locks]
    if not kept:
        workbook = _locked_workbook(locks[0])
        raise InputError(
            f"{locks[0]} is Excel's lock file for {workbook}, which is open in Excel, not a workbook; "
            f"give {workbook} itself"
        )
    notices = [
        f"{lock}: left out: it is Excel's lock file for {_locked_workbook(lock)}, which is open in Excel"
        for lock in locks
    ]
    return kept, notices


def _is_lock_file(source: str | Path) -> bool:
    path = Path(source)
    if not path.name.startswith(LOCK_PREFIX) or path.suffix.lower() not in _LOCKED or not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            return handle.read(len(ZIP_SIGNATURE)) != ZIP_SIGNATURE
    except OSError:  # Excel, on Windows, may hold its lock file open to itself
        return True


def _locked_workbook(lock: str | Path) -> str:
    path = Path(lock)
    return str(path.with_name(path.name.removeprefix(LOCK_PREFIX)))


def missing_file(
    path: Path, name: str, *, writes: Iterable[str | Path | None] = (), scored: bool = True
) -> InputError:
    """The error for ``path`` (shown as ``name``) not being there, with the file meant if one is."""
    return InputError(f"{name}: file not found{_meant(path, writes, scored)}")


def _meant(path: Path, writes: Iterable[str | Path | None], scored: bool) -> str:
    from leadscore.io.readers import INPUT_EXTENSIONS

    folder = path.parent
    if not folder.is_dir():
        return ""
    # compared without case: where names ignore it, 'OUT.CSV' is the out.csv being written
    written = {_key(Path(w)) for w in writes if w is not None and str(w) != STDIN}
    names = []
    for candidate in itertools.islice(folder.iterdir(), LISTED):
        name = candidate.name
        if name.startswith((".", LOCK_PREFIX)) or candidate.suffix.lower() not in INPUT_EXTENSIONS:
            continue  # hidden (a run's record, a half-written output), Excel's lock file, or no leads file
        if not scored and any(part in OWN_OUTPUTS for part in name.lower().split(".")[1:-1]):
            continue
        if _key(candidate) in written or not candidate.is_file():
            continue
        names.append(name)
    return did_you_mean_file(path.name, names)


def _key(path: Path) -> str:
    return str(path.resolve()).casefold()
