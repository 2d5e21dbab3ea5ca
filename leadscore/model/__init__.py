"""The points model: plain frozen dataclasses, built from a TOML file and validated once.

- :mod:`~leadscore.model.types`: the dataclasses (``Model``, ``Rule``, ``Condition``, ...).
- :mod:`~leadscore.model.loading`: TOML in, a validated ``Model`` out, every problem collected.
- :mod:`~leadscore.model.operands`: what each operator's value must be.

Nothing here knows about Polars: :mod:`leadscore.compiler` turns a ``Model`` into expressions.
"""

from leadscore.model.loading import (
    BUILT_IN,
    EVENT_RULE_KEYS,
    RULE_KEYS,
    TOP_LEVEL_KEYS,
    default_model,
    default_model_text,
    load_model,
    parse_model,
    parse_model_text,
    parse_predicate,
    parse_toml,
    read_model_data,
)
from leadscore.model.operands import regex_problem
from leadscore.model.types import (
    DATE_OPERATORS,
    DEFAULT_NULL_VALUES,
    NUMBER_OPERATORS,
    OPERATORS,
    TEXT_OPERATORS,
    AllOf,
    AnyOf,
    Band,
    Condition,
    Dimension,
    EventMatch,
    EventsConfig,
    Grades,
    Model,
    Predicate,
    Rule,
    Scalar,
    leaf_conditions,
    predicate_columns,
)

__all__ = [
    "BUILT_IN",
    "DATE_OPERATORS",
    "DEFAULT_NULL_VALUES",
    "EVENT_RULE_KEYS",
    "NUMBER_OPERATORS",
    "OPERATORS",
    "RULE_KEYS",
    "TEXT_OPERATORS",
    "TOP_LEVEL_KEYS",
    "AllOf",
    "AnyOf",
    "Band",
    "Condition",
    "Dimension",
    "EventMatch",
    "EventsConfig",
    "Grades",
    "Model",
    "Predicate",
    "Rule",
    "Scalar",
    "default_model",
    "default_model_text",
    "leaf_conditions",
    "load_model",
    "parse_model",
    "parse_model_text",
    "parse_predicate",
    "parse_toml",
    "predicate_columns",
    "read_model_data",
    "regex_problem",
]
