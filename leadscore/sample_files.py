"""The committed ``sample_data/`` files, built from :mod:`leadscore.synthetic` with fixed seeds.

``uv run python -m leadscore.synthetic sample_data`` (or ``-m leadscore.sample_files``)
rewrites them; a test fails when the committed files differ from a fresh run.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import polars as pl

from leadscore.synthetic import (
    AS_OF,
    EVENT_NAMES,
    LEAD_COLUMNS,
    generate_adjustments,
    generate_events,
    generate_history,
    generate_history_events,
    generate_leads,
)


def _sample_leads_file(leads: pl.DataFrame, strangers: pl.DataFrame) -> pl.DataFrame:
    """Leads as a real export arrives: three people exported twice, and rows with no id."""
    reexported = leads[[17, 123, 288]].with_columns(
        website_visits=pl.col("website_visits") + 2,
        last_activity=pl.lit((AS_OF - timedelta(days=2)).isoformat()),
        job_title=pl.col("job_title").str.strip_chars().str.to_uppercase(),
    )
    no_id = strangers.with_columns(lead_id=pl.lit(None, dtype=pl.String))
    return pl.concat([leads[:150], no_id[:1], leads[150:300], no_id[1:], leads[300:], reexported])


_README = """\
# Sample data

Synthetic CRM data for trying leadscore. Every name, company and e-mail address is made up;
corporate domains and rep addresses use the reserved `.test` domain. All files are UTF-8,
comma-separated, and were written by `uv run python -m leadscore.synthetic sample_data`
(`leadscore/synthetic/`, fixed seeds, so the output is the same on every run).

**leads.csv** ({leads} rows): 400 leads as exported from a CRM, plus three later re-exports
of leads already in the file (same `lead_id`, newer activity) and two rows with no `lead_id`.
Columns:
{lead_columns}.
Deliberately messy: stray spaces and odd casing in job titles and industries, placeholders
such as "N/A", "Select" and "-", blank cells, company sizes written as "1,200", and demo
requests written as "Yes", "TRUE", "y" or "1".

**activity.csv** ({events} rows): an activity log for those leads, with columns `lead_id`, `event`,
`timestamp`, `url`. Events are {event_types}. Timestamps mix `2026-10-03T14:22:05Z`,
`2026-10-03T16:22:05+02:00` and naive `2026-10-03 14:22:05` (UTC) forms; a few fall after
2026-11-01 and about 1% name a lead id that is not in leads.csv.

**history.csv** ({history} rows): past leads with their outcome, for fitting and evaluating
predictive models: the lead columns plus `converted` ("yes"/"no", empty while still open)
and `closed_at`. Conversion is highest for companies of 200-2000 employees.

**history_activity.csv** ({history_events} rows): the activity log of those past leads, with
columns `lead_id`, `event`, `timestamp`, `url`: their visits, clicks, downloads, webinars, demo requests
and unsubscribes as events between each lead's creation and its close. Converted leads keep
visiting and opening e-mails after `closed_at`, as customers do: measure and learn with
`--events-until closed_at`, or those events give the outcome away.

**adjustments.csv** ({adjustments} rows): manual score changes by sales reps, with columns
`lead_id`, `points`, `reason`, `by`, `expires` (empty for no expiry). Two rows name a lead id
that is not in leads.csv.
"""


def write_sample_data(directory: Path) -> dict[str, int]:
    """Write the sample files into ``directory``; return the row count of each CSV file."""
    directory.mkdir(parents=True, exist_ok=True)
    everyone = generate_leads(402, seed=7)
    leads = everyone[:400]
    files = {
        "leads.csv": _sample_leads_file(leads, everyone[400:]),
        "activity.csv": generate_events(leads, 6_000, seed=7),
        "history.csv": generate_history(5_000, seed=11),
        "history_activity.csv": generate_history_events(5_000, seed=11),
        "adjustments.csv": generate_adjustments(leads, 12, seed=5),
    }
    for name, frame in files.items():
        frame.write_csv(directory / name)
    rows = {name: frame.height for name, frame in files.items()}
    readme = _README.format(
        leads=rows["leads.csv"],
        events=f"{rows['activity.csv']:,}",
        history=f"{rows['history.csv']:,}",
        history_events=f"{rows['history_activity.csv']:,}",
        adjustments=rows["adjustments.csv"],
        lead_columns=", ".join(f"`{c}`" for c in LEAD_COLUMNS),
        event_types=", ".join(f"`{e}`" for e in EVENT_NAMES),
    )
    (directory / "README.md").write_text(readme, encoding="utf-8")
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    """Regenerate the sample files: ``python -m leadscore.synthetic [DIRECTORY]``."""
    args = sys.argv[1:] if argv is None else list(argv)
    write_sample_data(Path(args[0] if args else "sample_data"))


if __name__ == "__main__":
    main()
