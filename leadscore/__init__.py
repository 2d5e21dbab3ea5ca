"""leadscore: score sales leads with a readable points model, or learn one from won/lost history.

The library works without the command line::

    import datetime, leadscore
    model = leadscore.load_model("b2b.toml")
    result = leadscore.score(leads_frame, model, as_of=datetime.date(2026, 11, 1))
    result.frame  # the leads, ranked, with score, tier, grade, qualified, rank and reasons

    learnt = leadscore.fit_model(history_frame, "converted", as_of=datetime.date(2026, 11, 1))
    learnt.text  # an ordinary model file, with a comment on every rule
    leadscore.evaluate_model(history_frame, learnt.model, "converted").auc

Text cells are read as an English export writes them; ``conventions=leadscore.Conventions(
dayfirst=True, decimal_comma=True)`` reads 03/04/2026 as 3 April and 1.200 as twelve hundred.

Names are imported on first use, so that ``import leadscore`` (and the command line's
``--help``) stays fast: Polars is only loaded when scoring starts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from leadscore.errors import InputError, LeadscoreError, ModelError, UsageError

__version__ = "0.1.0"

_LAZY = {
    "Conventions": "leadscore.coerce",
    "Model": "leadscore.model",
    "Rule": "leadscore.model",
    "load_model": "leadscore.model",
    "parse_model": "leadscore.model",
    "parse_model_text": "leadscore.model",
    "default_model": "leadscore.model",
    "ScoredLeads": "leadscore.engine",
    "build_query": "leadscore.engine",
    "output_columns": "leadscore.engine",
    "score": "leadscore.engine",
    "score_file": "leadscore.pipeline",
    "ScoringPlan": "leadscore.plan",
    "load_plan": "leadscore.plan",
    "score_plan": "leadscore.plan",
    "SegmentedModel": "leadscore.segments",
    "read_leads": "leadscore.inputs",
    "FitResult": "leadscore.predictive.fit",
    "fit_model": "leadscore.predictive.fit",
    "Evaluation": "leadscore.predictive.evaluate",
    "evaluate_model": "leadscore.predictive.evaluate",
}

if TYPE_CHECKING:
    from leadscore.coerce import Conventions
    from leadscore.engine import ScoredLeads, build_query, output_columns, score
    from leadscore.inputs import read_leads
    from leadscore.model import Model, Rule, default_model, load_model, parse_model, parse_model_text
    from leadscore.pipeline import score_file
    from leadscore.plan import ScoringPlan, load_plan, score_plan
    from leadscore.predictive.evaluate import Evaluation, evaluate_model
    from leadscore.predictive.fit import FitResult, fit_model
    from leadscore.segments import SegmentedModel


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'leadscore' has no attribute {name!r}")


__all__ = [
    "Conventions",
    "Evaluation",
    "FitResult",
    "InputError",
    "LeadscoreError",
    "Model",
    "ModelError",
    "Rule",
    "ScoredLeads",
    "ScoringPlan",
    "SegmentedModel",
    "UsageError",
    "__version__",
    "build_query",
    "default_model",
    "evaluate_model",
    "fit_model",
    "load_model",
    "load_plan",
    "output_columns",
    "parse_model",
    "parse_model_text",
    "read_leads",
    "score",
    "score_file",
    "score_plan",
]
