"""Loading and validating model files: every problem found at once, each one actionable."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadscore import ModelError, default_model, load_model, parse_model_text
from leadscore.segments import parse_segments

HEAD = """
[model]
name = "t"
id = "lead_id"
"""


RULE = '[[rules]]\nname = "x"\ndimension = "fit"\ncolumn = "t"\nequals = "a"\npoints = 1\n'


def problems(text: str) -> list[str]:
    with pytest.raises(ModelError) as info:
        parse_model_text(HEAD + text, source="b2b.toml")
    return info.value.problems


def test_default_model_is_valid_and_complete() -> None:
    model = default_model()
    assert model.dimension_names == ("fit", "engagement")
    assert [b.label for b in model.tiers] == ["hot", "warm", "cold"]
    assert model.min_score == 50
    assert (
        model.grades is not None
        and model.grades.fit_fallback == "D"
        and model.grades.engagement_fallback == "4"
    )
    assert any(r.disqualify for r in model.rules)


def test_contract_example_from_the_issue_loads() -> None:
    model = parse_model_text(
        HEAD
        + """
[dimensions]
fit = { max = 60 }
engagement = { max = 70, min = -40 }
[tiers]
hot = 70
warm = 40
cold = 0
[qualify]
min_score = 50
[grades]
fit = { A = 40, B = 25, C = 10 }
engagement = { 1 = 45, 2 = 25, 3 = 10 }
[[rules]]
name = "Executive title"
dimension = "fit"
column = "job_title"
matches = '(?i)\\b(ceo|chief|vp|director)\\b'
points = 15
[[rules]]
name = "Website visits"
dimension = "engagement"
column = "website_visits"
points_per_unit = 3
max_points = 15
[[rules]]
name = "Exec in target industry"
dimension = "fit"
all = [ { column = "job_title", matches = '(?i)chief' }, { column = "industry", in = ["Software"] } ]
points = 5
"""
    )
    assert [r.name for r in model.rules] == ["Executive title", "Website visits", "Exec in target industry"]
    assert model.rules[1].unit_column == "website_visits" and model.rules[1].max_points == 15
    assert model.lead_columns == ("lead_id", "job_title", "website_visits", "industry")


def test_unknown_key_names_rule_position_and_close_match() -> None:
    found = problems('[[rules]]\nname = "Exec"\ndimension = "fit"\ncolumn = "t"\nmatchs = "x"\npoints = 1\n')
    assert "rule 'Exec' (#1): unknown key 'matchs' (did you mean 'matches'?)" in found


def test_every_problem_is_collected_before_raising() -> None:
    found = problems(
        """
