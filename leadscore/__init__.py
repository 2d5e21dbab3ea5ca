"""leadscore: score sales leads with a readable points model, or learn one from won/lost history.

The library works without the command line::

    import leadscore
    model = leadscore.load_model("b2b.toml")
    result = leadscore.score(leads_frame, model, as_of=datetime.date(2026, 11, 1))
    result.frame  # the leads, ranked, with score, tier, grade, qualified, rank and reasons
"""

from leadscore.engine import ScoredLeads, build_query, output_columns, score
from leadscore.errors import InputError, LeadscoreError, ModelError, UsageError
from leadscore.model import Model, Rule, default_model, load_model, parse_model, parse_model_text

__version__ = "0.1.0"

__all__ = [
    "InputError",
    "LeadscoreError",
    "Model",
    "ModelError",
    "Rule",
    "ScoredLeads",
    "UsageError",
    "__version__",
    "build_query",
    "default_model",
    "load_model",
    "output_columns",
    "parse_model",
    "parse_model_text",
    "score",
]
