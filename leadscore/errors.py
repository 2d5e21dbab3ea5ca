"""The one exception hierarchy of leadscore, and the exit codes the CLI maps it to.

Every error a user can cause is a :class:`LeadscoreError`. Its message is written for a
person who is not a programmer: it says what is wrong and how to fix it, in one line.
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any

EXIT_OK = 0
EXIT_ERROR = 1  # an input that cannot be used: a file not there or unreadable, bad data, a bad model
EXIT_USAGE = 2  # bad command-line usage, or an output that cannot be written where asked


class LeadscoreError(Exception):
    """Root of every error leadscore raises on purpose."""

    exit_code = EXIT_ERROR

    @property
    def lines(self) -> list[str]:
        """The message as lines to print, one problem per line."""
        return [str(self)]


class _Listed(LeadscoreError):
    """An error of several problems: printed a line each under ``header`` when there is more
    than one; one problem is the message itself."""

    problems: list[str]
    header: str

    @property
    def lines(self) -> list[str]:
        if len(self.problems) == 1:
            return [str(self)]
        return [f"{self.header}:"] + [f"  - {p}" for p in self.problems]


class ModelError(_Listed):
    """A model file that cannot be used. Carries every problem found, not just the first."""

    def __init__(self, problems: Sequence[str], source: str = "model") -> None:
        self.problems = list(problems)
        self.source = source
        self.header = f"{source} has {len(self.problems)} problems"
        if len(self.problems) == 1:
            # "b2b.toml is not valid TOML", but "b2b.toml: rule 'x' (#1): ..."
            sep = " " if self.problems[0].startswith("is ") else ": "
            message = f"{source}{sep}{self.problems[0]}"
        else:
            message = f"{self.header}: " + "; ".join(self.problems)
        super().__init__(message)


class InputError(LeadscoreError):
    """A leads (or events, or history) file that cannot be read or does not fit the model."""


class InputProblems(InputError, _Listed):
    """Several problems of one input (columns the model reads that it lacks, say)."""

    def __init__(self, problems: Sequence[str], header: str) -> None:
        self.problems = list(problems)
        self.header = header
        super().__init__("; ".join(self.problems))


def missing_columns_error(
    problems: Sequence[str], source: str, reader: str = "the model reads"
) -> InputProblems:
    """The columns ``source`` lacks (see ``engine.missing_columns``), one a line."""
    return InputProblems(problems, f"{source} lacks {len(problems)} of the columns {reader}")


def unreadable_columns_error(problems: Sequence[str]) -> InputProblems:
    """Columns none of whose values a rule can read (see ``readability``), one a line."""
    return InputProblems(problems, f"{len(problems)} columns hold no value the rules that read them can read")


class LeadsNotFound(InputError):
    """Lead ids asked for that the leads file does not hold; ``missing`` names them, so that a
    caller can still explain the others."""

    def __init__(self, message: str, missing: Sequence[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(message)


class WarningsAsErrors(InputError):
    """A run with warnings when they were asked to count as errors: nothing was written.

    ``result`` is what was scored (a :class:`~leadscore.engine.ScoredLeads`), for a summary.
    """

    def __init__(self, warnings: Sequence[str], result: Any = None) -> None:
        self.warnings = tuple(warnings)
        self.result = result
        count = f"{len(self.warnings)} warning" + ("s" if len(self.warnings) != 1 else "")
        super().__init__(f"{count} and --fail-on-warnings: nothing was written")


class UsageError(LeadscoreError):
    """Options that do not go together, or name something that does not exist (a --target
    column), or an output that cannot be written where asked (its folder is not there, it would
    replace an input). An input file that is not there is an :class:`InputError`."""

    exit_code = EXIT_USAGE


# what str.splitlines() breaks a line at, each written as a TOML string escapes it
_LINE_BREAKS = str.maketrans(
    {"\n": "\\n", "\r": "\\r", "\v": "\\u000b", "\f": "\\f"}
    | {c: f"\\u{ord(c):04x}" for c in "\x1c\x1d\x1e\x85\u2028\u2029"}
)


def one_line(text: str) -> str:
    r"""``text`` with its line breaks written ``\n`` (and the like), as a TOML string writes them: a
    column name or a cell with a line break in it (Alt+Enter in Excel) keeps a message on its line.

    >>> one_line("column 'Annual\nRevenue' is not in leads.csv")
    "column 'Annual\\nRevenue' is not in leads.csv"
    """
    return text.replace("\r\n", "\n").translate(_LINE_BREAKS)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest candidate, or ``""``.

    A repeated column the reader renamed (``email_2`` beside ``email``) is no answer for a word
    that does not end in a number: it would only match on the shared start.

    >>> did_you_mean("email_clicks", ["email", "email_2", "company"])
    ''
    >>> did_you_mean("phone_3", ["phone", "phone_2"])
    " (did you mean 'phone_2'?)"
    """
    pool = list(candidates)
    if not word[-1:].isdigit():
        names = set(pool)
        pool = [c for c in pool if not _is_repeat(c, names)]
    lowered = {c.lower(): c for c in pool}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=3, cutoff=0.6)
    matches = [c for c in close if _alike(word.lower(), c)]
    return f" (did you mean '{lowered[matches[0]]}'?)" if matches else ""