[tiers]
hot = "high"
[[rules]]
name = "A"
dimension = "fit"
column = "t"
points = 1
[[rules]]
name = "B"
dimension = "fit"
column = "t"
equals = "x"
contains = "y"
points = 1
[[rules]]
name = "C"
dimension = "fit"
column = "t"
matches = "(unclosed"
points = 1
"""
    )
    assert len(found) == 4
    assert any("rule 'A' (#1): column 't' has no operator" in p for p in found)
    assert any("rule 'B' (#2)" in p and "2 operators (equals, contains)" in p for p in found)
    assert any("rule 'C' (#3)" in p and "not a valid regular expression" in p for p in found)
    assert any("[tiers]: 'hot' must be a number" in p for p in found)


def test_the_error_message_names_the_file_and_counts_problems() -> None:
    with pytest.raises(ModelError) as info:
        parse_model_text(HEAD + "[tier]\nhot = 1\n" + RULE, source="b2b.toml")
    assert str(info.value).startswith("b2b.toml: ")
    assert "unknown key 'tier' (did you mean 'tiers'?)" in str(info.value)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('name = "x"\ndimension = "fit"\ncolumn = "t"\nequals = "a"\n', "needs points = N"),
        (
            'name = "x"\ndimension = "fit"\ncolumn = "t"\nequals = "a"\npoints = 1\npoints_per_unit = 2\n',
            "has both points",
        ),
        ('name = "x"\ndimension = "fit"\npoints = 1\n', "needs a condition"),
        ('name = "x"\ncolumn = "t"\nequals = "a"\npoints = 1\n', "needs a dimension"),
        (
            'name = "x"\ndimension = "fit"\ncolumn = "t"\nbetween = [5, 1]\npoints = 1\n',
            "low (5) is above high (1)",
        ),
        ('name = "x"\ndimension = "fit"\ncolumn = "t"\nin = []\npoints = 1\n', "must be a non-empty list"),
        (
            'name = "x"\ndimension = "fit"\ncolumn = "t"\ngt = "ten"\npoints = 1\n',
            "must be a number or a date",
        ),
        ('name = "x"\ndimension = "fit"\ncolumn = "t"\nwithin_days = -1\npoints = 1\n', "zero or more"),
        ('name = "x"\ndimension = "fit"\nall = [ { column = "t" } ]\npoints = 1\n', "has no operator"),
        (
            'name = "x"\ndimension = "fit"\ncolumn = "t"\nmissing = "yes"\npoints = 1\n',
            "must be true or false",
        ),
        (
            'name = "x"\ndimension = "fit"\ncolumn = "t"\nequals = "a"\npoints = 1\nmin_points = 5\nmax_points = 1\n',
            "min_points (5) is above max_points (1)",
        ),
        ('dimension = "fit"\ncolumn = "t"\nequals = "a"\npoints = 1\n', "rule #1: needs a name"),
        (
            'name = "x"\ndimension = "e"\nevent = "demo"\npoints = 1\nmin_events = 3\nmax_events = 2\n',
            "min_events (3) is more than max_events (2)",
        ),
        (
            'name = "x"\ndimension = "e"\nevent = "demo"\npoints = 1\nmin_events = 1.5\n',
            "min_events must be a whole number of events, 0 or more, not 1.5",
        ),
        (
            'name = "x"\ndimension = "e"\nevent = "demo"\npoints_per_unit = 1\nmax_events = 4\n',
            "min_events and max_events go with points = N",
        ),
        (
            'name = "x"\ndimension = "e"\ncolumn = "t"\nequals = "a"\npoints = 1\nmin_events = 2\n',
            "min_events counts the events of an event rule",
        ),
        (
            'name = "x"\ndimension = "e"\ncolumn = "visits"\npoints_per_unit = 3\nmax_points = -15\n',
            "rule 'x' (#1): max_points is -15, below 0, but the rule adds points (+3); every lead it fires on "
            "would lose points; give the most it may add, e.g. max_points = 15",
        ),
        (
            'name = "x"\ndimension = "e"\ncolumn = "t"\nequals = "a"\npoints = -25\nmin_points = 10\n',
            "min_points is 10, above 0, but the rule takes points away (-25)",
        ),
    ],
)
def test_rule_problems(body: str, expected: str) -> None:
    found = problems("[[rules]]\n" + body)
    assert any(expected in p for p in found), found


def test_duplicate_rule_names_are_refused() -> None:
    rule = '[[rules]]\nname = "Same"\ndimension = "fit"\ncolumn = "t"\nequals = "a"\npoints = 1\n'
    found = problems(rule + rule)
    assert found == ["rule 'Same' (#2): name is already used by rule #1; rule names must be unique"]


def test_caps_on_the_side_of_0_they_bound_are_accepted() -> None:
    """A penalty may have a floor below 0 and a ceiling below 0 too; a bonus a floor of 0."""
    model = parse_model_text(
        HEAD + "[dimensions]\nfit = { max = 60, min = -40 }\nengagement = { min = 0 }\n"
        '[[rules]]\nname = "x"\ndimension = "fit"\ncolumn = "n"\npoints_per_unit = -3\nmin_points = -15\n'
        'max_points = -1\n[[rules]]\nname = "y"\ndimension = "engagement"\ncolumn = "v"\npoints_per_unit = 2\n'
        "min_points = 0\nmax_points = 10\n"
    )
    assert [(r.min_points, r.max_points) for r in model.rules] == [(-15, -1), (0, 10)]


@pytest.mark.parametrize(
    ("limits", "expected"),
    [
        ("max = -5", "[dimensions] fit: max is -5, below 0, so every lead would lose points on fit"),
        ("min = 10", "[dimensions] fit: min is 10, above 0, so every lead would get points on fit"),
    ],
)
def test_dimension_limits_on_the_wrong_side_of_0_are_refused(limits: str, expected: str) -> None:
    found = problems(f"[dimensions]\nfit = {{ {limits} }}\n" + RULE)
    assert any(expected in p for p in found), found


def test_dimension_must_be_declared_when_dimensions_are() -> None:
    found = problems(
        '[dimensions]\nfit = { max = 10 }\nengagement = {}\n[[rules]]\nname = "x"\ndimension = "engagment"\n'
        'column = "t"\nequals = "a"\npoints = 1\n'
    )
    assert "dimension 'engagment' is not in [dimensions] (did you mean 'engagement'?)" in found[0]


def test_grades_need_letters_digits_and_existing_dimensions() -> None:
    rule = '[[rules]]\nname = "x"\ndimension = "fit"\ncolumn = "t"\nequals = "a"\npoints = 1\n'
    found = problems('[grades]\nfit = { a = 1 }\nengagement = { "one" = 2 }\n' + rule)
    assert any("single capital letters" in p for p in found)
    assert any("single digits" in p for p in found)
    assert any("no rule or [dimensions] entry is in dimension 'engagement'" in p for p in found)


GRADE_RULES = "".join(
    f'[[rules]]\nname = "{d}"\ndimension = "{d}"\ncolumn = "t"\nequals = "a"\npoints = 1\n'
    for d in ("fit", "engagement")
)


@given(
    fit=st.lists(st.integers(0, 90), min_size=1, max_size=4, unique=True),
    engagement=st.lists(st.integers(0, 90), min_size=1, max_size=4, unique=True),
)
def test_grades_load_only_when_the_best_label_has_the_highest_threshold(
    fit: list[int], engagement: list[int]
) -> None:
    letters, digits = "ABCD"[: len(fit)], "1234"[: len(engagement)]
    text = (
        HEAD
        + "[grades]\nfit = { "
        + ", ".join(f"{lb} = {t}" for lb, t in zip(letters, fit, strict=True))
        + " }\nengagement = { "
        + ", ".join(f'"{lb}" = {t}' for lb, t in zip(digits, engagement, strict=True))
        + " }\n"
        + GRADE_RULES
    )
    wrong = [k for k, t in (("fit", fit), ("engagement", engagement)) if t != sorted(t, reverse=True)]
    if not wrong:
        grades = parse_model_text(text).grades
        assert grades is not None
        assert [b.label for b in grades.fit] == list(letters)  # the best fit gets A
        assert [b.label for b in grades.engagement] == list(digits)
        return
    found = problems(text.removeprefix(HEAD))
    assert [p.split(":")[0] for p in found] == [f"[grades] {k}" for k in wrong]
    for problem, key in zip(found, wrong, strict=True):  # the advice, written back, loads
        advice = problem.split(", e.g. ")[1]
        fixed = text.replace(next(line for line in text.splitlines() if line.startswith(key + " ")), advice)
        left = ""
        try:
            parse_model_text(fixed)
        except ModelError as error:
            left = str(error)
        assert f"[grades] {key}" not in left


def test_invalid_toml_is_one_clear_problem() -> None:
    found = problems("[[rules]\n")
    assert len(found) == 1 and found[0].startswith("is not valid TOML")


def test_missing_model_file_suggests_init(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"file not found.*leadscore init"):
        load_model(tmp_path / "nope.toml")


def test_integral_models_give_whole_numbers() -> None:
    base = '[[rules]]\nname = "x"\ndimension = "fit"\ncolumn = "t"\n'
    assert parse_model_text(HEAD + base + "points_per_unit = 3\nmax_points = 15\n").integral
    assert not parse_model_text(HEAD + base + "points_per_unit = 2.5\n").integral


def test_id_cannot_be_a_column_leadscore_writes() -> None:
    text = HEAD.replace('id = "lead_id"', 'id = "rank"') + RULE
    with pytest.raises(ModelError, match="id 'rank' is a column leadscore writes"):
        parse_model_text(text)


@pytest.mark.parametrize("column", ["score", "tier", "grade", "qualified", "rank", "reasons", "fit_score"])
def test_a_rule_cannot_read_a_column_leadscore_writes(column: str) -> None:
    """The input's own score (say, from a file an earlier run wrote) is replaced by this run's
    before any rule reads it, so such a rule is refused when the model loads."""
    rule = RULE.replace('column = "t"', f'column = "{column}"')
    assert problems(rule) == [
        f"rule 'x' (#1): column '{column}' has the name of a column leadscore writes, so this run's "
        f"{column} would replace it before the rule reads it; rename it in the leads file and here, "
        f'e.g. column = "crm_{column}"'
    ]
    parse_model_text(HEAD + rule.replace(f'"{column}"', f'"{column.title()}"'))  # names are case-sensitive


def test_tiers_with_the_same_threshold_are_refused_naming_both() -> None:
    found = problems("[tiers]\nhot = 70\nwarm = 40\nlukewarm = 40\ncold = 0\n" + RULE)
    assert found == [
        "[tiers]: 'warm' and 'lukewarm' have the same threshold (40); give each a different number"
    ]


def test_tiers_listed_out_of_order_are_refused_naming_both() -> None:
    found = problems("[tiers]\nhot = 30\nwarm = 40\ncold = 0\n" + RULE)
    assert found == [
        "[tiers]: 'hot' (30) is listed above 'warm' (40) but has a lower threshold; list tiers from the top "
        "one down, each lower than the one above it: swap the two numbers, or the two lines"
    ]


def test_tiers_listed_from_the_bottom_up_get_the_list_to_write() -> None:
    found = problems("[tiers]\ncold = 0\nwarm = 40\n'very hot' = 70.5\n" + RULE)
    assert found == [
        "[tiers]: the tiers are listed from the lowest threshold up ('cold' = 0 first); list them from the "
        'top one down: "very hot" = 70.5, warm = 40, cold = 0'
    ]
    written = found[0].split("from the top one down: ")[1].replace(", ", "\n")
    model = parse_model_text(HEAD + "[tiers]\n" + written + "\n" + RULE)
    assert [(b.label, b.threshold) for b in model.tiers] == [("very hot", 70.5), ("warm", 40), ("cold", 0)]


@given(thresholds=st.lists(st.integers(-50, 150), min_size=1, max_size=5, unique=True))
def test_tiers_load_only_when_listed_from_the_top_down(thresholds: list[int]) -> None:
    labels = [f"t{i}" for i in range(len(thresholds))]
    text = (
        HEAD + "[tiers]\n" + "".join(f"{lb} = {t}\n" for lb, t in zip(labels, thresholds, strict=True)) + RULE
    )
    if thresholds == sorted(thresholds, reverse=True):
        model = parse_model_text(text)
        assert [b.label for b in model.tiers] == labels  # the order written is the order of the tiers
        assert model.tier_for(min(thresholds) - 1) == labels[-1]
    else:
        found = problems(text.removeprefix(HEAD))
        assert found and all(p.startswith("[tiers]: ") for p in found)


def test_a_segments_own_tiers_must_be_in_order_too() -> None:
    data = tomllib.loads(
        HEAD + '[[segments]]\nname = "Big"\n[segments.tiers]\nrest = 0\ntop = 80\n'
        '[[segments.rules]]\nname = "x"\ndimension = "fit"\ncolumn = "t"\nequals = "a"\npoints = 1\n'
    )
    with pytest.raises(
        ModelError, match=r"'rest' \(0\) is listed above 'top' \(80\) but has a lower threshold"
    ):
        parse_segments(data, source="segments.toml")


@pytest.mark.parametrize("name", ["leads.csv", "Leads.XLSX", "crm.parquet"])
def test_a_leads_file_given_as_the_model_is_named_as_one(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"lead_id,job_title\nL1,CEO\n")
    with pytest.raises(ModelError) as info:
        load_model(path)
    assert f"is a {path.suffix.lower()} file of leads, not a model" in str(info.value)
    assert "give the leads as the input and the model with -m" in str(info.value)


def test_the_leads_file_extensions_a_model_refuses_are_the_formats_leadscore_reads() -> None:
    from leadscore.io.readers import INPUT_EXTENSIONS
    from leadscore.model.loading import DATA_EXTENSIONS

    assert set(DATA_EXTENSIONS) == (set(INPUT_EXTENSIONS) - {".txt"}) | {".xls"}
