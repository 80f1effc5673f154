"""Review analytics: aspect sentiment over a shop-extendable taxonomy, needs mining, pros/cons.

Public functions: ``analyse_text`` (one text), ``analyse_pending`` (the job that stores analyses),
``analyse_after_ingest`` (that job after an ingest, never failing it), ``insights`` and
``insights_chart`` (what the API and CLI serve), ``load_taxonomy``. Review sentiment comes from
the promoted ``sentiment-zh``/``sentiment-en``/``sentiment`` model (``reviews.sentiment``).
"""

from __future__ import annotations

from shopmind.reviews.analyse import ANALYSER, analyse_review
from shopmind.reviews.aspects import AspectMention, NeedSentence, analyse_text
from shopmind.reviews.sentiment import Sentiment, SentimentModels, rating_polarity
from shopmind.reviews.service import (
    IngestAnalysis,
    Scope,
    analyse_after_ingest,
    analyse_pending,
    insights,
    insights_chart,
)
from shopmind.reviews.taxonomy import OVERALL, Taxonomy, load_taxonomy

__all__ = [
    "ANALYSER",
    "OVERALL",
    "AspectMention",
    "IngestAnalysis",
    "NeedSentence",
    "Scope",
    "Sentiment",
    "SentimentModels",
    "Taxonomy",
    "analyse_after_ingest",
    "analyse_pending",
    "analyse_review",
    "analyse_text",
    "insights",
    "insights_chart",
    "load_taxonomy",
    "rating_polarity",
]
