"""Which of a leads file's columns the starter model reads: its own spellings and CRM names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from leadscore import default_model, load_model
from leadscore.cli import app
from leadscore.starter import CRM_NAMES, own_names, write_starter

BUILT_IN = list(default_model().lead_columns)


def test_every_built_in_column_has_crm_names() -> None:
    assert set(CRM_NAMES) == set(BUILT_IN)


def test_crm_names_stand_for_one_column_each_and_are_not_its_own_spelling() -> None:
    """Nor any other column's: a column's own spelling then comes first whatever the order."""
    seen: dict[str, str] = {}
    columns = {_squash(c): c for c in CRM_NAMES}
    for column, names in CRM_NAMES.items():
        for name in names:
            assert _squash(name) not in columns, f"{name} is {columns[_squash(name)]} spelt another way"
            assert _squash(name) not in seen, f"{name} stands for {seen[_squash(name)]} and {column}"
            seen[_squash(name)] = column


def test_a_salesforce_report_and_a_hubspot_api_export_are_read_by_their_own_names() -> None:
    salesforce = ["Lead ID", "First Name", "Title", "Company", "Industry", "No. of Employees",
                  "Country", "Email", "Email Opt Out", "Last Activity", "Lead Source"]  # fmt: skip
    assert own_names(BUILT_IN, salesforce) == {
        "lead_id": "Lead ID",
        "job_title": "Title",
        "industry": "Industry",
        "company_size": "No. of Employees",
        "country": "Country",
        "email": "Email",
        "last_activity": "Last Activity",
        "unsubscribed": "Email Opt Out",
    }
    hubspot = ["hs_object_id", "firstname", "jobtitle", "industry", "numemployees", "country", "email",
               "hs_analytics_num_visits", "hs_email_click", "hs_email_optout", "notes_last_updated"]  # fmt: skip
    assert own_names(BUILT_IN, hubspot) == {
        "lead_id": "hs_object_id",
        "job_title": "jobtitle",
        "company_size": "numemployees",
        "website_visits": "hs_analytics_num_visits",
        "email_clicks": "hs_email_click",
        "last_activity": "notes_last_updated",
        "unsubscribed": "hs_email_optout",
    }


def _respell(draw: st.DrawFn, name: str) -> str:
    """``name`` in another case, with its spaces and punctuation moved about."""
    words = re.findall(r"[0-9A-Za-z]+", name)
    glue = draw(st.sampled_from(["", " ", "_", "-", ". "]))
    cased = [draw(st.sampled_from([w.lower(), w.upper(), w.title(), w])) for w in words]
    return glue.join(cased)


@st.composite
def exports(draw: st.DrawFn) -> tuple[list[str], dict[str, str]]:
    """A header holding, for some built-in columns, the column as it is or spelt another way, or
    some of its CRM names respelt; and the name own_names should pick for each: the column's own
    spelling, else the CRM name listed first."""
    header: list[str] = []
    expected: dict[str, str] = {}
    for column in BUILT_IN:
        own = draw(st.sampled_from([None, column, _respell(draw, column)]))
        crm = draw(st.lists(st.sampled_from(CRM_NAMES[column]), unique=True))
        crm_spelt = [_respell(draw, n) for n in crm]
        header += ([own] if own else []) + crm_spelt
        if own is not None and own != column:
            expected[column] = own
        elif own is None and crm:
            expected[column] = crm_spelt[crm.index(min(crm, key=CRM_NAMES[column].index))]
    return draw(st.permutations(header)), expected


def _squash(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


@given(exports())
def test_own_names_picks_the_spelling_then_the_likeliest_crm_name(
    case: tuple[list[str], dict[str, str]],
) -> None:
    header, expected = case
    found = own_names(BUILT_IN, header)
    assert found == expected
    assert list(found) == [c for c in BUILT_IN if c in found]  # in the model's order
    assert len(set(found.values())) == len(found)  # a file's column stands for one of the model's


@given(st.sampled_from(BUILT_IN), st.data())
def test_a_name_the_file_holds_twice_is_passed_over(column: str, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(CRM_NAMES[column]))
    twice = [_respell(data.draw, name), _respell(data.draw, name)]
    if twice[0] == twice[1]:
        twice[1] = twice[1].upper() if twice[1] != twice[1].upper() else twice[1].lower()
    assert column not in own_names(BUILT_IN, twice)


def test_a_file_with_no_id_column_gets_its_leads_numbered(tmp_path: Path) -> None:
    done = write_starter(tmp_path, columns=["Title", "Industry", "visits"])
    assert done.numbered
    assert "lead_id" not in done.missing
    model = load_model(tmp_path / "leadscore.toml")
    assert model.id_column == "row"
    assert "Title" in {c for r in model.rules for c in r.columns}  # the file's own names, as ever


def test_init_says_the_leads_are_numbered(in_tmp: Path) -> None:
    (in_tmp / "list.csv").write_text("Name,Title\nAnn,CEO\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["init", "--from", "list.csv"])
    assert result.exit_code == 0, result.output
    assert 'note: list.csv has no id column, so leadscore.toml says id = "row"' in result.stderr


@pytest.mark.parametrize("id_like", ["account_id", "Record ID", "lead_id"])
def test_a_column_named_like_an_id_is_not_replaced_by_numbers(tmp_path: Path, id_like: str) -> None:
    done = write_starter(tmp_path, columns=["Title", id_like])
    assert not done.numbered
    model = load_model(tmp_path / "leadscore.toml")
    # the built-in id, the file's own name for it, or left for the user to name ('account_id')
    assert model.id_column == {"Record ID": "Record ID"}.get(id_like, "lead_id")
    assert ("lead_id" in done.missing) == (id_like == "account_id")


@given(st.sets(st.sampled_from(BUILT_IN[1:]), min_size=1))
def test_rules_reading_a_column_the_file_lacks_are_left_out_and_the_rest_kept(
    present: set[str],
) -> None:
    import dataclasses
    import tempfile

    header = ["lead_id", *sorted(present)]
    with tempfile.TemporaryDirectory() as folder:
        done = write_starter(folder, columns=header)
        model = load_model(Path(folder) / "leadscore.toml")
    built_in = default_model().rules
    kept = [r for r in built_in if set(r.columns) <= set(header)]
    assert [r.name for r in model.rules] == [r.name for r in kept]
    unnumbered = [dataclasses.replace(r, position=0) for r in kept]
    assert [dataclasses.replace(r, position=0) for r in model.rules] == unnumbered  # as they were
    assert done.left_out == [r.name for r in built_in if r not in kept]


def test_a_file_with_none_of_the_columns_keeps_every_rule_to_map(tmp_path: Path) -> None:
    done = write_starter(tmp_path, columns=["lead_id", "Phone"])
    assert done.left_out == []
    assert len(load_model(tmp_path / "leadscore.toml").rules) == len(default_model().rules)


@pytest.mark.parametrize(
    ("header", "notes"),
    [
        ("Name,Phone,City", [
            'note: list.csv has no id column, so leadscore.toml says id = "row": its leads are numbered 1, 2, '
            "3... in file order (explain 42 finds the 42nd); name the file's id column there if it has one",
            "note: list.csv has none of the columns the model's rules read ('job_title', 'industry', "
            "'company_size', 'country', 'email', 'website_visits', ... (7 more)), so leadscore.toml cannot score "
            'it yet: in each rule, set column = "..." to the file\'s name for it (its columns are \'Name\', '
            "'Phone', 'City'), and delete the rules it has nothing for",
        ]),
        ("customer_id,Title,Town", [
            "note: list.csv has no column for 'industry', 'company_size', 'country', 'email', 'website_visits', "
            "'email_clicks', 'content_downloads', 'pricing_page_views', 'webinar_attended', 'demo_requested', "
            "'last_activity', 'unsubscribed', so leadscore.toml leaves out 15 rules ('Target industry', "
            "'Mid-market company', 'Enterprise company', 'Core market', ... (11 more)), commented out: to use "
            "one, name the file's column in it and uncomment it",
            "note: list.csv has no 'lead_id' column: in leadscore.toml, set [model] id to the column that "
            "identifies a lead (is it 'customer_id'?), or to \"row\" to number the leads 1, 2, 3... in file order",
        ]),
    ],
)  # fmt: skip
def test_init_from_a_file_the_model_cannot_score_says_what_to_edit_not_to_score(
    in_tmp: Path, header: str, notes: list[str]
) -> None:
    """No rule reads a column the file has, or the file's id is left to name: score would fail."""
    (in_tmp / "list.csv").write_text(f"{header}\n1,CEO,Paris\n", encoding="utf-8")
    runner = CliRunner()
    init = runner.invoke(app, ["init", "--from", "list.csv"])
    assert init.exit_code == 0, init.output
    assert init.stderr.splitlines() == notes
    assert init.stdout.splitlines()[-1] == (
        "next: edit leadscore.toml as the note says, then: leadscore check --input list.csv"
    )
    assert runner.invoke(app, ["score", "list.csv", "-q"]).exit_code == 1  # what it no longer suggests


