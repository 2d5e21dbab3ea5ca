"""``init``: the starter model and sample leads, written where the user asks."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from leadscore.errors import UsageError, for_count, squashed
from leadscore.model import default_model, default_model_text
from leadscore.model.quoting import basic_string

MODEL_NAME = "leadscore.toml"
LEADS_NAME = "sample_leads.csv"
SAMPLE_ROWS = 200

# What CRM exports call the built-in model's columns, besides the column's own name spelt another
# way ('Job Title'), most likely first: the labels and API names of Salesforce leads (Title, No. of
# Employees / NumberOfEmployees, Email Opt Out / HasOptedOutOfEmail, LastActivityDate), HubSpot
# contacts (Record ID / hs_object_id, numemployees, Country/Region, Number of Sessions /
# hs_analytics_num_visits, Marketing emails clicked / hs_email_click, Unsubscribed from all email /
# hs_email_optout, Last Activity Date / notes_last_updated), Dynamics 365 leads (leadid,
# emailaddress1, address1_country, donotbulkemail) and Marketo (Email Address). Compared as
# squashed() compares, so each is written once in any one spelling.
CRM_NAMES: dict[str, tuple[str, ...]] = {
    "lead_id": ("Id", "Record ID", "hs_object_id", "Contact ID", "Person ID"),
    "job_title": ("Title", "Position"),
    "industry": ("Sector",),
    "company_size": (
        "No. of Employees",
        "Number of Employees",
        "numemployees",
        "Employees",
        "Employee Count",
        "Headcount",
    ),
    "country": ("Country/Region", "address1_country", "Country Name"),
    "email": ("Email Address", "emailaddress1", "Work Email"),
    "website_visits": ("Web Visits", "Number of Sessions", "hs_analytics_num_visits"),
    "email_clicks": ("Marketing emails clicked", "hs_email_click"),
    "content_downloads": ("Downloads",),
    "pricing_page_views": ("Pricing Views",),
    "webinar_attended": ("Attended Webinar",),
    "demo_requested": ("Requested Demo", "Demo Request"),
    "unsubscribed": (
        "Email Opt Out",
        "HasOptedOutOfEmail",
        "Unsubscribed from all email",
        "hs_email_optout",
        "donotbulkemail",
    ),
    "last_activity": ("Last Activity Date", "notes_last_updated"),
}


@dataclass(frozen=True)
class Starter:
    """What ``init`` wrote, and what it could not fit to the user's leads file."""

    written: list[Path]
    renamed: dict[str, str]  # the built-in model's column -> the leads file's name for it
    missing: list[str]  # columns the model reads that the leads file does not have
    numbered: bool = False  # the file has no id column: the model says id = "row"
    left_out: list[str] = field(default_factory=list)  # rules commented out: they read a missing column
    # every rule reads a column the file lacks: the model is written whole, for its columns to be named
    no_rule_fits: bool = False
    missing_id: str | None = None  # the model's id column, which the file lacks, though it has id-like ones

    @property
    def scores_as_written(self) -> bool:
        """Whether the model scores the leads file as it is, before anyone edits it."""
        return not self.no_rule_fits and self.missing_id is None


