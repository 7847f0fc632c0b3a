"""The one exception family of the suite: each carries a one-line message naming file and field.

>>> str(AnalyticsError("data/cases/x.yml: metrics[0].quote: not found in the normalised text"))
'data/cases/x.yml: metrics[0].quote: not found in the normalised text'
"""

from __future__ import annotations


class AnalyticsError(Exception):
    """Base class: the message is a single line fit to print as the CLI's error."""


class SourceError(AnalyticsError):
    """A raw text cannot be read, decoded or trusted (hash mismatch, missing file)."""


class ValidationError(AnalyticsError):
    """A data file breaks the schema, the glossary or an evidence rule.

    ``problems`` holds every problem found, each already formatted as
    ``file:line: field.path: reason``.
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        first = self.problems[0] if self.problems else "invalid data"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(first + more)
