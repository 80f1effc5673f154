"""Recommender names → classes, and loading any saved artifact by its recorded name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shopmind.core.errors import InputError
from shopmind.recommend.base import META_FILE, Recommender


def model_classes() -> dict[str, Any]:
    """Every saveable model class by its ``name``."""
    from shopmind.recommend.blend import Blender
    from shopmind.recommend.factors import ALS, BPR
    from shopmind.recommend.knn import ItemKNN
    from shopmind.recommend.popularity import Popularity
    from shopmind.recommend.sasrec import SASRec

    classes: list[Any] = [Popularity, ItemKNN, ALS, BPR, SASRec, Blender]
    return {cls.name: cls for cls in classes}


def load_model(directory: Path) -> Recommender:
    """Load whatever model ``directory`` holds (its ``model.json`` names the class)."""
    meta_path = directory / META_FILE
    if not meta_path.is_file():
        raise InputError(f"no recommender artifact at {directory} ({META_FILE} missing)")
    name = json.loads(meta_path.read_text()).get("name")
    classes = model_classes()
    if name not in classes:
        raise InputError(f"{directory}: unknown model {name!r}; known: {', '.join(classes)}")
    model: Recommender = classes[name].load(directory)
    return model
