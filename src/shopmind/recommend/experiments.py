"""A/B tests between recommender configurations: deterministic bucketing and per-arm results.

A user's arm is a hash of (experiment id, user id), so it never changes and nothing per user
is stored. Results come from events alone: the impressions the recommender logs
(``view_item_list`` tagged with the experiment and arm) and the shop's own clicks, carts and
purchases after them.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from shopmind.recommend.schemas import ArmIn
from shopmind.recommend.signals import user_key
from shopmind.store.recs import EventRow

Z95 = 1.959964  # two-sided 95% normal quantile
CLICKS = ("select_item", "view_item")


def bucket(experiment_id: str, user_id: str, arms: Sequence[ArmIn]) -> ArmIn:
    """The arm of ``user_id``: a uniform draw from a hash, split by the arms' weights."""
    if not arms:
        raise ValueError("an experiment needs at least one arm")
    digest = hashlib.sha256(f"{experiment_id}\x00{user_id}".encode()).digest()
    draw = int.from_bytes(digest[:8], "big") / 2**64 * sum(a.weight for a in arms)
    for arm in arms:
        draw -= arm.weight
        if draw < 0:
            return arm
    return arms[-1]  # float rounding at the very top of the range


@dataclass
class Rate:
    """A proportion with its Wilson score 95% interval."""

    successes: int
    trials: int
    value: float
    low: float
    high: float


@dataclass
class Mean:
    """A mean with its normal-approximation 95% interval (``sd``: the sample's)."""

    n: int
    value: float
    low: float
    high: float
    sd: float = 0.0


@dataclass
class Difference:
    """An arm's figure minus the control arm's, with a 95% interval (0 inside: no clear win)."""

    value: float
    low: float
    high: float


def wilson(successes: int, trials: int, z: float = Z95) -> Rate:
    """Wilson's interval: sensible at 0 or 1 successes, unlike the normal one."""
    if trials <= 0:
        return Rate(successes, trials, 0.0, 0.0, 0.0)
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return Rate(
        successes,
        trials,
        round(p, 6),
        round(max(0.0, centre - half), 6),
        round(min(1.0, centre + half), 6),
    )


def mean_interval(values: Sequence[float], z: float = Z95) -> Mean:
    """Mean ± z·s/√n (revenue per user: users are independent, n is large in any real test)."""
    n = len(values)
    if n == 0:
        return Mean(0, 0.0, 0.0, 0.0)
    data = np.asarray(values, dtype=np.float64)
    mean = float(data.mean())
    sd = float(data.std(ddof=1)) if n > 1 else 0.0
    half = z * sd / math.sqrt(n)
    return Mean(n, round(mean, 4), round(mean - half, 4), round(mean + half, 4), round(sd, 4))


def rate_difference(arm: Rate, control: Rate) -> Difference:
    """Newcombe's hybrid score interval for a difference of proportions, built from the two
    Wilson intervals (it keeps Wilson's good behaviour near 0 and 1)."""
    d = arm.value - control.value
    low = d - math.hypot(arm.value - arm.low, control.high - control.value)
    high = d + math.hypot(arm.high - arm.value, control.value - control.low)
    return Difference(round(d, 6), round(low, 6), round(high, 6))


def mean_difference(arm: Mean, control: Mean, z: float = Z95) -> Difference:
    """Welch's normal interval for a difference of means with unequal variances."""
    d = arm.value - control.value
    if not arm.n or not control.n:
        return Difference(round(d, 4), 0.0, 0.0)
    half = z * math.sqrt(arm.sd**2 / arm.n + control.sd**2 / control.n)
    return Difference(round(d, 4), round(d - half, 4), round(d + half, 4))


@dataclass
class _User:
    arm: str
    shown: set[str] = field(default_factory=set)
    carted: bool = False
    bought: bool = False
    revenue: dict[str, float] = field(default_factory=dict)


