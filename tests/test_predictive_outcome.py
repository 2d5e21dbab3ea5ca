"""Reading the outcome column: the usual spellings, --positive, empty cells, and helpful errors."""

from __future__ import annotations

import polars as pl
import pytest

from leadscore import InputError, UsageError
from leadscore.predictive.outcome import read_outcome, require_both_outcomes


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["yes", "No", " YES ", "n", "Y"], [True, False, True, False, True]),
        (["1", "0", "1"], [True, False, True]),
        ([1, 0, None], [True, False, None]),
        ([1.0, 0.0], [True, False]),
        ([True, False, None], [True, False, None]),
        (["won", "Lost", "WON"], [True, False, True]),
        (["true", "FALSE"], [True, False]),
        (["converted", "not converted", "Not"], [True, False, False]),
    ],
)
def test_usual_spellings(values: list[object], expected: list[bool | None]) -> None:
    assert read_outcome(pl.DataFrame({"y": values}), "y").values.to_list() == expected


def test_empty_cells_and_placeholders_are_left_out_and_counted() -> None:
    outcome = read_outcome(pl.DataFrame({"y": ["yes", "", None, "N/A", "no", "  "]}), "y")
    assert outcome.values.to_list() == [True, None, None, None, False, None]
    assert (outcome.known, outcome.dropped, outcome.positives) == (2, 4, 1)
    assert outcome.rate == 0.5


def test_positive_value_names_the_converted_leads() -> None:
    frame = pl.DataFrame({"stage": ["Closed Won", "closed lost", "Open", None, " closed won"]})
    outcome = read_outcome(frame, "stage", positive="closed won")
    assert outcome.values.to_list() == [True, False, None, None, True]  # Open has no outcome yet


def test_other_values_ask_for_positive() -> None:
    frame = pl.DataFrame({"stage": ["Signed", "Open", "Negotiation", "Open", "Signed"]})
    with pytest.raises(InputError) as info:
        read_outcome(frame, "stage", source="crm.csv")
    assert str(info.value) == (
        "column 'stage' in crm.csv has values that are not an outcome: 'Signed' on 2 rows, "
        "'Negotiation' on data row 3; use 1/0, yes/no, true/false or won/lost, or say which value "
        "means converted with --positive VALUE"
    )  # 'Open' is an outcome: the lead is still open


def test_one_odd_value_among_outcomes_is_named_with_its_row() -> None:
    values = ["yes", "no", "no", None, "N/A", "no", " maybe ", "yes"]
    with pytest.raises(InputError) as info:
        read_outcome(pl.DataFrame({"won": values}), "won", source="h.csv")
    assert str(info.value).startswith(
        "column 'won' in h.csv has a value that is not an outcome: 'maybe' on data row 7;"
    )


def test_positive_value_that_no_lead_has() -> None:
    frame = pl.DataFrame({"stage": ["won", "lost"]})
    with pytest.raises(InputError, match=r"no lead in the history file has 'signed' in column 'stage'"):
        read_outcome(frame, "stage", positive="signed")


def test_a_target_column_with_no_outcome_says_which_column_to_give() -> None:
    outcome = read_outcome(
        pl.DataFrame({"converted": [None, "N/A"]}, schema={"converted": pl.String}), "converted"
    )
    with pytest.raises(InputError) as caught:
        require_both_outcomes(outcome)
    assert str(caught.value) == (
        "no lead in the history file has an outcome in column 'converted'; "
        "give --target the column that records whether each lead converted"
    )


def test_unknown_target_column_suggests_a_close_name() -> None:
    frame = pl.DataFrame({"converted": ["yes"]})
    with pytest.raises(UsageError, match=r"no column 'convrted'.*did you mean 'converted'"):
        read_outcome(frame, "convrted")


@pytest.mark.parametrize(
    ("values", "which"), [(["yes", "yes"], "converted"), (["no", None], "did not convert")]
)
def test_one_outcome_only_cannot_be_learnt_from(values: list[str | None], which: str) -> None:
    outcome = read_outcome(pl.DataFrame({"y": values}), "y")
    with pytest.raises(InputError, match=f"every lead with an outcome in the history file {which}"):
        require_both_outcomes(outcome)