def write_starter(
    folder: str | Path = ".", *, force: bool = False, columns: Sequence[str] | None = None
) -> Starter:
    """Write ``leadscore.toml`` and ``sample_leads.csv`` into ``folder``.

    With ``columns`` (the header of the user's own leads file), the model reads those columns
    where the file spells the built-in names another way ('Job Title' for job_title), and no
    sample leads are written. Rules that read a column the file does not have are written
    commented out, so the model scores the file as it is; unless that would leave no rule.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    model_path, leads_path = target / MODEL_NAME, target / LEADS_NAME
    paths = [model_path] if columns is not None else [model_path, leads_path]
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        verb = for_count(len(existing), "exists", "exist")
        raise UsageError(f"{names} already {verb}; use --force to overwrite, or init another folder")
    text, renamed, missing, numbered, left_out = default_model_text(), {}, [], False, []
    no_rule_fits, missing_id = False, None
    if columns is not None:
        from leadscore.ids import ROW_ID
        from leadscore.predictive.profile import guess_id_column

        model = default_model()
        renamed = own_names(model.lead_columns, columns)
        missing = [c for c in model.lead_columns if c not in columns and c not in renamed]
        # no column named like an id at all ('..._id' ones are left to the user): number the leads
        numbered = model.id_column in missing and guess_id_column(columns) is None
        if numbered:
            missing.remove(model.id_column)
        elif model.id_column in missing:
            missing_id = model.id_column
        text = with_columns_renamed(text, {**renamed, **({model.id_column: ROW_ID} if numbered else {})})
        lacking = {i: [c for c in r.columns if c in missing] for i, r in enumerate(model.rules)}
        lacking = {i: names for i, names in lacking.items() if names}
        if len(lacking) < len(model.rules):
            text = with_rules_commented_out(text, lacking)
            left_out = [model.rules[i].name for i in lacking]
        else:
            no_rule_fits = True
    model_path.write_text(text, encoding="utf-8")
    if columns is None:
        from leadscore.io import write_table
        from leadscore.synthetic import generate_leads

        write_table(generate_leads(SAMPLE_ROWS, seed=2026), leads_path)
    return Starter(paths, renamed, missing, numbered, left_out, no_rule_fits, missing_id)


def own_names(wanted: Sequence[str], have: Sequence[str]) -> dict[str, str]:
    """The name ``have`` (a leads file's header) gives each column of ``wanted`` that it does not
    hold as it is: the same name spelt another way ('Job Title' for job_title), else the first of
    CRM_NAMES the header holds ('Title'). A header name stands for one column at most, and a name
    the header holds in two spellings is passed over.

    >>> own_names(["lead_id", "job_title", "email"], ["Id", "Title", "Email", "Job Title"])
    {'lead_id': 'Id', 'job_title': 'Job Title', 'email': 'Email'}
    """
    spellings: dict[str, list[str]] = {}
    for name in have:
        spellings.setdefault(squashed(name), []).append(name)
    taken = set(wanted)  # a header name that is a column's own is never another's
    found = {}
    for column in wanted:
        if column in have:
            continue
        for known in (column, *CRM_NAMES.get(column, ())):
            matches = spellings.get(squashed(known), [])
            if len(matches) == 1 and matches[0] not in taken:
                found[column] = matches[0]
                taken.add(matches[0])
                break
    return found


def with_columns_renamed(text: str, renamed: Mapping[str, str]) -> str:
    """The model file ``text`` reading column ``new`` wherever it read ``old`` (``column = "old"``
    and ``id = "old"``), for each ``old -> new`` of ``renamed``."""
    if not renamed:
        return text
    olds = "|".join(re.escape(old) for old in renamed)
    pattern = re.compile(rf'\b(column|id)(\s*=\s*)"({olds})"')
    return pattern.sub(lambda m: f"{m[1]}{m[2]}{basic_string(renamed[m[3]])}", text)


def with_rules_commented_out(text: str, lacking: Mapping[int, Sequence[str]]) -> str:
    """The model file ``text`` with its ``[[rules]]`` tables numbered in ``lacking`` (from 0, in
    file order) commented out, each under a line naming the columns it lacks. Comments and
    blank lines between one table and the next are left as they are."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("[[rules]]")]
    for number in sorted(lacking, reverse=True):  # from the end, so earlier line numbers hold
        start = starts[number]
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1
        names = " and ".join(f"'{c}'" for c in lacking[number])
        why = (
            f"# Left out: the leads file has no {names} column. To use this rule, name the file's\n"
            "# column in it and take the '# ' off its lines.\n"
        )
        lines[start:end] = [why, *(f"# {line}" for line in lines[start:end])]
    return "".join(lines)