def _alike(word: str, candidate: str) -> bool:
    """Close enough to suggest: most letters shared, or one name inside the other, or a weaker
    likeness that starts with the same letter ('email' is not 'marital', though 4 letters match).

    >>> _alike("email", "marital"), _alike("visits", "website_visits"), _alike("emial", "email")
    (False, True, True)
    """
    if word in candidate or candidate in word or word[:1] == candidate[:1]:
        return True
    return difflib.SequenceMatcher(None, word, candidate).ratio() >= 0.7


def _is_repeat(name: str, names: set[str]) -> bool:
    base, _, number = name.rpartition("_")
    return number.isdigit() and base in names


def did_you_mean_file(name: str, candidates: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` for the file among ``candidates`` (names in one folder) that
    ``name``, a file that is not there, most likely meant; or ``""``.

    Names are compared without their extension, so that 'crm.csv' is not taken for 'out.csv' on
    the strength of '.csv' alone, and a wrong extension ('leads.cvs') still finds 'leads.csv'. A
    name that differs only in case comes first, and is said to: that is the mistake where case
    counts (elsewhere the file would have been found).

    >>> did_you_mean_file("lead.csv", ["leads.xlsx", "leads.csv", "out.csv"])
    " (did you mean 'leads.csv'?)"
    >>> did_you_mean_file("crm.csv", ["out.csv"])
    ''
    >>> did_you_mean_file("Leads.csv", ["leads.csv"])
    " (did you mean 'leads.csv'? the names differ in case)"
    """
    pool = list(candidates)
    for candidate in pool:
        if candidate.casefold() == name.casefold():
            return f" (did you mean '{candidate}'? the names differ in case)"
    suffix = PurePath(name).suffix.casefold()
    stems: dict[str, str] = {}
    for candidate in sorted(pool, key=lambda c: PurePath(c).suffix.casefold() != suffix):  # its own first
        stems.setdefault(PurePath(candidate).stem.casefold(), candidate)
    matches = difflib.get_close_matches(PurePath(name).stem.casefold(), list(stems), n=1, cutoff=0.6)
    return f" (did you mean '{stems[matches[0]]}'?)" if matches else ""


def close_names(word: str, candidates: Iterable[str], limit: int = 3) -> str:
    """Name the candidates closest to ``word`` for a message; with none close, list them all.

    >>> close_names("lead_id", ["Lead ID", "name", "lead_ids"])
    " (close names: 'Lead ID', 'lead_ids')"
    >>> close_names("lead_id", ["Lead ID", "name", "LeadId"])  # one name, spelt two ways
    " (did you mean 'Lead ID'?)"
    >>> close_names("lead_id", ["name", "email"])
    " (its columns are 'name', 'email')"
    """
    pool = list(candidates)
    matches = close_matches(word, pool, limit)
    if len(matches) == 1:
        return f" (did you mean '{matches[0]}'?)"
    if matches:
        return f" (close names: {quote_list(matches)})"
    return f" (its columns are {quote_list(pool, limit=8)})" if pool else ""


def close_matches(word: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """The candidates :func:`close_names` names for ``word``, closest first: compared with case,
    spaces and punctuation ignored, a name in two spellings once.

    >>> close_matches("lead_id", ["Lead ID", "name", "LeadId", "lead_ids"])
    ['Lead ID', 'lead_ids']
    """
    lowered: dict[str, str] = {}
    for c in candidates:
        lowered.setdefault(squashed(c), c)
    return [lowered[m] for m in difflib.get_close_matches(squashed(word), list(lowered), n=limit, cutoff=0.6)]


def spelt_differently(wanted: Iterable[str], have: Iterable[str]) -> dict[str, str]:
    """Each name in ``wanted`` that ``have`` holds only spelt another way (case, spaces,
    punctuation), with that spelling. A name ``have`` holds as it is, or in two spellings, is
    left out.

    >>> spelt_differently(["lead_id", "job_title", "email", "country"], ["Lead ID", "JobTitle", "E-mail", "EMAIL", "country"])
    {'lead_id': 'Lead ID', 'job_title': 'JobTitle'}
    """
    pool = list(have)
    spellings: dict[str, list[str]] = {}
    for name in pool:
        spellings.setdefault(squashed(name), []).append(name)
    found = {}
    for name in wanted:
        matches = spellings.get(squashed(name), [])
        if name not in pool and len(matches) == 1:
            found[name] = matches[0]
    return found


def squashed(name: str) -> str:
    """'Lead ID', 'lead-id' and 'LeadId' all compare as 'leadid'."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


def counted(count: int, noun: str) -> str:
    """``count`` followed by ``noun``, in the plural unless it is one.

    >>> counted(1, "rule"), counted(0, "rule"), counted(1200, "lead")
    ('1 rule', '0 rules', '1,200 leads')
    """
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def for_count(count: int, one: str, many: str) -> str:
    """The word that agrees with ``count`` things: ``one`` for 1, else ``many``.

    >>> f"{counted(1, 'row')} {for_count(1, 'was', 'were')} left out"
    '1 row was left out'
    """
    return one if count == 1 else many


def quote_list(values: Iterable[object], limit: int = 16, *, total: int | None = None) -> str:
    """Render values as ``'a', 'b', 'c'`` for a message, shortening long lists.

    ``total`` is how many values there are when ``values`` holds only the first of them, so that
    "(N more)" counts the real list.

    >>> quote_list(["a", "b", "c"], limit=2)
    "'a', 'b', ... (1 more)"
    >>> quote_list(["a", "b", "c"], limit=2, total=40)
    "'a', 'b', ... (38 more)"
    """
    items = [f"'{v}'" for v in values]
    count = max(len(items), total or 0)
    if count > limit:
        items = [*items[:limit], f"... ({count - limit} more)"]
    return ", ".join(items)


_PLAIN_ARG = re.compile(r"[\w@%+=:,./-]+")


def shell_arg(value: object) -> str:
    r"""``value`` as one argument of a command a message suggests, ready to copy: as it is when no
    shell splits it, else in double quotes, which every shell (cmd, PowerShell, sh) reads the
    same; in POSIX single quotes when it holds what double quotes would not keep.

    >>> print(shell_arg("leads.csv"), shell_arg(r"C:\My Files\leads.csv"), shell_arg("it's $5.csv"))
    leads.csv "C:\My Files\leads.csv" 'it'"'"'s $5.csv'
    """
    text = str(value)
    if _PLAIN_ARG.fullmatch(text):
        return text
    if re.search(r'["$`!]|\\\\|\\$', text):
        return shlex.quote(text)
    return f'"{text}"'
