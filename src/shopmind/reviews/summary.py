"""Aggregates over analysed reviews: aspect table, extractive pros/cons, monthly trend.

Every point cites the reviews it stands on (ids and quotes), so a reader can check it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from shopmind.reviews.taxonomy import OVERALL, Taxonomy

Row = dict[str, Any]
MAX_IDS = 20
MAX_QUOTES = 3


def month_of(value: datetime) -> str:
    return value.strftime("%Y-%m")


def review_aspects(row: Row) -> dict[str, str]:
    """A review's verdict per aspect: the balance of its mentions ("包装精美，送人很有面子"
    is one review praising packaging, not two)."""
    score: dict[str, int] = {}
    for mention in row["aspects"]:
        sign = (
            1
            if mention["polarity"] == "positive"
            else -1
            if mention["polarity"] == "negative"
            else 0
        )
        score[mention["aspect"]] = score.get(mention["aspect"], 0) + sign
    return {
        a: "positive" if s > 0 else "negative" if s < 0 else "neutral" for a, s in score.items()
    }


def aspect_table(rows: Sequence[Row], taxonomy: Taxonomy, language: str) -> list[Row]:
    """Per aspect: reviews mentioning it, positive, negative, share positive and net score."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        for aspect, polarity in review_aspects(row).items():
            counts[aspect][polarity] += 1
    out = []
    for aspect, c in counts.items():
        judged = c["positive"] + c["negative"]
        out.append(
            {
                "aspect": aspect,
                "label": taxonomy.label(aspect, language),
                "reviews": sum(c.values()),
                "positive": c["positive"],
                "negative": c["negative"],
                "positive_share": round(c["positive"] / judged, 3) if judged else None,
                "net": round((c["positive"] - c["negative"]) / judged, 3) if judged else 0.0,
            }
        )
    return sorted(out, key=lambda r: (-r["reviews"], r["aspect"]))


def pros_cons(
    rows: Sequence[Row], taxonomy: Taxonomy, language: str, *, min_count: int = 2, top: int = 5
) -> dict[str, list[Row]]:
    """Extractive pros and cons: per aspect and polarity, the count, the most said opinion,
    quotes and the ids of the reviews that say it. Overall praise is left out (it says nothing
    about what is good)."""
    groups: dict[tuple[str, str], list[tuple[str, Row]]] = defaultdict(list)
    for row in rows:
        for mention in row["aspects"]:
            if mention["aspect"] != OVERALL and mention["polarity"] != "neutral":
                groups[(mention["aspect"], mention["polarity"])].append((row["review_id"], mention))
    out: dict[str, list[Row]] = {"pros": [], "cons": []}
    for (aspect, polarity), items in groups.items():
        ids = list(dict.fromkeys(review_id for review_id, _ in items))
        if len(ids) < min_count:
            continue
        opinions = Counter(m["opinion"].lower() for _, m in items)
        quotes = _quotes(items)
        out["pros" if polarity == "positive" else "cons"].append(
            {
                "aspect": aspect,
                "label": taxonomy.label(aspect, language),
                "point": quotes[0]["text"],
                "count": len(ids),
                "top_opinions": [w for w, _ in opinions.most_common(3)],
                "quotes": quotes,
                "review_ids": ids[:MAX_IDS],
            }
        )
    for key in out:
        out[key] = sorted(out[key], key=lambda p: (-p["count"], p["aspect"]))[:top]
    return out


def _quotes(items: list[tuple[str, Row]]) -> list[Row]:
    """The most repeated evidence first (the typical way of saying it), one per review."""
    said = Counter(m["evidence"] for _, m in items)
    seen: set[str] = set()
    quotes = []
    for text, _ in said.most_common():
        review_id = next(r for r, m in items if m["evidence"] == text)
        if review_id not in seen:
            seen.add(review_id)
            quotes.append({"text": text, "review_id": review_id})
        if len(quotes) == MAX_QUOTES:
            break
    return quotes


def trend(rows: Sequence[Row]) -> list[Row]:
    """Per month and aspect: reviews judging it positive and negative, and the net score."""
    cells: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row in rows:
        month = month_of(row["review_time"])
        for aspect, polarity in review_aspects(row).items():
            cells[(month, aspect)][polarity] += 1
    out = []
    for (month, aspect), c in sorted(cells.items()):
        judged = c["positive"] + c["negative"]
        net = round((c["positive"] - c["negative"]) / judged, 3) if judged else 0.0
        out.append(
            {
                "month": month,
                "aspect": aspect,
                "positive": c["positive"],
                "negative": c["negative"],
                "net": net,
            }
        )
    return out


def polarity_counts(rows: Sequence[Row]) -> dict[str, int]:
    counts = Counter(row["polarity"] for row in rows)
    return {p: counts.get(p, 0) for p in ("positive", "neutral", "negative")}


def rating_agreement(rows: Sequence[Row]) -> float | None:
    """Share of reviews whose text alone (the balance of their aspects) agrees with their
    stars (4-5 positive, 1-2 negative); 3-star reviews and texts judging nothing are left out.
    None when no review is left."""
    agree = total = 0
    for row in rows:
        score = sum(
            1 if p == "positive" else -1 if p == "negative" else 0
            for p in review_aspects(row).values()
        )
        if row["rating"] == 3 or score == 0:
            continue
        total += 1
        agree += (score > 0) == (row["rating"] >= 4)
    return round(agree / total, 3) if total else None


def sentiment_summary(rows: Sequence[Row]) -> dict[str, Any]:
    """Review-level sentiment: what produced the labels, and how often they agree with the stars
    (reviews whose agreement is open, e.g. 3 stars under a two-way model, are left out), with
    the ids of reviews that disagree (a 1-star rave is worth a look)."""
    sources = Counter(row.get("polarity_source") or "rules" for row in rows)
    judged = [row for row in rows if row.get("rating_agrees") is not None]
    agree = sum(1 for row in judged if row["rating_agrees"])
    return {
        "counts": polarity_counts(rows),
        "sources": dict(sources.most_common()),
        "rating_agreement": round(agree / len(judged), 3) if judged else None,
        "judged": len(judged),
        "disagreeing_review_ids": [r["review_id"] for r in judged if not r["rating_agrees"]][
            :MAX_IDS
        ],
    }