@dataclass
class ArmResult:
    arm: str
    users: int
    impressions: int
    ctr: Rate
    add_to_cart_rate: Rate
    conversion: Rate
    revenue_per_user: dict[str, Mean]  # by currency: amounts in different money never add up
    vs_control: dict[str, Difference] = field(default_factory=dict)  # the first arm is control


def results(
    experiment_id: str, arm_names: Sequence[str], rows: Sequence[EventRow]
) -> list[ArmResult]:
    """Per-arm metrics from events, oldest first.

    CTR: impressions with a later click (select_item or view_item) on one of their products, per
    impression. Add-to-cart rate: exposed users who then carted a product they were shown.
    Conversion: exposed users with a purchase after their first impression. Revenue per user:
    purchase value after exposure over every exposed user (0 for those who bought nothing)."""
    users: dict[str, _User] = {}
    impressions: dict[str, list[tuple[str, set[str]]]] = {}  # user -> [(arm, products)]
    clicked: set[tuple[str, int]] = set()
    for row in rows:
        who = user_key(row)
        if row.name == "view_item_list" and row.properties.get("experiment") == experiment_id:
            arm = str(row.properties.get("arm", ""))
            exposed = users.setdefault(who, _User(arm))
            exposed.shown.update(row.product_ids)
            impressions.setdefault(who, []).append((arm, set(row.product_ids)))
            continue
        known = users.get(who)
        if known is not None:
            _follow_up(row, who, known, impressions[who], clicked)
    out = [_arm_result(name, users, impressions, clicked) for name in arm_names]
    for result in out[1:]:
        result.vs_control = compare(result, out[0])
    return out


def compare(arm: ArmResult, control: ArmResult) -> dict[str, Difference]:
    """Every figure of ``arm`` minus the control's, with 95% intervals."""
    diffs = {
        "ctr": rate_difference(arm.ctr, control.ctr),
        "add_to_cart_rate": rate_difference(arm.add_to_cart_rate, control.add_to_cart_rate),
        "conversion": rate_difference(arm.conversion, control.conversion),
    }
    for currency in sorted(set(arm.revenue_per_user) | set(control.revenue_per_user)):
        mine = arm.revenue_per_user.get(currency, mean_interval([0.0] * arm.users))
        theirs = control.revenue_per_user.get(currency, mean_interval([0.0] * control.users))
        diffs[f"revenue_per_user.{currency}"] = mean_difference(mine, theirs)
    return diffs


def _follow_up(
    row: EventRow,
    who: str,
    user: _User,
    shown: list[tuple[str, set[str]]],
    clicked: set[tuple[str, int]],
) -> None:
    if row.name in CLICKS:
        for index in range(len(shown) - 1, -1, -1):  # the latest impression gets the click
            if shown[index][1].intersection(row.product_ids):
                clicked.add((who, index))
                break
    elif row.name == "add_to_cart" and user.shown.intersection(row.product_ids):
        user.carted = True
    elif row.name == "purchase":
        user.bought = True
        currency = row.currency or "?"
        user.revenue[currency] = user.revenue.get(currency, 0.0) + (row.value or 0.0)


def _arm_result(
    name: str,
    users: dict[str, _User],
    impressions: dict[str, list[tuple[str, set[str]]]],
    clicked: set[tuple[str, int]],
) -> ArmResult:
    members = [who for who, u in users.items() if u.arm == name]
    shown = [
        (who, i) for who in members for i, (arm, _) in enumerate(impressions[who]) if arm == name
    ]
    hits = sum(1 for key in shown if key in clicked)
    currencies = sorted({c for who in members for c in users[who].revenue})
    revenue = {
        c: mean_interval([users[who].revenue.get(c, 0.0) for who in members]) for c in currencies
    }
    return ArmResult(
        arm=name,
        users=len(members),
        impressions=len(shown),
        ctr=wilson(hits, len(shown)),
        add_to_cart_rate=wilson(sum(users[w].carted for w in members), len(members)),
        conversion=wilson(sum(users[w].bought for w in members), len(members)),
        revenue_per_user=revenue,
    )


def as_dict(result: ArmResult) -> dict[str, Any]:
    return asdict(result)
