"""Where a score run spends its time: CPU seconds per stage of the scoring query.

Each stage is the query up to that point, collected on its own; the table shows what each
stage adds to the one before. CPU time (all threads) is steadier than wall time on a busy
machine, so that is what is shown::

    uv run python bench/profile_stages.py bench/out/leads_1m.csv -m bench/model40.toml

Python-level profilers (py-spy, pyinstrument) see one ``collect`` call here: the time is spent
inside Polars, so this splits the query instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

from leadscore.compiler import compile_model
from leadscore.engine import add_scores, build_query
from leadscore.inputs import read_leads
from leadscore.model import load_model

AS_OF = dt.date(2026, 11, 1)


def cpu_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return statistics.median(times)


def consume(frame: pl.LazyFrame) -> None:
    """Compute every column without keeping any: a count per column is all that is collected."""
    frame.select(pl.all().null_count()).collect()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("leads", type=Path)
    parser.add_argument("-m", "--model", type=Path, default=Path(__file__).parent / "model40.toml")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    model = load_model(args.model)
    read_started = time.process_time()
    leads = read_leads([args.leads]).frame
    read_seconds = time.process_time() - read_started
    query = build_query(leads, model, as_of=AS_OF)
    ctx = query.context
    compiled_readings = ctx.add_readings(leads)
    no_reasons = add_scores(compiled_readings, model, compile_model(model, ctx), reasons=False)
    with_reasons = query.detail
    aggregates = [q for q in (query.rule_stats, query.readability) if q is not None]
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "scored.csv"
        stages: list[tuple[str, Callable[[], object]]] = [
            ("scan the CSV", lambda: consume(leads)),
            ("+ readings (text, numbers, dates, yes/no)", lambda: consume(compiled_readings)),
            ("+ rules, dimensions, tier, grade, qualified", lambda: consume(no_reasons)),
            ("+ reasons", lambda: consume(with_reasons)),
            ("+ sort and rank", query.ranked.collect),
            ("+ report aggregates (one collect_all)", lambda: pl.collect_all([query.ranked, *aggregates])),
            ("+ write the CSV", lambda: query.ranked.sink_csv(target)),
        ]
        print(f"{'checking pass of the CSV reader':48s} {read_seconds:7.2f}")
        before = 0.0
        for label, run in stages:
            seconds = cpu_seconds(run, args.repeat)
            print(f"{label:48s} {seconds:7.2f}  ({seconds - before:+.2f})", flush=True)
            before = seconds


if __name__ == "__main__":
    main()
