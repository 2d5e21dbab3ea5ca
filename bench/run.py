"""Time leadscore against the floor (Polars alone reading, sorting and writing the same CSV).

Every case runs in a fresh subprocess, so start-up, reading and writing are all counted, and
its peak memory is that process's own. Each case runs ``--repeat`` times; the table shows the
median time and the largest peak memory::

    uv run python bench/run.py --sizes 100k,1M --repeat 3 --markdown bench/RESULTS.md

Files come from bench/generate.py (written on first use, reused afterwards).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import (
    OUT,
    events_path,
    leads_path,
    parse_size,
    size_label,
    write_events,
    write_leads,
    write_xlsx,
)

HERE = Path(__file__).parent
MODEL = HERE / "model40.toml"
EVENTS_MODEL = HERE / "model40_events.toml"
AS_OF = "2026-11-01"

FLOOR = """
import sys, polars as pl
src, dst = sys.argv[1], sys.argv[2]
pl.scan_csv(src, infer_schema=False).sort("company_size").sink_csv(dst)
"""


@dataclass(frozen=True)
class Case:
    name: str
    rows: int
    command: list[str]
    floor: str | None = None  # the case whose time this one is compared with


@dataclass(frozen=True)
class Timing:
    case: Case
    seconds: float
    peak_mb: float


def leadscore(*args: str) -> list[str]:
    return [sys.executable, "-c", "from leadscore.cli import main; main()", *args]


def run_once(command: list[str]) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one child process."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own peak memory, not the parent's
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"failed: {' '.join(command)}\n{errors.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def cases(sizes: Sequence[int], events: bool, xlsx: int | None, out: Path) -> list[Case]:
    found: list[Case] = []
    for rows in sizes:
        src = write_leads(rows, out)
        label = size_label(rows)
        floor = f"floor {label}"
        found.append(
            Case(floor, rows, [sys.executable, "-c", FLOOR, str(src), str(out / f"floor_{label}.csv")])
        )
        found.append(
            Case(
                f"score {label} x 40 rules", rows,
                leadscore("score", str(src), "-m", str(MODEL), "-o", str(out / f"scored_{label}.csv"),
                          "--as-of", AS_OF, "--quiet"),
                floor,
            )
        )  # fmt: skip
        if rows >= 1_000_000:
            middle = f"L{rows // 2:0{len(str(rows))}d}"
            found.append(
                Case(f"explain 1 lead of {label}", rows,
                     leadscore("explain", middle, "--input", str(src), "-m", str(MODEL), "--as-of", AS_OF, "--json"))
            )  # fmt: skip
    if events:
        rows = max(sizes)
        log = events_path(rows, out) if events_path(rows, out).exists() else write_events(rows, out)
        found.append(
            Case(
                f"score {size_label(rows)} + events", rows,
                leadscore("score", str(leads_path(rows, out)), "-m", str(EVENTS_MODEL), "--events", str(log),
                          "-o", str(out / "scored_events.csv"), "--as-of", AS_OF, "--quiet"),
                f"floor {size_label(rows)}",
            )
        )  # fmt: skip
    if xlsx:
        book = write_xlsx(xlsx, out)
        found.append(
            Case(f"xlsx in and out {size_label(xlsx)}", xlsx,
                 leadscore("score", str(book), "-m", str(MODEL), "-o", str(out / "scored.xlsx"), "--as-of", AS_OF, "--quiet"))
        )  # fmt: skip
    return found


def table(timings: Sequence[Timing]) -> list[str]:
    by_name = {t.case.name: t for t in timings}
    lines = ["| case | rows | seconds | x floor | peak RSS MB | rows/s |", "|---|---:|---:|---:|---:|---:|"]
    for t in timings:
        ratio = f"{t.seconds / by_name[t.case.floor].seconds:.2f}" if t.case.floor in by_name else ""
        lines.append(
            f"| {t.case.name} | {t.case.rows:,} | {t.seconds:.2f} | {ratio} | {t.peak_mb:,.0f} | "
            f"{t.case.rows / t.seconds:,.0f} |"
        )
    return lines


def machine() -> str:
    import polars as pl

    cores = os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cores} cores, {memory:.0f} GB RAM, Python {platform.python_version()}, Polars {pl.__version__}, "
        f"{platform.system()} {platform.machine()}"
    )


def main(argv: Sequence[str] | None = None) -> list[Timing]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k", help="Leads file sizes, e.g. 100k,1M,10M.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs per case; the median is shown.")
    parser.add_argument(
        "--events", action="store_true", help="Also score the largest size with 10 events per lead."
    )
    parser.add_argument(
        "--xlsx", default=None, help="Also read and write an .xlsx file of this size, e.g. 100k."
    )
    parser.add_argument(
        "--out", type=Path, default=OUT, help="Folder for generated files (default: bench/out)."
    )
    parser.add_argument(
        "--markdown", type=Path, default=None, help="Also write the table to this Markdown file."
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    todo = cases(sizes, args.events, parse_size(args.xlsx) if args.xlsx else None, args.out)
    timings = []
    for case in todo:
        runs = [run_once(case.command) for _ in range(args.repeat)]
        timings.append(Timing(case, statistics.median(r[0] for r in runs), max(r[1] for r in runs)))
        print(f"{case.name}: {timings[-1].seconds:.2f} s", file=sys.stderr)
    lines = [f"Machine: {machine()}; median of {args.repeat} run(s).", "", *table(timings)]
    print("\n".join(lines))
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return timings


if __name__ == "__main__":
    main()
