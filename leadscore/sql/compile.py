"""Compile a points model into one SQL SELECT for a warehouse, as a sqlglot expression tree.

The query mirrors the engine step by step, one CTE per step, every internal column named
``__ls_...`` and commented with the rule or reading it holds:

1. ``leads`` and ``leads_read_N``: the table, then each column read as text, number, date or
   yes/no (leadscore.sql.readings), computed once and shared by every rule;
2. ``events_read_N``, ``event_features``, ``leads_events`` when the model has event rules
   (leadscore.sql.events);
3. ``rules_fired``, ``rule_values`` and ``rule_points``: per rule, whether it fired and the
   points it gives (leadscore.sql.points);
4. ``dimension_scores`` and ``total_score``: per dimension the rounded sum, clamped; the total;
5. ``scores``: tier, grade, qualified, and per rule a reason sort key and label;
6. ``top_reason_1..3`` (leadscore.sql.reasons); then the final SELECT adds rank and reasons.

Nothing is pasted into SQL text: identifiers are quoted and literals escaped by sqlglot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlglot import exp

from leadscore.coerce import Conventions
from leadscore.engine import output_columns
from leadscore.errors import UsageError, counted, did_you_mean, missing_columns_error, quote_list
from leadscore.model import Band, Model, Rule, predicate_columns
from leadscore.sql import dialects as sq
from leadscore.sql.dialects import Dialect
from leadscore.sql.events import count_column, event_columns, event_ctes, lead_key, weight_column
from leadscore.sql.exprs import col, comment_text, named, round_half_away, when
from leadscore.sql.names import (
    GRADE,
    QUALIFIED,
    RANK,
    REASONS,
    SCORE,
    TIER,
    P,
    dimension_column,
    fired_column,
    key_column,
    label_column,
    points_column,
    raw_column,
    raw_value_column,
    value_column,
)
from leadscore.sql.operators import compile_predicate
from leadscore.sql.points import has_caps, rule_points, rule_value
from leadscore.sql.readings import Kind, Readings
from leadscore.sql.reasons import reason_key, reason_label, reasons_text, top_reason_items


@dataclass(frozen=True)
class SqlOptions:
    """Everything compiling needs besides the model."""

    table: str
    dialect: Dialect = Dialect.duckdb
    as_of: dt.date | None = None  # None: the warehouse's CURRENT_DATE when the query runs
    events_table: str | None = None
    kinds: Mapping[str, Kind] = field(default_factory=dict)  # lead columns read natively
    event_kinds: Mapping[str, Kind] = field(default_factory=dict)
    columns: Sequence[str] | None = None  # every column of the table, when known
    conventions: Conventions = Conventions()  # how text writes dates and numbers (dayfirst...)
    # a column that orders rows with the same score and id (the file path's input order); it is
    # not returned when ``columns`` is given without it
    tiebreak: str | None = None


def parse_table(name: str, what: str = "--table") -> exp.Table:
    """A table name, optionally qualified (``db.schema.table``), every part quoted."""
    parts = name.split(".")
    if not name.strip() or any(not p.strip() for p in parts) or len(parts) > 3:
        raise UsageError(
            f"{what} '{name}' is not a table name; give table, schema.table or catalog.schema.table"
        )
    ids = [exp.to_identifier(p.strip(), quoted=True) for p in parts]
    table = ids[-1]
    db = ids[-2] if len(ids) > 1 else None
    catalog = ids[-3] if len(ids) > 2 else None
    return exp.Table(this=table, db=db, catalog=catalog)


class _Chain:
    """CTEs where each one selects everything of the previous one plus some new columns; and CTEs
    set aside from that line (the event log's steps), whose columns only a join takes in."""

    def __init__(self, first: str, query: exp.Select) -> None:
        self.ctes: list[tuple[str, exp.Select]] = [(first, query)]
        self.aside: set[str] = set()

    @property
    def last(self) -> str:
        """The last CTE of the line, the one the next step reads."""
        return next(name for name, _ in reversed(self.ctes) if name not in self.aside)

    def set_aside(self, ctes: Sequence[tuple[str, exp.Select]]) -> None:
        self.ctes += ctes
        self.aside.update(name for name, _ in ctes)

    def star(self) -> exp.Column:
        return exp.Column(this=exp.Star(), table=exp.to_identifier(self.last))

    def add(self, name: str, items: Sequence[exp.Expr], comment: str | None = None) -> None:
        query = exp.select(self.star(), *items, copy=False).from_(exp.to_table(self.last), copy=False)
        if comment:
            query.add_comments([comment_text(comment)])
        self.ctes.append((name, query))


def check_columns(model: Model, columns: Sequence[str]) -> None:
    problems = []
    have = list(columns)
    if model.id_column not in have:
        problems.append(
            f"id column '{model.id_column}' is not in the table{did_you_mean(model.id_column, have)}"
        )
    for rule in model.rules:
        for column in rule.columns:
            if column not in have:
                problems.append(
                    f"{rule.label}: column '{column}' is not in the table{did_you_mean(column, have)}"
                )
    if problems:
        raise missing_columns_error(problems, "the table")


def check_kinds(model: Model, options: SqlOptions) -> None:
    """Refuse a type declared for a column the model does not read: a misspelt name would be
    ignored, and the column it meant read as text."""
    for option, kinds, read, what in (
        ("--schema", options.kinds, model.lead_columns, "columns"),
        ("--events-schema", options.event_kinds, event_columns(model), "events columns"),
    ):
        for column in kinds:
            if column not in read:
                reads = f"the {what} it reads are {quote_list(read)}" if read else "it has no event rules"
                raise UsageError(
                    f"{option} names '{column}', a column the model does not read"
                    f"{did_you_mean(column, read)}; {reads}"
                )


def build_query(model: Model, options: SqlOptions) -> exp.Select:
    """The scoring query as a sqlglot tree (render it with ``.sql(dialect=..., pretty=True)``)."""
    chain = _scoring_chain(model, options)
    return _with_ctes(_final(model, options, chain), options, chain)


def build_rule_stats_query(model: Model, options: SqlOptions) -> exp.Select:
    """One row: the number of leads, and per rule its hits, points and capped count (for the report).

    The columns are those of the engine's rule statistics: rows, hits_N, points_N, capped_N.
    """
    chain = _scoring_chain(model, options, stats=True)
    items: list[exp.Expr] = [named(exp.Count(this=exp.Star()), "rows")]

    def count_if(cond: exp.Expr) -> exp.Expr:
        return exp.Sum(this=when(cond, exp.Literal.number(1), exp.Literal.number(0)))

    for rule in model.rules:
        capped: exp.Expr = exp.Literal.number(0)
        if has_caps(rule):
            capped = count_if(exp.NEQ(this=col(raw_column(rule)), expression=col(points_column(rule))))
        items += [
            named(count_if(col(fired_column(rule))), f"hits_{rule.position}"),
            named(exp.Sum(this=col(points_column(rule))), f"points_{rule.position}"),
            named(capped, f"capped_{rule.position}"),
        ]
    query = exp.select(*items, copy=False).from_(exp.to_table(chain.last), copy=False)
    return _with_ctes(query, options, chain)


def _scoring_chain(model: Model, options: SqlOptions, stats: bool = False) -> _Chain:
    """Every CTE of the query; with ``stats``, also each capped rule's points before the cap."""
    d = options.dialect
    if model.event_rules and options.events_table is None:
        names = ", ".join(f"'{r.name}'" for r in model.event_rules)
        raise UsageError(f"rules {names} read an activity log; name its table with --events-table")
    check_kinds(model, options)
    if options.columns is not None:
        check_columns(model, options.columns)
    table = parse_table(options.table)
    as_of = sq.date_literal(options.as_of.isoformat()) if options.as_of else exp.CurrentDate()
    readings = Readings(d, options.kinds, model.null_values, as_of, f"{P}read_", options.conventions)

    # compile every rule first, so that the readings they need are known
    integral = model.integral
    gates: dict[int, exp.Expr] = {}
    units: dict[int, exp.Expr] = {}
    for rule in model.rules:
        if rule.when is not None:
            gates[rule.position] = compile_predicate(rule.when, readings, rule.label)
        if rule.unit_column is not None:
            units[rule.position] = readings.number(rule.unit_column).expr

    first = exp.select(exp.Star()).from_(exp.alias_(table, "leads", table=True))
    if options.columns is None and d in ROW_VALUE_DIALECTS:
        # the whole input row as one value, expanded at the end: these dialects have no
        # SELECT * EXCEPT to leave the internal columns out
        first = exp.select(
            _row_value(d), exp.Column(this=exp.Star(), table=exp.to_identifier("leads"))
        ).from_(exp.alias_(table, "leads", table=True))
    chain = _Chain("leads", first)
    for i, items in enumerate(readings.layers(), start=1):
        chain.add(f"leads_read_{i}", items)

    if model.event_rules:
        assert options.events_table is not None
        events = event_ctes(
            model,
            parse_table(options.events_table, "--events-table"),
            d,
            as_of,
            options.event_kinds,
            options.conventions,
        )
        previous = chain.last
        chain.set_aside(events.ctes)
        features = exp.to_identifier(events.features)
        joined_cols = [
            exp.column(exp.to_identifier(c(r), quoted=True), table=features)
            for r in model.event_rules
            for c in (weight_column, count_column)
        ]
        on = exp.EQ(
            this=lead_key(
                exp.column(exp.to_identifier(model.id_column, quoted=True), table=exp.to_identifier(previous))
            ),
            expression=exp.column(exp.to_identifier("__ls_key", quoted=True), table=features),
        )
        query = (
            exp.select(exp.Column(this=exp.Star(), table=exp.to_identifier(previous)), *joined_cols)
            .from_(exp.to_table(previous))
            .join(exp.to_table(events.features), on=on, join_type="left", copy=False)
        )
        chain.ctes.append(("leads_events", query))

    # 3. rules: fired, then (per unit) the value, then the points
    fired_items = []
    for rule in model.rules:
        gate = gates.get(rule.position)
        condition: exp.Expr | None = None
        if rule.event is not None:
            count = exp.Coalesce(this=col(count_column(rule)), expressions=[exp.Literal.number(0)])
            condition = exp.GTE(this=count, expression=exp.Literal.number(rule.event.min_events))
            if rule.event.max_events is not None:
                at_most = exp.LTE(this=count.copy(), expression=exp.Literal.number(rule.event.max_events))
                condition = sq.all_of(condition, at_most)
        elif rule.unit_column is not None:
            value = exp.Coalesce(this=units[rule.position], expressions=[exp.Literal.number(0)])
            condition = exp.NEQ(this=value, expression=exp.Literal.number(0))
        parts = [part for part in (gate, condition) if part is not None]
        fired = sq.all_of(*parts) if len(parts) > 1 else parts[0] if parts else exp.true()
        fired_items.append(named(fired, fired_column(rule), f"{rule.label}: fired"))
    chain.add("rules_fired", fired_items)

    value_items = []
    for rule in model.rules:
        if rule.points_per_unit is not None:
            value_items.append(
                named(rule_value(rule, units), value_column(rule), f"{rule.label}: value, capped")
            )
            if stats and has_caps(rule):
                uncapped = rule_value(rule, units, capped=False)
                value_items.append(
                    named(uncapped, raw_value_column(rule), f"{rule.label}: value before the cap")
                )
    if value_items:
        chain.add("rule_values", value_items)

    point_items = []
    for rule in model.rules:
        point_items.append(named(rule_points(rule, integral), points_column(rule), _describe(rule)))
        if stats and has_caps(rule):
            uncapped = rule_points(rule, integral, capped=False)
            point_items.append(named(uncapped, raw_column(rule), f"{rule.label}: points before the cap"))
    chain.add("rule_points", point_items)

    # 4. dimensions
    decimals = 0 if integral else 2
    number_type = "bigint" if integral else "double"
    dim_items = []
    for dim in model.dimensions:
        members = [col(points_column(r)) for r in model.rules if r.dimension == dim.name]
        total: exp.Expr = _sum(members) if members else sq.double(0)
        if not integral:  # whole points add up to whole numbers: nothing to round
            total = round_half_away(exp.Paren(this=total), decimals)
        if dim.min is not None:
            total = sq.call("GREATEST", total, sq.number(dim.min))
        if dim.max is not None:
            total = sq.call("LEAST", total, sq.number(dim.max))
        bounds = f" between {_fmt(dim.min)} and {_fmt(dim.max)}" if (dim.min, dim.max) != (None, None) else ""
        dim_items.append(
            named(exp.cast(total, number_type), dimension_column(dim.name), f"dimension '{dim.name}'{bounds}")
        )
    chain.add("dimension_scores", dim_items)

    # 5. total, tier, grade, qualified, reason keys
    score_expr: exp.Expr = _sum([col(dimension_column(n)) for n in model.dimension_names])
    if not integral:
        score_expr = round_half_away(exp.Paren(this=score_expr), decimals)
    chain.add("total_score", [named(exp.cast(score_expr, number_type), f"{P}score", "total score")])
    score = col(f"{P}score")
    score_items: list[exp.Expr] = []
    if model.tiers:
        score_items.append(named(_band(model.tiers, model.tiers[-1].label, score), f"{P}tier", "tier"))
    if model.grades is not None:
        g = model.grades
        fit = _band(g.fit, g.fit_fallback, col(dimension_column(g.fit_dimension)))
        eng = _band(g.engagement, g.engagement_fallback, col(dimension_column(g.engagement_dimension)))
        score_items.append(named(exp.DPipe(this=fit, expression=eng, safe=True), f"{P}grade", "grade"))
    if model.has_qualify:
        ok: exp.Expr = exp.true()
        if model.min_score is not None:
            ok = exp.GTE(this=score.copy(), expression=sq.number(model.min_score))
        blockers = [col(fired_column(r)) for r in model.rules if r.disqualify]
        if blockers:
            ok = sq.all_of(ok, exp.Not(this=exp.Paren(this=sq.any_of(*blockers))))
        score_items.append(named(ok, f"{P}qualified", "qualified"))
    slots = len(model.rules) + 1
    for i, rule in enumerate(model.rules):
        score_items.append(
            named(reason_key(rule, i, slots), key_column(rule), f"{rule.label}: reason sort key")
        )
        score_items.append(named(reason_label(rule), label_column(rule), None))
    chain.add("scores", score_items)

    for name, item in top_reason_items(model.rules):
        chain.add(name, [item])

    return chain


def _final(model: Model, options: SqlOptions, chain: _Chain) -> exp.Select:
    reasons = reasons_text(model.rules)

    id_col = col(model.id_column)
    id_order: exp.Expr = id_col
    if options.kinds.get(model.id_column, Kind.text) is Kind.text:
        # ids compare as text, code point by code point, whatever the database's collation
        id_order = sq.cast_text(id_col)
        if options.dialect is Dialect.postgres:
            id_order = exp.Collate(this=id_order, expression=exp.to_identifier("C", quoted=True))
    rank = exp.Window(
        this=exp.RowNumber(),
        order=exp.Order(
            expressions=[
                exp.Ordered(this=col(f"{P}score"), desc=True, nulls_first=False),
                exp.Ordered(this=id_order, desc=False, nulls_first=False),
                *([exp.Ordered(this=col(options.tiebreak))] if options.tiebreak else []),
            ]
        ),
    )
    outputs: list[exp.Expr] = [named(col(f"{P}score"), SCORE)]
    outputs += [named(col(dimension_column(n)), f"{n}_score") for n in model.dimension_names]
    if model.tiers:
        outputs.append(named(col(f"{P}tier"), TIER))
    if model.grades is not None:
        outputs.append(named(col(f"{P}grade"), GRADE))
    if model.has_qualify:
        outputs.append(named(col(f"{P}qualified"), QUALIFIED))
    outputs.append(
        named(rank, RANK, "ties in score go by id; rows with the same id in an order the database picks")
    )
    outputs.append(named(reasons, REASONS, "the three rules that moved the score most"))

    written = set(output_columns(model))
    if options.columns is not None:
        inputs: list[exp.Expr] = [col(c) for c in options.columns if c not in written]
    else:
        inputs = [_every_input_column(options.dialect, _internal_columns(chain))]
    query = exp.select(*inputs, *outputs).from_(exp.to_table(chain.last), copy=False)
    return query.order_by(exp.Ordered(this=exp.to_identifier(RANK, quoted=True)), copy=False)


def _with_ctes(query: exp.Select, options: SqlOptions, chain: _Chain) -> exp.Select:
    # PostgreSQL inlines a CTE read once, substituting each column by its expression: down a
    # chain of CTEs that reference columns several times, the expressions grow exponentially
    materialized = True if options.dialect is Dialect.postgres else None
    for name, cte in chain.ctes:
        query = query.with_(exp.to_identifier(name), as_=cte, materialized=materialized, copy=False)
    return query


ROW = f"{P}input"
ROW_VALUE_DIALECTS = (Dialect.postgres, Dialect.spark)


def _row_value(dialect: Dialect) -> exp.Expr:
    """The input row as one value: PostgreSQL's whole-row reference, Spark's STRUCT(leads.*)."""
    if dialect is Dialect.postgres:
        row: exp.Expr = exp.column(exp.to_identifier("leads"))
    else:
        row = exp.Struct(expressions=[exp.Column(this=exp.Star(), table=exp.to_identifier("leads"))])
    return named(row, ROW, "the input row, to return it as it came")


def _every_input_column(dialect: Dialect, internal: list[str]) -> exp.Expr:
    """Every column of the table, without knowing their names."""
    if dialect is Dialect.postgres:
        return exp.Dot(this=exp.Paren(this=col(ROW)), expression=exp.Star())
    if dialect is Dialect.spark:
        return exp.Column(this=exp.Star(), table=exp.to_identifier(ROW, quoted=True))
    return exp.Star(except_=[exp.to_identifier(c, quoted=True) for c in internal])


def _internal_columns(chain: _Chain) -> list[str]:
    """The internal columns the last CTE has, to leave out of ``SELECT *``: those its line adds,
    the event features ``leads_events`` joins included, and none of the event log's own steps
    (naming a column the query does not have is an error)."""
    names = [
        item.alias_or_name
        for name, query in chain.ctes
        if name not in chain.aside
        for item in query.expressions
    ]
    return list(dict.fromkeys(n for n in names if n.startswith(P)))


def _band(bands: Sequence[Band], fallback: str, score: exp.Expr) -> exp.Expr:
    case = exp.Case()
    for band in bands:
        case = case.when(
            exp.GTE(this=score.copy(), expression=sq.number(band.threshold)), sq.string(band.label)
        )
    return case.else_(sq.string(fallback))


def _sum(terms: Sequence[exp.Expr]) -> exp.Expr:
    total = terms[0]
    for t in terms[1:]:
        total = exp.Add(this=total, expression=t)
    return total


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _describe(rule: Rule) -> str:
    if rule.event is not None:
        what = f"events {', '.join(rule.event.types)}"
    else:
        columns = [*([rule.unit_column] if rule.unit_column else []), *predicate_columns(rule.when)]
        what = ", ".join(dict.fromkeys(columns)) or "always"
    amount = (
        f"{_fmt(rule.points_per_unit)} per unit"
        if rule.points_per_unit is not None
        else f"{_fmt(rule.points)} points"
    )
    return f"{rule.label}, {rule.dimension}: {amount} ({what})"


def compile_sql(model: Model, options: SqlOptions) -> str:
    """The scoring query as SQL text in ``options.dialect``, formatted and commented."""
    query = build_query(model, options)
    header = [
        f"leadscore model '{model.name}' ({counted(len(model.rules), 'rule')}) for {options.dialect.label}",
        f"as of {options.as_of.isoformat() if options.as_of else 'the current date'}",
    ]
    text = query.sql(dialect=options.dialect.value, pretty=True)
    return "".join(f"-- {comment_text(line)}\n" for line in header) + text + "\n"
