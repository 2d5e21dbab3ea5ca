"""Terminal reports as Rich renderables: the only part of leadscore that imports Rich.

Every function returns something to print; the command line prints it. Nothing here prints.
"""

from leadscore.report.changes import change_counts_text, changes_section
from leadscore.report.common import (
    error_text,
    make_console,
    message_lines,
    progress_spinner,
    tier_text,
    warnings_renderable,
    written_text,
)
from leadscore.report.explain import explain_header, explanation_panel
from leadscore.report.score import (
    ScoreBin,
    TopLeads,
    distribution_chart,
    grade_matrix,
    identifying_columns,
    nice_step,
    rules_table,
    score_bins,
    score_report,
    summary_panel,
    tier_table,
    top_table,
)
from leadscore.report.sources import source_table, source_tables_renderable

__all__ = [
    "ScoreBin",
    "TopLeads",
    "change_counts_text",
    "changes_section",
    "distribution_chart",
    "error_text",
    "explain_header",
    "explanation_panel",
    "grade_matrix",
    "identifying_columns",
    "make_console",
    "message_lines",
    "nice_step",
    "progress_spinner",
    "rules_table",
    "score_bins",
    "score_report",
    "source_table",
    "source_tables_renderable",
    "summary_panel",
    "tier_table",
    "tier_text",
    "top_table",
    "warnings_renderable",
    "written_text",
]
