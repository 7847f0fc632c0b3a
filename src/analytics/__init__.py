"""Comparative analytics for case studies of Chinese community party-building governance.

>>> import analytics
>>> corpus = analytics.load_corpus()
>>> len(corpus.cases), list(corpus.cases.columns[:1])
(5, ['case_id'])
"""

from analytics.corpus import Corpus, load_corpus
from analytics.errors import AnalyticsError, SourceError, ValidationError
from analytics.glossary import load_glossary
from analytics.sources import normalise

__version__ = "0.1.0"
__all__ = [
    "AnalyticsError",
    "Corpus",
    "SourceError",
    "ValidationError",
    "load_corpus",
    "load_glossary",
    "normalise",
]
