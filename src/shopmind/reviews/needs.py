"""Customer needs: wish and complaint sentences grouped into themes.

Sentences are embedded (e5, multilingual, so "希望出大码" and "I wish it came in plus sizes" can
share a theme) and clustered by average-linkage agglomeration under a cosine-distance
threshold; each theme gets keywords (class-based TF-IDF over the themes), a count, a monthly
trend and the quotes nearest its centre, each citing its review.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from shopmind.models.embed import Embedder
from shopmind.reviews.lexicon import WISH_EN, WISH_ZH
from shopmind.reviews.summary import month_of
from shopmind.text import tokenize

Row = dict[str, Any]
MAX_SENTENCES = 1000  # the most recent ones: clustering is quadratic in memory and time
# Cosine distance (between centred e5 vectors) under which two sentences are one need: on the
# demo's wishes, different needs sit above 0.5 and rewordings of one need below it.
DISTANCE = 0.5

_STOP = frozenset(
    "a an the it its it's i i'd me my we you they them this that these those is was were be been "
    "are am to of in on for with and or but if so would could should will can do does did not no "
    "there their very too more less really just also please hope wish love like nice great good "
    "after before when then than as at by from up out one some any all only have has had get got "
    "的 了 是 我 也 都 很 就 还 在 和 有 能 个 一 不 太 吧 啊 呢 吗 给 让 再 点 要 会 把 被 这 那 "
    "希望 要是 如果 好了 建议 可以 一下 一个 一点 有点 没有 就是 但是 不过 "
    "感觉 觉得 非常 特别".split()
)


def need_items(rows: Sequence[Row]) -> list[Row]:
    """Every need of the analysed reviews, with its review's id, time and language."""
    return [
        {
            **need,
            "review_id": row["review_id"],
            "review_time": row["review_time"],
            "language": row["language"],
        }
        for row in rows
        for need in row["needs"]
    ]


def themes(
    items: Sequence[Row],
    embedder: Embedder,
    *,
    distance: float = DISTANCE,
    min_count: int = 2,
    top: int = 10,
) -> dict[str, list[Row]]:
    """Themes per need kind ("wish", "complaint"), largest first, over the most recent
    MAX_SENTENCES of each kind (``items`` in time order)."""
    if not 0 < distance < 2:
        raise ValueError(f"distance must be in (0, 2), got {distance}")
    out: dict[str, list[Row]] = {}
    for kind in ("wish", "complaint"):
        chosen = [item for item in items if item["kind"] == kind][-MAX_SENTENCES:]
        out[kind] = _themes_of(chosen, embedder, distance, min_count)[:top]
    return out


def _themes_of(items: list[Row], embedder: Embedder, distance: float, min_count: int) -> list[Row]:
    if not items:
        return []
    # Each distinct text once (complaints repeat); passages, not queries, because the
    # store-backed cache keeps passages, so asking again is cheap.
    unique = list(dict.fromkeys(item["text"] for item in items))
    found = centred(embedder.embed_passages([need_content(text) for text in unique]))
    row = {text: i for i, text in enumerate(unique)}
    vectors = found[[row[item["text"]] for item in items]]
    labels = cluster(vectors, distance) if len(unique) > 1 else np.zeros(len(items), np.int64)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    kept = [members for members in groups.values() if len(members) >= min_count]
    keywords = _keywords(
        [Counter(w for i in members for w in _words(items[i])) for members in kept]
    )
    result = []
    for members, keys in zip(kept, keywords, strict=True):
        result.append(_describe([items[i] for i in members], vectors[members], keys))
    return sorted(result, key=lambda t: (-t["count"], t["keywords"]))


# "希望出个大号的" wishes for a large size: after the wish word, a leading "出个" / "推出一款"
# (make, bring out) is wording that every such wish shares. Left in, it put "出个大号的",
# "出个替换装" and "出旅行装" within one theme's distance of each other.
# "出货" (ship) and the like are not "make": left alone.
_ZH_MAKE = re.compile(r"(?:能|可以)?(?:推出|出(?![货发厂色现来错]))?(?:一个|一款|一些|个|款)?(?=.)")


def need_content(text: str) -> str:
    """The need without its wish phrasing ("I wish it came with a case" -> "it came with a
    case", "希望出个替换装" -> "替换装"), so sentences group by what is wanted, not by how the
    wish is worded."""
    for pattern in (WISH_EN, WISH_ZH):
        found = pattern.match(text)
        if found:
            text = text[found.end() :]
            if pattern is WISH_ZH:
                text = _ZH_MAKE.sub("", text.lstrip(" ,，"), count=1)
    return text.strip(" ,.!，。！") or text


def centred(vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Unit vectors after removing their mean: e5 puts every sentence within a narrow cone
    (cosines of 0.8 between unrelated needs), and centring spreads them out."""
    if len(vectors) < 2:
        return vectors
    shifted = vectors - vectors.mean(axis=0)
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    if float(norms.max()) < 1e-3:  # all the same need: nothing to spread
        return vectors
    out: npt.NDArray[np.float32] = shifted / np.maximum(norms, 1e-6)
    return out


def cluster(vectors: npt.NDArray[np.float32], distance: float) -> npt.NDArray[np.int64]:
    """Cluster labels: average linkage over cosine distance (unit vectors), cut at ``distance``.

    The distances are computed here, so a degenerate (zero) vector is simply far from all.
    """
    if len(vectors) == 1:
        return np.zeros(1, np.int64)
    from sklearn.cluster import AgglomerativeClustering

    distances = np.clip(1.0 - vectors @ vectors.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=distance
    )
    return np.asarray(model.fit_predict(distances), dtype=np.int64)


def _words(item: Row) -> tuple[str, ...]:
    tokens = tokenize(item["text"], lang=item["language"])
    return tuple(t for t in tokens if t not in _STOP and len(t) > 1 and not t.isdigit())


def _keywords(counts: list[Counter[str]], top: int = 5) -> list[list[str]]:
    """Class-based TF-IDF: words frequent in a theme and rare in the others."""
    df = Counter(w for c in counts for w in c)
    n = len(counts)
    out = []
    for c in counts:
        total = sum(c.values()) or 1
        scored = sorted(c, key=lambda w: (-(c[w] / total) * math.log(1 + n / df[w]), w))
        out.append(scored[:top])
    return out


def _describe(items: list[Row], vectors: npt.NDArray[np.float32], keywords: list[str]) -> Row:
    centre = vectors.mean(axis=0)
    order = np.argsort(-(vectors @ centre))
    quotes: list[Row] = []
    seen: set[str] = set()
    for index in order:
        item = items[int(index)]
        if item["text"] not in seen:
            seen.add(item["text"])
            quotes.append({"text": item["text"], "review_id": item["review_id"]})
        if len(quotes) == 3:
            break
    months = Counter(month_of(item["review_time"]) for item in items)
    aspects = Counter(item["aspect"] for item in items if item["aspect"])
    return {
        "keywords": keywords,
        "count": len(items),
        "aspect": aspects.most_common(1)[0][0] if aspects else None,
        "languages": sorted({item["language"] for item in items}),
        "trend": [{"month": m, "count": n} for m, n in sorted(months.items())],
        "quotes": quotes,
        "review_ids": list(dict.fromkeys(item["review_id"] for item in items))[:20],
    }
