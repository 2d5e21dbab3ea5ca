"""Time ``leadscore`` against the floor (Polars reading, sorting and writing the same CSV).

Every case runs in a fresh process (the real ``leadscore`` command, ``--quiet``), so start-up and
imports count, as they do for a user. For each case the table shows the median wall time of
``--repeat`` runs, that time divided by the floor's on the same file, the peak resident memory
of the process (the largest of the runs) and leads per second::

    uv run python bench/run.py                          # 10k and 100k leads: a minute
    uv run python bench/run.py --sizes 100k,1M,10M --repeat 3 --markdown bench/RESULTS.md

Input files are generated once into ``bench/out`` (see ``bench/generate.py``) and reused.
The machine is shared: take the median of several runs, and read the CPU column too.

This process imports neither Polars nor leadscore: Linux reports a child's peak memory as at
least its parent's at the time it was started, so the parent must stay small.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import generate  # bench/generate.py, beside this file

BENCH = Path(__file__).parent
MODEL = BENCH / "model40.toml"
EVENTS_MODEL = BENCH / "model40_events.toml"
AS_OF = "2026-11-01"  # the day the synthetic data is built around
STREAMING_ABOVE = 2**30  # bytes: leadscore.cli.score.STREAMING_ABOVE_GB


@dataclass(frozen=True)
class Case:
    name: str
    rows: int  # leads the case reads
    command: list[str]
    floor: str | None = None  # the floor case this one is compared with
    size: int | None = None  # bytes of the leads file


@dataclass(frozen=True)
class Timing:
    case: Case
    seconds: float  # median wall time
    cpu: float  # median user + system time
    peak_mb: float  # largest peak RSS over the runs


def leadscore_command() -> list[str]:
    """The installed ``leadscore`` script beside this Python, else the CLI through ``-c``."""
    script = Path(sys.executable).with_name("leadscore")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from leadscore.cli import main; main()"]


def middle_id(rows: int) -> str:
    """The id of the lead half way down a generated file, e.g. L0500000 for 1M leads."""
    return "L" + str(max(rows // 2, 1)).zfill(max(4, len(str(rows))))


def warm_bytecode() -> None:
    """Compile leadscore and its libraries to bytecode, as an installed tool has them.

    With PYTHONDONTWRITEBYTECODE set (as on some CI machines) every run would otherwise compile
    each module it imports again: close to a second of every case, the floor's included.
    """
    paths = {
        sysconfig.get_paths()["purelib"],
        sysconfig.get_paths()["platlib"],
        str(BENCH.parent / "leadscore"),
    }
    command = [sys.executable, "-m", "compileall", "-q", "-j", "0", *sorted(paths)]
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def generate_files(
    sizes: Sequence[int], out: Path, *, events: int | None, explain: int | None, xlsx: int | None
) -> None:
    """Write the input files that are not there yet, in a separate process (see the module docstring)."""
    wanted = sorted({*sizes, *(n for n in (events, explain, xlsx) if n is not None)})
    command = [
        sys.executable,
        str(BENCH / "generate.py"),
        "--out",
        str(out),
        "--sizes",
        ",".join(map(str, wanted)),
    ]
    if events is not None:
        command += ["--events", str(events)]
    if xlsx is not None:
        command += ["--xlsx", str(xlsx)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def plan_cases(
    sizes: Sequence[int], out: Path, *, events: int | None, explain: int | None, xlsx: int | None
) -> list[Case]:
    """List the cases to run, on the files :func:`generate_files` wrote."""
    cli = leadscore_command()

    def score(source: Path, target: str, model: Path = MODEL, *more: str) -> list[str]:
        return [*cli, "score", str(source), "-m", str(model), "-o", str(out / target), "--as-of", AS_OF,
                "--quiet", *more]  # fmt: skip

    cases: list[Case] = [Case("leadscore --help (start-up)", 0, [*cli, "--help"])]
    for rows in sizes:
        leads, label = generate.leads_path(rows, out), generate.size_label(rows)
        size = leads.stat().st_size
        floor = [sys.executable, str(BENCH / "floor.py"), str(leads), str(out / f"floor_{label}.csv")]
        cases.append(Case(f"floor {label}", rows, floor, size=size))
        streamed = " (streaming)" if size >= STREAMING_ABOVE else ""  # what leadscore chooses by itself
        command = score(leads, f"scored_{label}.csv")
        cases.append(Case(f"score {label}{streamed}", rows, command, f"floor {label}", size))
    if events is not None:
        leads, log = generate.leads_path(events, out), generate.events_path(events, out)
        label, n = generate.size_label(events), generate.size_label(events * generate.EVENTS_PER_LEAD)
        command = score(leads, "scored_events.csv", EVENTS_MODEL, "--events", str(log))
        cases.append(Case(f"score with events {label} + {n} events", events, command, f"floor {label}", 0))
    if explain is not None:
        leads = generate.leads_path(explain, out)
        command = [*cli, "explain", middle_id(explain), "--input", str(leads), "-m", str(MODEL), "--as-of",
                   AS_OF, "--json"]  # fmt: skip
        cases.append(Case(f"explain 1 lead of {generate.size_label(explain)}", explain, command))
    if xlsx is not None:
        leads, book = generate.leads_path(xlsx, out), generate.leads_path(xlsx, out, "xlsx")
        label = generate.size_label(xlsx)
        cases.append(Case(f"score {label} .xlsx in", xlsx, score(book, f"scored_{label}_from_xlsx.csv")))
        cases.append(Case(f"score {label} .xlsx out", xlsx, score(leads, f"scored_{label}.xlsx")))
    return [c for c in cases if c.floor is None or any(f.name == c.floor for f in cases)]


def run_once(case: Case, cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one run of the case, in its own process."""
    started = time.perf_counter()
    child = subprocess.Popen(case.command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    # wait4 reports the resources of this one child (RUSAGE_CHILDREN would sum every child so far)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    errors = child.stderr.read().decode(errors="replace")
    child.stderr.close()
    if child.returncode != 0:
        raise SystemExit(f"{case.name} failed (exit {child.returncode}): {' '.join(case.command)}\n{errors}")
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    return seconds, usage.ru_utime + usage.ru_stime, peak_mb


def run_cases(cases: Sequence[Case], repeat: int, work: Path) -> list[Timing]:
    timings = []
    for number, case in enumerate(cases):
        # a folder of its own: score remembers its files there, and explain would reuse them
        cwd = work / f"case{number}"
        cwd.mkdir()
        runs = [run_once(case, cwd) for _ in range(repeat)]
        timing = Timing(
            case,
            seconds=statistics.median(r[0] for r in runs),
            cpu=statistics.median(r[1] for r in runs),
            peak_mb=max(r[2] for r in runs),
        )
        timings.append(timing)
        print(
            f"  {case.name:34s} {timing.seconds:7.2f} s  {timing.peak_mb:7.0f} MB",
            file=sys.stderr,
            flush=True,
        )
    return timings


HEADERS = ("case", "rows", "seconds", "x floor", "CPU s", "peak RSS MB", "RSS / CSV", "rows/s")


def table_rows(timings: Sequence[Timing]) -> list[tuple[str, ...]]:
    floors = {t.case.name: t.seconds for t in timings if t.case.name.startswith("floor")}
    rows = []
    for t in timings:
        c = t.case
        ratio = f"{t.seconds / floors[c.floor]:.2f}" if c.floor in floors else ""
        per_csv = (
            f"{t.peak_mb * 2**20 / c.size:.1f}" if c.size and c.name.startswith(("floor", "score")) else ""
        )
        rate = f"{c.rows / t.seconds:,.0f}" if c.rows and not c.name.startswith("explain") else ""
        rows.append((c.name, f"{c.rows:,}" if c.rows else "", f"{t.seconds:.2f}", ratio, f"{t.cpu:.2f}",
                     f"{t.peak_mb:,.0f}", per_csv, rate))  # fmt: skip
    return rows


def text_table(rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in [HEADERS, *rows]) for i in range(len(HEADERS))]
    lines = [
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(HEADERS, widths, strict=True))
        )
    ]
    for row in rows:
        lines.append(
            "  ".join(
                v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return "\n".join(lines)


def markdown_table(rows: Sequence[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "|".join(["---", *["---:"] * (len(HEADERS) - 1)]) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    code = "import polars; print(polars.__version__)"
    polars = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), {memory:.0f} GB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, Polars {polars}"
    )


def parse_sizes(text: str) -> list[int]:
    return [generate.parse_size(s) for s in text.split(",") if s.strip()]


def main(argv: Sequence[str] | None = None) -> list[Timing]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="10k,100k", help="Leads per file, e.g. 100k,1M,10M (default 10k,100k)."
    )
    parser.add_argument("--repeat", type=int, default=1, help="Runs per case; the table shows the median.")
    parser.add_argument(
        "--events", default="auto", help="Leads of the events case (ten events a lead); 'no' to skip."
    )
    parser.add_argument(
        "--explain", default="auto", help="Leads of the file to explain one lead of; 'no' to skip."
    )
    parser.add_argument("--xlsx", default="auto", help="Leads of the .xlsx in/out cases; 'no' to skip.")
    parser.add_argument(
        "--out", type=Path, default=generate.OUT, help="Folder for the files (default bench/out)."
    )
    parser.add_argument("--markdown", type=Path, help="Also write the table as Markdown to this file.")
    args = parser.parse_args(argv)

    sizes = parse_sizes(args.sizes)
    middle = max([s for s in sizes if s <= 1_000_000] or [min(sizes)])  # 1M when it is one of the sizes
    small = min(sizes, key=lambda s: abs(s - 100_000))  # 100k when it is one of the sizes

    def pick(value: str, default: int) -> int | None:
        return None if value == "no" else default if value == "auto" else generate.parse_size(value)

    chosen = {
        "events": pick(args.events, middle),
        "explain": pick(args.explain, middle),
        "xlsx": pick(args.xlsx, small),
    }
    print(f"generating into {args.out} (files that exist are reused)", file=sys.stderr, flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    generate_files(sizes, args.out, **chosen)
    warm_bytecode()
    cases = plan_cases(sizes, args.out, **chosen)
    work = args.out / "work"  # score and explain run here: they keep a small state file in their folder
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    print(f"running {len(cases)} cases, {args.repeat} time(s) each", file=sys.stderr, flush=True)
    timings = run_cases(cases, args.repeat, work)
    rows = table_rows(timings)
    print(text_table(rows))
    print(f"\n{machine()}; median of {args.repeat} run(s)")
    if args.markdown is not None:
        body = markdown_table(rows) + f"\n\n{machine()}; median of {args.repeat} run(s).\n"
        args.markdown.write_text(body, encoding="utf-8")
    return timings


if __name__ == "__main__":
    main()
