"""Deterministic synthetic CRM data: leads, activity events, past outcomes and manual adjustments.

Every generator is vectorised (numpy draws, Polars string work), so a million leads take
seconds, and the same seed always gives the same frame. Corporate e-mail domains and sales
rep addresses use the reserved ``.test`` top-level domain.

Regenerate the committed sample files with::

    uv run python -m leadscore.synthetic sample_data
"""

from leadscore.synthetic.adjustments import generate_adjustments
from leadscore.synthetic.events import generate_events
from leadscore.synthetic.history import generate_history, generate_history_events
from leadscore.synthetic.leads import generate_leads
from leadscore.synthetic.vocabulary import (
    AS_OF,
    EVENT_NAMES,
    EVENT_TYPES,
    LEAD_COLUMNS,
    REPS,
    TARGET_INDUSTRIES,
)

__all__ = [
    "AS_OF",
    "EVENT_NAMES",
    "EVENT_TYPES",
    "LEAD_COLUMNS",
    "REPS",
    "TARGET_INDUSTRIES",
    "generate_adjustments",
    "generate_events",
    "generate_history",
    "generate_history_events",
    "generate_leads",
]
