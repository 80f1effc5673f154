"""Text-classifier training: frozen embeddings + logistic regression (``head``), LoRA or full
fine-tuning of a base encoder, versioned artifacts and loading them for inference.

Heavy libraries (torch, peft, scikit-learn, onnxruntime) load only when a method needs them.
"""

from shopmind.models.train.artifact import load_classifier
from shopmind.models.train.classifier import TextClassifier
from shopmind.models.train.config import BASES, METHODS, Method, TrainConfig
from shopmind.models.train.data import DataReport, LabelledTexts, read_labelled_csv
from shopmind.models.train.pipeline import (
    TrainResult,
    evaluate,
    fit_classifier,
    train_classifier,
    train_on_splits,
)
from shopmind.models.train.progress import Reporter
from shopmind.models.train.split import Splits, holdout_split, sample_stratified, stratified_split

__all__ = [
    "BASES",
    "METHODS",
    "DataReport",
    "LabelledTexts",
    "Method",
    "Reporter",
    "Splits",
    "TextClassifier",
    "TrainConfig",
    "TrainResult",
    "evaluate",
    "fit_classifier",
    "holdout_split",
    "load_classifier",
    "read_labelled_csv",
    "sample_stratified",
    "stratified_split",
    "train_classifier",
    "train_on_splits",
]
