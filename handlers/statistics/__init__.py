"""Statistics: counts by category and period, response times, the `/statistik`
command, the weekly summary and the figures behind reports and exports."""

from handlers.statistics.command import STATISTICS_COMMAND, statistics_queries
from handlers.statistics.report import (
    HANDLED_STATUSES,
    BucketRow,
    ExportRow,
    Overview,
    Percentiles,
    Report,
    ResponseTimes,
    Scope,
    StatisticsQueries,
    Tally,
    TallyRow,
    TimesRow,
    WorkloadRow,
    build_report,
    category_names,
    sum_by,
)
from handlers.statistics.summary import (
    CHART_WEEKS,
    WeeklyChart,
    last_week,
    summary_key,
    summary_text,
    weekly_summary,
)
from handlers.statistics.text import duration_text, percent_change, report_text

__all__ = [
    "CHART_WEEKS",
    "HANDLED_STATUSES",
    "STATISTICS_COMMAND",
    "BucketRow",
    "ExportRow",
    "Overview",
    "Percentiles",
    "Report",
    "ResponseTimes",
    "Scope",
    "StatisticsQueries",
    "Tally",
    "TallyRow",
    "TimesRow",
    "WeeklyChart",
    "WorkloadRow",
    "build_report",
    "category_names",
    "duration_text",
    "last_week",
    "percent_change",
    "report_text",
    "statistics_queries",
    "sum_by",
    "summary_key",
    "summary_text",
    "weekly_summary",
]
