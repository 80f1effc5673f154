"""Every recommender recovers a planted pattern and survives a save/load round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from shopmind.core.errors import InputError
from shopmind.recommend.base import Recommender, history_matrix
from shopmind.recommend.blend import Blender, standardise
from shopmind.recommend.factors import ALS, BPR
from shopmind.recommend.knn import ItemKNN, cooccurrence
from shopmind.recommend.popularity import Popularity
from shopmind.recommend.registry import load_model
from shopmind.recommend.sasrec import SASRec

from .conftest import N_ITEMS


def _arr(*items: int) -> np.ndarray:
    return np.asarray(items, dtype=np.int64)


def test_history_matrix_weights_newest_first() -> None:
    m = history_matrix([_arr(1, 2, 3), _arr(4)], 6, last=2, decay=0.5).toarray()
    assert m[0].tolist() == [0, 0, 0.5, 1.0, 0, 0]  # item 1 is beyond the last 2
    assert m[1].tolist() == [0, 0, 0, 0, 1.0, 0]


def test_cooccurrence_window_and_direction() -> None:
    seqs = [_arr(0, 1, 2), _arr(3, 0)]
    forward = cooccurrence(seqs, 4, window=1, backward=0.0).toarray()
    assert forward[0, 1] == 1 and forward[1, 2] == 1 and forward[3, 0] == 1
    assert forward[1, 0] == 0 and forward[0, 2] == 0  # 2 is two steps after 0
    both = cooccurrence(seqs, 4, window=2, backward=0.5).toarray()
    assert both[0, 2] == 1 and both[2, 0] == 0.5 and both[2, 3] == 0  # never across users
    rows = cooccurrence(seqs, 4, window=2, backward=0.0, row_normalize=1.0).toarray()
    assert rows[0].tolist() == [0, 0.5, 0.5, 0]


def test_popularity_ranks_the_most_frequent_item_first() -> None:
    model = Popularity()
    model.fit([_arr(0, 1), _arr(1, 2), _arr(1)], 4)
    assert int(model.score([_arr(3)])[0].argmax()) == 1
    decayed = Popularity(half_life=1.0)
    decayed.fit([_arr(0, 2), _arr(0, 2)], 3)
    scores = decayed.score([_arr()])[0]
    assert scores[2] == pytest.approx(2.0) and scores[0] == pytest.approx(1.0)


def _next_item_hits(model: Recommender, sequences: list[np.ndarray]) -> float:
    histories = [s[:-1] for s in sequences]
    top = model.score(histories).argmax(axis=1)
    return float(np.mean(top == np.asarray([s[-1] for s in sequences])))


def test_forward_knn_predicts_the_next_item_of_a_cycle(cyclic: list[np.ndarray]) -> None:
    model = ItemKNN(window=1, backward=0.0)
    model.fit([s[:-1] for s in cyclic], N_ITEMS)
    assert _next_item_hits(model, cyclic) == 1.0


@pytest.mark.parametrize(
    ("cls", "kwargs"),
    [(ALS, {"factors": 2, "iterations": 30}), (BPR, {"iterations": 300, "regularization": 0.1})],
)
def test_factor_models_keep_users_inside_their_group(
    cls: type, kwargs: dict[str, float], groups: list[np.ndarray]
) -> None:
    model = cls(seed=1, **kwargs)
    model.fit(groups, N_ITEMS)
    scores = model.score([_arr(0, 1, 2), _arr(12, 15)])
    assert scores[0, :10].mean() > scores[0, 10:].mean()
    assert scores[1, 10:].mean() > scores[1, :10].mean()
    # an unseen in-group item outranks every out-of-group item
    assert scores[0, 3:10].min() > scores[0, 10:].max()


def test_sasrec_learns_the_cycle(cyclic: list[np.ndarray]) -> None:
    model = SASRec(dim=16, max_len=10, dropout=0.0, lr=1e-2, epochs=60, batch_size=64, seed=3)
    model.fit([s[:-1] for s in cyclic], N_ITEMS)
    assert _next_item_hits(model, cyclic) >= 0.95


def test_sasrec_early_stops_on_validation(cyclic: list[np.ndarray]) -> None:
    model = SASRec(dim=16, max_len=10, lr=1e-2, epochs=40, patience=2, eval_every=1, seed=3)
    valid = ([s[:-1] for s in cyclic], np.asarray([s[-1] for s in cyclic]))
    model.fit([s[:-1] for s in cyclic], N_ITEMS, validation=valid)
    assert (
        model.history
        and model.best_epoch == max(model.history, key=lambda h: h["ndcg@10"])["epoch"]
    )


def test_blender_tunes_weights_towards_the_useful_member(cyclic: list[np.ndarray]) -> None:
    knn, pop = ItemKNN(window=1, backward=0.0), Popularity()
    train = [s[:-1] for s in cyclic]
    knn.fit(train, N_ITEMS)
    pop.fit(train, N_ITEMS)
    blend = Blender([pop, knn], [1.0, 0.0])
    best = blend.tune(train, np.asarray([s[-1] for s in cyclic]), grid=(0.0, 1.0, 10.0))
    assert blend.weights[1] == 10.0 and best > 0.9
    assert standardise(np.ones((1, 4), dtype=np.float32)).tolist() == [[0, 0, 0, 0]]


def _fitted(name: str, cyclic: list[np.ndarray]) -> Recommender:
    models: dict[str, Recommender] = {
        "popularity": Popularity(half_life=3.0),
        "itemknn": ItemKNN(window=2, normalize=0.5),
        "als": ALS(factors=4, iterations=3),
        "bpr": BPR(factors=4, iterations=3),
        "sasrec": SASRec(dim=8, max_len=5, epochs=1),
    }
    model = models[name]
    model.fit(cyclic, N_ITEMS)
    return model


@pytest.mark.parametrize("name", ["popularity", "itemknn", "als", "bpr", "sasrec", "blend"])
def test_save_load_round_trip(name: str, cyclic: list[np.ndarray], tmp_path: Path) -> None:
    if name == "blend":
        model: Recommender = Blender(
            [_fitted("itemknn", cyclic), _fitted("popularity", cyclic)], [1.0, 0.3]
        )
    else:
        model = _fitted(name, cyclic)
    model.save(tmp_path / name)
    assert not list((tmp_path / name).rglob("*.pkl"))
    loaded = load_model(tmp_path / name)
    assert (loaded.name, loaded.version, loaded.params()) == (
        model.name,
        model.version,
        model.params(),
    )
    histories = cyclic[:5]
    np.testing.assert_allclose(loaded.score(histories), model.score(histories), rtol=1e-5)


def test_load_refuses_a_missing_or_foreign_artifact(
    tmp_path: Path, cyclic: list[np.ndarray]
) -> None:
    with pytest.raises(InputError, match="no recommender artifact"):
        load_model(tmp_path)
    _fitted("popularity", cyclic).save(tmp_path / "pop")
    with pytest.raises(InputError, match="holds popularity"):
        ItemKNN.load(tmp_path / "pop")


def test_bad_arguments_fail_early() -> None:
    with pytest.raises(ValueError, match="decay"):
        ItemKNN(decay=0)
    with pytest.raises(ValueError, match="half_life"):
        Popularity(half_life=-1)
    with pytest.raises(ValueError, match="score"):
        ItemKNN().score([_arr(1)])


def test_tuning_can_keep_repeats_for_session_data() -> None:
    # sessions repeat clicks: a target inside the history must still count when asked
    pop = Popularity()
    pop.fit([_arr(0, 0, 1)], 3)
    blend = Blender([pop])
    assert blend.tune([_arr(0)], _arr(0), exclude_history=False) == 1.0
    assert blend.tune([_arr(0)], _arr(0)) == 0.0
