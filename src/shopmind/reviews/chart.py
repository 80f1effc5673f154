"""A chart of aspect sentiment over time: net score per month, one line per aspect."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from typing import Any

from shopmind.reviews.taxonomy import OVERALL

FORMATS = ("png", "svg")


def month_range(months: Sequence[str]) -> list[str]:
    """Every month from the first to the last ("YYYY-MM"), so gaps show as gaps in time."""
    if not months:
        return []
    year, month = map(int, months[0].split("-"))
    out = []
    while True:
        out.append(f"{year:04d}-{month:02d}")
        if out[-1] >= months[-1]:
            return out
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def aspect_chart(
    trend_rows: Sequence[dict[str, Any]],
    *,
    title: str,
    labels: dict[str, str] | None = None,
    top: int = 6,
    fmt: str = "png",
) -> bytes:
    """PNG or SVG bytes; the ``top`` most mentioned aspects (overall left out), net in [-1, 1]."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    import matplotlib

    matplotlib.use("Agg")  # no display on servers
    from matplotlib.figure import Figure

    volume: Counter[str] = Counter()
    for row in trend_rows:
        if row["aspect"] != OVERALL:
            volume[row["aspect"]] += row["positive"] + row["negative"]
    months = month_range(sorted({row["month"] for row in trend_rows}))
    figure = Figure(figsize=(9, 4.5), dpi=100)
    axes = figure.subplots()
    for aspect, _ in volume.most_common(top):
        cells = {r["month"]: r for r in trend_rows if r["aspect"] == aspect}
        xs = [i for i, m in enumerate(months) if m in cells]
        ys = [cells[months[i]]["net"] for i in xs]
        name = (labels or {}).get(aspect, aspect)
        axes.plot(xs, ys, marker="o", label=name)
    axes.axhline(0, color="grey", linewidth=0.8)
    axes.set_ylim(-1.05, 1.05)
    axes.set_ylabel("net sentiment (pos - neg) / (pos + neg)")
    step = max(1, len(months) // 12)
    axes.set_xticks(range(0, len(months), step), months[::step], rotation=45, ha="right")
    axes.set_title(title)
    if volume:
        axes.legend(loc="lower left", fontsize="small")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt)
    return buffer.getvalue()