def test_a_file_with_none_of_the_rules_columns_is_said_to_fit_no_rule(tmp_path: Path) -> None:
    done = write_starter(tmp_path, columns=["lead_id", "Phone"])
    assert (done.no_rule_fits, done.missing_id, done.scores_as_written) == (True, None, False)
    done = write_starter(tmp_path, columns=["lead_id", "Title"], force=True)
    assert (done.no_rule_fits, done.missing_id, done.scores_as_written) == (False, None, True)


def test_init_from_an_export_then_score_it_runs_as_it_is(in_tmp: Path) -> None:
    (in_tmp / "export.csv").write_text(
        "Lead ID,Title,Industry,Web Visits\nL1,CEO,Software,4\nL2,Intern,Retail,0\n", encoding="utf-8"
    )
    runner = CliRunner()
    init = runner.invoke(app, ["init", "--from", "export.csv"])
    assert init.exit_code == 0, init.output
    has = {"lead_id", "job_title", "industry", "website_visits"}
    lacking = sum(not set(r.columns) <= has for r in default_model().rules)
    assert f"so leadscore.toml leaves out {lacking} rules ('Mid-market company', " in init.stderr
    scored = runner.invoke(app, ["score", "export.csv", "--as-of", "2026-11-01", "-q"])
    assert scored.exit_code == 0, scored.output
    text = (in_tmp / "leadscore.toml").read_text(encoding="utf-8")
    assert "# Left out: the leads file has no 'company_size' column." in text
    assert '# name = "Mid-market company"' in text


def test_init_from_an_export_with_a_line_break_in_a_header_names_the_column_as_read(in_tmp: Path) -> None:
    """Alt+Enter in a header cell: the model gets the name the readers give it, 'Job Title'."""
    (in_tmp / "export.csv").write_text(
        'Lead ID,"Job\nTitle",Web  Visits\nL1,CEO,4\nL2,Intern,0\n', encoding="utf-8"
    )
    runner = CliRunner()
    init = runner.invoke(app, ["init", "--from", "export.csv"])
    assert init.exit_code == 0, init.output
    assert init.stdout.splitlines()[:2] == [
        "wrote leadscore.toml",
        "reads export.csv's own names for 3 columns: lead_id -> 'Lead ID', job_title -> 'Job Title', "
        "website_visits -> 'Web Visits'",
    ]
    assert 'column = "Job Title"' in (in_tmp / "leadscore.toml").read_text(encoding="utf-8")
    scored = runner.invoke(app, ["score", "export.csv", "--as-of", "2026-11-01", "-o", "out.csv"])
    assert scored.exit_code == 0, scored.output
    assert "note: export.csv: column 2's name has a line break in it: read as 'Job Title'; " in scored.stderr
