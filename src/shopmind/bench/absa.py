"""``shopmind bench absa``: aspect sentiment on SemEval-2014 (English) and zhijiang (Chinese).

Models, all trained only on the training files (settings picked on a validation slice of
them; test labels read only to score):

- ``tfidf`` (the baseline): TF-IDF of the aspect-marked text + logistic regression.
- ``rules``: ShopMind's own rules (``shopmind.reviews``), no training: the zero-shot reference.
- ``e5``: multilingual-e5-small embeddings of "aspect: X. sentence" + logistic regression.
- ``e5+tfidf``: both feature sets in one logistic regression.
- ``use``: Universal Sentence Encoder (multilingual v3) vectors of the aspect prompt and of
  the plain text around the aspect, side by side + logistic regression.
- ``e5-span``: frozen e5-small hidden states at the aspect's own tokens and over the whole
  sentence, after layers 8 and 12, standardised + logistic regression
  (``shopmind.bench.absa_models.span_features``).
- ``lora`` (opt-in): e5-small fine-tuned with LoRA by ``shopmind.models.train`` on the same
  "aspect: X. sentence" texts, early-stopped on the validation slice.
- ``ensemble``: a soft vote of the other trained models' probabilities, weights from a 0.1-step
  grid chosen on validation macro-F1.

The validation slice is 10% of the training sentences with all their aspects (a sentence is
never on both sides); C, the lora epoch and the ensemble weights are chosen on it.

SemEval: aspect-term polarity, 3 classes ("conflict" dropped, as is standard). Zhijiang:
category detection (multi-label per review, micro F1 over (review, category) pairs) and
category polarity given the gold categories (macro-F1), on 20% of review ids held out.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from shopmind.bench.absa_models import (
    Fitted,
    choose_weights,
    fit_lr,
    grouped_validation,
    span_features,
    standardised,
)
from shopmind.bench.ensemble import soft_vote
from shopmind.bench.lexical import tfidf_vectoriser
from shopmind.bench.machine import machine_info
from shopmind.core.errors import InputError
from shopmind.evaluate.absa import (
    SEMEVAL_POLARITIES,
    ZhReview,
    holdout_ids,
    read_semeval14,
    read_zhijiang,
)
from shopmind.models.embed import Embedder
from shopmind.models.train.data import LabelledTexts

MODELS = ("tfidf", "rules", "e5", "e5+tfidf", "use", "e5-span", "lora", "ensemble")
# lora: opt-in, tens of minutes of CPU
DEFAULT_MODELS = ("tfidf", "rules", "e5", "e5+tfidf", "use", "e5-span", "ensemble")
EMBEDDED_MODELS = ("e5", "e5+tfidf")  # the models that need the e5 ``embedder``
CATEGORY_MODELS = ("tfidf", "rules", "e5", "e5+tfidf", "use")  # zhijiang category detection
FORMATS = ("semeval14", "zhijiang")
LABELS = list(SEMEVAL_POLARITIES)
C_GRID = (0.3, 1.0, 3.0, 10.0)
SPAN_C_GRID = (0.1, 0.3, 1.0, 3.0)
Say = Callable[[str], None]
F32 = npt.NDArray[np.float32]
# Zhijiang categories and the ShopMind aspects that speak for them (rules model).
ZH_CATEGORY_ASPECTS = {
    "物流": ("logistics",),
    "服务": ("service",),
    "价格": ("price",),
    "包装": ("packaging",),
    "尺寸": ("size",),
    "气味": ("smell",),
    "真伪": ("authenticity",),
    "新鲜度": ("freshness",),
    "功效": ("function",),
    "使用体验": ("comfort",),
    "成分": (),
    "整体": ("overall", "quality"),
    "其他": ("appearance",),
}


@dataclass(frozen=True)
class Encoders:
    """What the models embed with: the e5 embedder, USE, and torch threads for e5-span."""

    e5: Embedder | None = None
    use: Embedder | None = None
    threads: int = 1


@dataclass
class Task:
    """Texts, the aspect each is about, and labels, for one split."""

    texts: list[str]
    aspects: list[str]
    labels: list[str]
    starts: list[int]  # the aspect's offset in the text (-1: a category, not a span)


def run(
    fmt: str,
    train: Sequence[Path],
    test: Path | None,
    *,
    models: Sequence[str] = DEFAULT_MODELS,
    embedder: Embedder | None = None,
    seed: int = 13,
    holdout: float = 0.2,
    say: Say | None = None,
    lora: dict[str, Any] | None = None,
    use_embedder: Embedder | None = None,
    threads: int = 1,
) -> dict[str, Any]:
    """Train and score each model; the benchmark contract's JSON.

    ``embedder``: e5 for the e5 models; ``use_embedder``: for ``use`` (default: the registered
    "use"); ``threads``: torch threads of e5-span. ``lora``: TrainConfig overrides for the lora
    model (e.g. ``{"epochs": 4}``).
    """
    unknown = [m for m in models if m not in MODELS]
    if unknown or not models:
        raise InputError(f"unknown models {unknown}; choose from: {', '.join(MODELS)}")
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; choose from: {', '.join(FORMATS)}")
    if not train:
        raise InputError("give at least one --train file")
    if any(m in EMBEDDED_MODELS for m in models) and embedder is None:
        raise InputError("the e5 models need an embedder")
    if "ensemble" in models and not set(models) - {"ensemble", "rules"}:
        raise InputError("ensemble needs at least one trained model (tfidf, e5, use, ...)")
    if "use" in models and use_embedder is None:
        from shopmind.models.embed import get_embedder

        use_embedder = get_embedder("use")
    encoders = Encoders(embedder, use_embedder, threads)
    note = say or (lambda _: None)
    if fmt == "semeval14":
        if test is None:
            raise InputError("--format semeval14 needs --test (e.g. Restaurants_Test_Gold.xml)")
        return _semeval(train, test, models, encoders, seed, note, lora or {})
    return _zhijiang(train, test, models, encoders, seed, holdout, note, lora or {})


# -- SemEval-2014 -----------------------------------------------------------------------------


def _semeval(
    train_paths: Sequence[Path],
    test_path: Path,
    models: Sequence[str],
    encoders: Encoders,
    seed: int,
    say: Say,
    lora: dict[str, Any],
) -> dict[str, Any]:
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    files = [read_semeval14(p) for p in train_paths]
    held = read_semeval14(test_path)
    train = _term_task([e for f in files for e in f.examples])
    test = _term_task(held.examples)
    seconds["read"] = round(time.perf_counter() - started, 2)
    dropped = {str(p): dict(f.dropped) for p, f in zip(train_paths, files, strict=True)}
    dropped[str(test_path)] = dict(held.dropped)
    say(f"train {len(train.texts)} terms, test {len(test.texts)}; conflict dropped: {dropped}")
    results, notes = _score_models(train, test, models, encoders, seed, "en", seconds, say, lora)
    return _contract(
        "absa",
        {
            "format": "semeval14",
            "train": [str(p) for p in train_paths],
            "test": str(test_path),
            "task": "aspect-term polarity, 3 classes (conflict dropped)",
            "rows": {"train": len(train.texts), "test": len(test.texts)},
            "dropped": dropped,
            "seed": seed,
        },
        results,
        notes,
        seconds,
    )


def _term_task(examples: Sequence[Any]) -> Task:
    return Task(
        [e.text for e in examples],
        [e.term for e in examples],
        [e.polarity for e in examples],
        [e.start for e in examples],
    )


def _marked(task: Task, index: int, width: int = 60) -> str:
    """The aspect and the text around it, the term between brackets."""
    text, start = task.texts[index], task.starts[index]
    if start < 0:
        return f"{task.aspects[index]}: {text}"
    end = start + len(task.aspects[index])
    left, right = text[max(0, start - width) : start], text[end : end + width]
    return f"{task.aspects[index]}: {left}[{text[start:end]}]{right}"


def _prompt(task: Task, index: int) -> str:
    """What e5 embeds: the aspect first, then the whole sentence (e5's "query: " is added)."""
    return f"aspect: {task.aspects[index]}. {task.texts[index]}"


# -- zhijiang ---------------------------------------------------------------------------------


def _zhijiang(
    train_paths: Sequence[Path],
    test_path: Path | None,
    models: Sequence[str],
    encoders: Encoders,
    seed: int,
    holdout: float,
    say: Say,
    lora: dict[str, Any],
) -> dict[str, Any]:
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    reviews = [r for p in train_paths for r in read_zhijiang(p)]
    if test_path is not None:
        train_reviews, test_reviews = reviews, read_zhijiang(test_path)
        split = "given test file"
    else:
        held = holdout_ids([r.id for r in reviews], holdout, seed)
        train_reviews = [r for r in reviews if r.id not in held]
        test_reviews = [r for r in reviews if r.id in held]
        split = f"{holdout:.0%} of review ids held out, seed {seed}"
    seconds["read"] = round(time.perf_counter() - started, 2)
    say(f"zhijiang: {len(train_reviews)} train reviews, {len(test_reviews)} test ({split})")
    categories = sorted({c for r in train_reviews for c in r.categories})
    results, notes = _zh_categories(
        train_reviews, test_reviews, categories, models, encoders, seed, seconds, say
    )
    polarity_train, polarity_test = _category_task(train_reviews), _category_task(test_reviews)
    scored, more = _score_models(
        polarity_train, polarity_test, models, encoders, seed, "zh", seconds, say, lora
    )
    for model, figures in scored.items():
        results.setdefault(model, {}).update({f"polarity_{k}": v for k, v in figures.items()})
        notes[model] = "; ".join(n for n in (notes.get(model), f"polarity: {more[model]}") if n)
    return _contract(
        "absa",
        {
            "format": "zhijiang",
            "train": [str(p) for p in train_paths],
            "test": str(test_path) if test_path else None,
            "split": split,
            "seed": seed,
            "categories": categories,
            "task": "category detection (micro F1 over review x category) and category "
            "polarity given the gold categories (3 classes)",
            "rows": {
                "train_reviews": len(train_reviews),
                "test_reviews": len(test_reviews),
                "train_pairs": len(polarity_train.texts),
                "test_pairs": len(polarity_test.texts),
            },
        },
        results,
        notes,
        seconds,
    )


def _category_task(reviews: Sequence[ZhReview]) -> Task:
    task = Task([], [], [], [])
    for review in reviews:
        for category, polarity in sorted(review.category_polarity().items()):
            task.texts.append(review.text)
            task.aspects.append(category)
            task.labels.append(polarity)
            task.starts.append(-1)
    return task


def _zh_categories(
    train: Sequence[ZhReview],
    test: Sequence[ZhReview],
    categories: list[str],
    models: Sequence[str],
    encoders: Encoders,
    seed: int,
    seconds: dict[str, float],
    say: Say,
) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    truth = [r.categories for r in test]
    results: dict[str, dict[str, float]] = {}
    notes: dict[str, str] = {}
    for model in models:
        if model not in CATEGORY_MODELS:
            continue
        started = time.perf_counter()
        if model == "rules":
            predicted = [_rules_categories(r.text) for r in test]
            notes[model] = "taxonomy aspects mapped to the zhijiang categories, no training"
        else:
            x_train, x_test = _features(
                model, [r.text for r in train], [r.text for r in test], encoders, "zh"
            )
            predicted, c = _multilabel(
                x_train, [r.categories for r in train], x_test, categories, seed
            )
            notes[model] = f"categories: one-vs-rest logistic regression, C={c:g}"
        results[model] = {f"category_{k}": v for k, v in _set_f1(truth, predicted).items()}
        seconds[f"{model}_categories"] = round(time.perf_counter() - started, 1)
        say(f"{model} categories: {results[model]}")
    return results, notes


def _rules_categories(text: str) -> set[str]:
    from shopmind.reviews import analyse_text, load_taxonomy

    mentions, _ = analyse_text(text, "zh", load_taxonomy())
    found = {m.aspect for m in mentions}
    out = {c for c, aspects in ZH_CATEGORY_ASPECTS.items() if found & set(aspects)}
    return out or {"整体"}


def _multilabel(
    x_train: Any, y_train: list[set[str]], x_test: Any, categories: list[str], seed: int
) -> tuple[list[set[str]], float]:
    """One-vs-rest logistic regression; every review gets at least its most likely category."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    binar = MultiLabelBinarizer(classes=categories)
    y = binar.fit_transform(y_train)
    fit_idx, val_idx = _validation_split(len(y_train), seed)
    best: tuple[float, float] | None = None
    for c in C_GRID:
        model = OneVsRestClassifier(LogisticRegression(C=c, max_iter=2000))
        model.fit(_take(x_train, fit_idx), y[fit_idx])
        guess = _decode(model.predict_proba(_take(x_train, val_idx)), categories)
        f1 = _set_f1([y_train[i] for i in val_idx], guess)["f1"]
        if best is None or f1 > best[0]:
            best = (f1, c)
    assert best is not None
    model = OneVsRestClassifier(LogisticRegression(C=best[1], max_iter=2000)).fit(x_train, y)
    return _decode(model.predict_proba(x_test), categories), best[1]


def _decode(proba: Any, categories: list[str]) -> list[set[str]]:
    out = []
    for row in np.asarray(proba):
        chosen = {categories[j] for j in np.flatnonzero(row >= 0.5)}
        out.append(chosen or {categories[int(np.argmax(row))]})
    return out


def _set_f1(truth: Sequence[set[str]], predicted: Sequence[set[str]]) -> dict[str, float]:
    tp = sum(len(t & p) for t, p in zip(truth, predicted, strict=True))
    n_pred = sum(len(p) for p in predicted)
    n_true = sum(len(t) for t in truth)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_true if n_true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


# -- polarity models, shared ------------------------------------------------------------------


def _score_models(
    train: Task,
    test: Task,
    models: Sequence[str],
    encoders: Encoders,
    seed: int,
    language: str,
    seconds: dict[str, float],
    say: Say,
    lora: dict[str, Any],
) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    from shopmind.models.train.metrics import classification_report

    results: dict[str, dict[str, float]] = {}
    notes: dict[str, str] = {}
    labels = [label for label in LABELS if label in set(train.labels)]
    fit_idx, val_idx = grouped_validation(train.texts, seed)
    say(f"validation: {len(val_idx)} of {len(train.texts)} training rows (whole texts)")
    fitted: dict[str, Fitted] = {}
    # The ensemble votes over the others, so it comes last whatever the order asked for.
    for model in sorted(models, key=lambda m: m == "ensemble"):
        started = time.perf_counter()
        if model == "rules":
            predicted, per_s = _rules_polarity(test, language)
            notes[model] = "lexicon rules over the clause holding the aspect, no training"
        elif model == "ensemble":
            predicted, per_s, notes[model] = _ensemble(fitted, train, val_idx)
        else:
            if model == "lora":
                fit, per_s = _lora_polarity(train, test, fit_idx, val_idx, seed, say, lora)
            else:
                fit, per_s = _trained_polarity(
                    model, train, test, fit_idx, val_idx, encoders, language
                )
                if model == "e5+tfidf" and "e5" in fitted:
                    fit = replace(
                        fit,
                        note=fit.note + " (e5 vectors reused from e5: predict_per_s "
                        "leaves out embedding)",
                    )
            fitted[model] = fit
            predicted, notes[model] = fit.predicted(), fit.note
        report = classification_report(test.labels, predicted, labels)
        figures = {"accuracy": report["accuracy"], "macro_f1": report["macro_f1"]}
        for label, row in report["per_class"].items():
            figures[f"f1[{label}]"] = row["f1"]
        figures["predict_per_s"] = round(per_s, 1)
        results[model] = figures
        seconds[model] = round(time.perf_counter() - started, 1)
        say(f"{model}: accuracy {figures['accuracy']:.4f} macro-F1 {figures['macro_f1']:.4f}")
    return {m: results[m] for m in models}, {m: notes[m] for m in models}


def _ensemble(fitted: dict[str, Fitted], train: Task, val_idx: Any) -> tuple[list[str], float, str]:
    """Soft vote of ``fitted``'s probabilities, weights chosen on validation macro-F1."""
    if not fitted:
        raise InputError("ensemble needs at least one trained model (tfidf, e5, use, ...)")
    started = time.perf_counter()
    labels = sorted(set(train.labels))
    members = {name: fit.member() for name, fit in fitted.items()}
    truth = [train.labels[int(i)] for i in val_idx]
    weights, f1 = choose_weights(members, labels, truth)
    proba = soft_vote(members, weights, labels, "test")
    predicted = [labels[int(i)] for i in proba.argmax(axis=1)]
    per_s = len(predicted) / max(time.perf_counter() - started, 1e-9)
    shown = ", ".join(f"{n} {w:g}" for n, w in weights.items() if w)
    note = (
        f"soft vote, weights on validation macro-F1 {f1:.4f}: {shown} "
        "(predict_per_s: the vote alone, the members' time not counted)"
    )
    return predicted, per_s, note


def _rules_polarity(task: Task, language: str) -> tuple[list[str], float]:
    from shopmind.reviews import analyse_text, load_taxonomy
    from shopmind.reviews.aspects import span_polarity

    taxonomy = load_taxonomy()
    started = time.perf_counter()
    out: list[str] = []
    for i, text in enumerate(task.texts):
        if task.starts[i] >= 0:
            out.append(span_polarity(text, task.starts[i], language, taxonomy))
            continue
        mentions, _ = analyse_text(text, language, taxonomy)
        wanted = set(ZH_CATEGORY_ASPECTS.get(task.aspects[i], ()))
        about = [m for m in mentions if m.aspect in wanted] or mentions
        score = sum(1 if m.polarity == "positive" else -1 for m in about)
        out.append("positive" if score > 0 else "negative" if score < 0 else "neutral")
    return out, len(out) / max(time.perf_counter() - started, 1e-9)


def _trained_polarity(
    model: str,
    train: Task,
    test: Task,
    fit_idx: Any,
    val_idx: Any,
    encoders: Encoders,
    language: str,
) -> tuple[Fitted, float]:
    """Logistic regression on ``model``'s features; C picked on the validation rows."""
    started = time.perf_counter()
    if model == "e5-span":
        x_train = span_features(train.texts, train.aspects, train.starts, threads=encoders.threads)
        started = time.perf_counter()
        x_test = span_features(test.texts, test.aspects, test.starts, threads=encoders.threads)
        x_train, x_test = standardised(x_train, x_test)
        grid: tuple[float, ...] = SPAN_C_GRID
    else:
        train_texts = _inputs(model, train)
        x_train, _ = _features(model, train_texts, [], encoders, language)
        started = time.perf_counter()
        _, x_test = _features(model, train_texts, _inputs(model, test), encoders, language)
        grid = C_GRID
    per_s = len(test.texts) / max(time.perf_counter() - started, 1e-9)
    fit, c = fit_lr(x_train, train.labels, fit_idx, val_idx, x_test, grid)
    extra = ", standardised" if model == "e5-span" else ""
    return replace(fit, note=f"logistic regression, C={c:g}, class_weight=balanced{extra}"), per_s


def _lora_polarity(
    train: Task,
    test: Task,
    fit_idx: Any,
    val_idx: Any,
    seed: int,
    say: Say,
    overrides: dict[str, Any],
) -> tuple[Fitted, float]:
    """Fine-tune e5-small with LoRA on the aspect prompts of the fit rows, early-stopped on the
    validation rows; probabilities of the saved (served) model on validation and test."""
    import tempfile

    from shopmind.models.train import Reporter, TrainConfig, train_on_splits
    from shopmind.models.train.data import DataReport
    from shopmind.models.train.split import Splits

    prompts = [_prompt(train, i) for i in range(len(train.texts))]
    held = LabelledTexts([_prompt(test, i) for i in range(len(test.texts))], list(test.labels))
    splits = Splits(
        _distinct(prompts, train.labels, fit_idx, set(held.texts)),
        _distinct(prompts, train.labels, val_idx, set()),
        held,
        seed,
        "given test file; validation: the bench's whole-sentence slice of the train files",
    )
    settings: dict[str, Any] = {"max_length": 96, "epochs": 2, **overrides}
    config = TrainConfig(task="bench-absa", method="lora", base="e5-small", seed=seed, **settings)
    say(f"lora: {splits.counts()} ({splits.scheme})")
    with tempfile.TemporaryDirectory(prefix="shopmind-bench-absa-") as root:
        result = train_on_splits(
            splits,
            config,
            DataReport("absa", ""),
            reporter=Reporter(enabled=False),
            root=Path(root),
        )
        served = result.served
        validation = served.predict_proba([prompts[int(i)] for i in val_idx])
        started = time.perf_counter()
        proba = served.predict_proba(held.texts)
        per_s = len(held.texts) / max(time.perf_counter() - started, 1e-9)
    labels = sorted(set(train.labels))
    order = [served.labels.index(label) if label in served.labels else -1 for label in labels]

    def columns(p: F32) -> F32:
        out = np.zeros((p.shape[0], len(labels)), np.float32)
        for j, k in enumerate(order):
            if k >= 0:
                out[:, j] = p[:, k]
        return out

    t = result.metadata["training"]
    note = (
        f"e5-small LoRA r {config.lora_r} on the top {config.lora_layers} layers, lr "
        f"{config.learning_rate:g}, {t['epochs_run']} epochs ({t['steps']} steps, best at "
        f"{t['best_at']}), max_length {config.max_length}"
    )
    return Fitted(labels, columns(validation), columns(proba), note), per_s


def _distinct(
    texts: list[str], labels: list[str], index: Any, leave_out: set[str]
) -> LabelledTexts:
    """The rows at ``index`` once per text (a repeated text keeps its first label)."""
    first: dict[str, str] = {}
    for i in index:
        if texts[int(i)] not in leave_out:
            first.setdefault(texts[int(i)], labels[int(i)])
    return LabelledTexts(list(first), list(first.values()))


def _inputs(model: str, task: Task) -> list[str]:
    """Per example: the marked window for TF-IDF, the aspect prompt for e5, both joined by \\x00."""
    return [f"{_marked(task, i)}\x00{_prompt(task, i)}" for i in range(len(task.texts))]


def _window(marked: str) -> str:
    """The plain text around the aspect, from a ``_marked`` string."""
    return marked.partition(": ")[2].replace("[", "").replace("]", "")


def _features(
    model: str, train: list[str], test: list[str], encoders: Encoders, language: str
) -> tuple[Any, Any]:
    """Train and test matrices for ``model`` ("tfidf", "e5", "e5+tfidf" or "use")."""
    import scipy.sparse as sp

    tfidf_part = [t.split("\x00")[0] for t in train], [t.split("\x00")[0] for t in test]
    e5_part = [t.split("\x00")[-1] for t in train], [t.split("\x00")[-1] for t in test]
    parts_train: list[Any] = []
    parts_test: list[Any] = []
    if model in ("tfidf", "e5+tfidf"):
        vectoriser = tfidf_vectoriser(chinese=language == "zh")
        parts_train.append(vectoriser.fit_transform(tfidf_part[0]))
        parts_test.append(vectoriser.transform(tfidf_part[1]) if test else None)
    if model in ("e5", "e5+tfidf"):
        assert encoders.e5 is not None
        parts_train.append(sp.csr_matrix(_embed(encoders.e5, e5_part[0])))
        parts_test.append(sp.csr_matrix(_embed(encoders.e5, e5_part[1])) if test else None)
    if model == "use":
        # The aspect prompt and the plain window around the aspect, side by side.
        assert encoders.use is not None
        for part, texts in enumerate((e5_part[0], [_window(t) for t in tfidf_part[0]])):
            parts_train.append(sp.csr_matrix(_embed(encoders.use, texts)))
            if test:
                held = e5_part[1] if part == 0 else [_window(t) for t in tfidf_part[1]]
                parts_test.append(sp.csr_matrix(_embed(encoders.use, held)))
    if not parts_train:
        raise InputError(f"model {model!r} has no text features")
    x_train = sp.hstack(parts_train).tocsr()
    x_test = sp.hstack(parts_test).tocsr() if test else None
    return x_train, x_test


_EMBEDDED: dict[tuple[str, str], F32] = {}


def _embed(embedder: Embedder, texts: list[str]) -> F32:
    """e5 query vectors, remembered per text for the run (the models share them)."""
    todo = list(dict.fromkeys(t for t in texts if (embedder.name, t) not in _EMBEDDED))
    for start in range(0, len(todo), 64):
        batch = todo[start : start + 64]
        for text, vector in zip(batch, embedder.embed_queries(batch), strict=True):
            _EMBEDDED[(embedder.name, text)] = vector
    if not texts:
        return np.zeros((0, embedder.dim), np.float32)
    return np.stack([_EMBEDDED[(embedder.name, t)] for t in texts])


def _validation_split(n: int, seed: int, share: float = 0.1) -> tuple[Any, Any]:
    order = np.random.default_rng(seed).permutation(n)
    cut = max(1, int(n * share))
    return np.sort(order[cut:]), np.sort(order[:cut])


def _take(x: Any, index: Any) -> Any:
    return x[index]


def _contract(
    capability: str,
    dataset: dict[str, Any],
    results: dict[str, dict[str, float]],
    notes: dict[str, str],
    seconds: dict[str, float],
) -> dict[str, Any]:
    return {
        "capability": capability,
        "dataset": dataset,
        "results": results,
        "notes": notes,
        "baseline": "tfidf" if "tfidf" in results else None,
        "seconds": seconds,
        "machine": machine_info(),
    }
