"""What the recommendation surfaces answer, and the bodies the API and CLI accept."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from shopmind.recommend.rules import RecConfig

Limit = Field(default=10, ge=1, le=100)


class RecItem(BaseModel):
    """One recommended product and why it is there."""

    id: str
    title: str
    category: str
    score: float
    reason: str  # human-readable: "because you viewed X", "trending in your region", ...
    reason_code: str  # because_viewed, bought_together, viewed_together, similar, trending, ...
    anchor: str | None = None  # the product the reason refers to


class RecResponse(BaseModel):
    """A list of recommendations, with what served it (for experiments and debugging)."""

    surface: str
    items: list[RecItem]
    user_id: str | None = None
    anchor: str | None = None
    cold_start: bool = False
    experiment: str | None = None
    arm: str | None = None
    model: str | None = None


class CartRequest(BaseModel):
    """``POST /v1/recommend/cart``: what is in the cart, and who is shopping."""

    model_config = ConfigDict(extra="forbid")

    product_ids: list[str] = Field(min_length=1, max_length=200)
    user_id: str | None = Field(default=None, max_length=200)
    session_id: str | None = Field(default=None, max_length=200)
    limit: int = Limit
    record: bool = True  # log the impression (experiments, already-shown)


class ArmIn(BaseModel):
    """One arm of an experiment: a name, a share of users, and config overrides."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    weight: float = Field(default=1.0, gt=0, le=1000)
    config: dict[str, object] = Field(default_factory=dict)

    def rec_config(self, base: RecConfig | None = None) -> RecConfig:
        return (base or RecConfig()).with_overrides(self.config)


class ExperimentIn(BaseModel):
    """``POST /v1/recommend/experiments``."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = Field(default="", max_length=200)
    surface: str = Field(default="home", pattern=r"^(home|similar|bought_together|cart)$")
    arms: list[ArmIn] = Field(min_length=2, max_length=10)
