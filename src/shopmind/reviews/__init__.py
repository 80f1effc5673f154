"""Review analytics: aspect sentiment over a shop-extendable taxonomy, needs mining, pros/cons.

Public functions: ``analyse_text`` (one text), ``analyse_pending`` (the job that stores analyses),
``insights`` and ``insights_chart`` (what the API and CLI serve), ``load_taxonomy``.
"""

from __future__ import annotations

from shopmind.reviews.analyse import ANALYSER, analyse_review
from shopmind.reviews.aspects import AspectMention, NeedSentence, analyse_text
from shopmind.reviews.service import Scope, analyse_pending, insights, insights_chart
from shopmind.reviews.taxonomy import OVERALL, Taxonomy, load_taxonomy

__all__ = [
    "ANALYSER",
    "OVERALL",
    "AspectMention",
    "NeedSentence",
    "Scope",
    "Taxonomy",
    "analyse_pending",
    "analyse_review",
    "analyse_text",
    "insights",
    "insights_chart",
    "load_taxonomy",
]
