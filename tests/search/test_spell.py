"""Spelling correction from catalog word counts, with the guards against bad rewrites."""

from __future__ import annotations

import pytest

from shopmind.search.spell import SpellChecker, osa_distance

_WORDS = {
    "headphones": 120,
    "earbuds": 80,
    "wireless": 300,
    "bluetooth": 150,
    "speaker": 90,
    "sandals": 40,
    "cable": 60,
    "table": 20,
    "label": 8,
    "dumbbell": 30,
    "wire": 12,
    "mesh": 9,
    "dining": 50,
    "phone": 70,
    "blue": 200,
    "camping": 25,
    "lamp": 15,
    "lamps": 1,  # seen once: known, but too rare to be a correction
    "zebra": 1,
}


@pytest.fixture(scope="module")
def checker() -> SpellChecker:
    return SpellChecker(_WORDS, min_frequency=3)


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("", "", 0),
        ("abc", "abc", 0),
        ("abc", "", 3),
        ("headphones", "headphnoes", 1),  # a swap of neighbours is one edit
        ("ca", "abc", 3),  # OSA, not full Damerau: no edits inside a swapped pair
        ("kitten", "sitting", 3),
        ("wiremesh", "wireless", 2),
        ("editing", "dining", 2),
    ],
)
def test_osa_distance(a: str, b: str, distance: int) -> None:
    assert osa_distance(a, b) == distance
    assert osa_distance(b, a) == distance


def test_osa_distance_stops_at_the_limit() -> None:
    assert osa_distance("abcdefgh", "zyxwvuts", 2) == 3


@pytest.mark.parametrize(
    ("typo", "fixed", "distance"),
    [
        ("headphnes", "headphones", 1),  # a missing letter
        ("headphnoes", "headphones", 1),  # swapped neighbours
        ("ehadphones", "headphones", 1),  # swapped first two letters are still a typo
        ("wirelss", "wireless", 1),
        ("earbudss", "earbuds", 1),
        ("cabel", "cable", 1),
        ("sandles", "sandals", 2),  # neighbours replaced together
        ("dumbels", "dumbbell", 2),  # two letters missing, no distance-1 word
        ("bluetoothspeaker", "bluetooth speaker", 1),  # run together: split
    ],
)
def test_corrects_typos_of_catalog_words(
    checker: SpellChecker, typo: str, fixed: str, distance: int
) -> None:
    suggestion = checker.correct(typo)
    assert suggestion is not None
    assert (suggestion.text, suggestion.distance) == (fixed, distance)


@pytest.mark.parametrize(
    ("word", "why"),
    [
        ("headphones", "a known word"),
        ("lamps", "known, however rare"),
        ("editing", "dining starts with another letter"),
        ("iphone", "phone starts with another letter"),
        ("zebras", "zebra is too rare to suggest"),
        ("qwertyuiop", "nothing close"),
        ("耳机", "not Latin letters"),
        ("10000mah", "has digits"),
        ("lamqs", "under 6 letters only one edit is allowed, and lamp is two away"),
    ],
)
def test_leaves_alone(checker: SpellChecker, word: str, why: str) -> None:
    assert checker.correct(word) is None, why


def test_a_compound_of_catalog_words_is_split_not_rewritten(checker: SpellChecker) -> None:
    # The research spike's bad rewrite: "wiremesh" -> "wireless".
    suggestion = checker.correct("wiremesh")
    assert suggestion is not None and suggestion.text == "wire mesh"


def test_far_apart_substitutions_are_not_typos() -> None:
    checker = SpellChecker({"wireless": 300}, min_frequency=3)
    assert checker.correct("wiremesh") is None  # m->l and h->s, far apart


def test_distance_two_needs_a_clear_winner() -> None:
    # "seaker" is two insertions from both words: as common as each other, any pick is a guess.
    assert SpellChecker({"sneakers": 10, "speakers": 9}).correct("seaker") is None
    suggestion = SpellChecker({"sneakers": 100, "speakers": 9}).correct("seaker")
    assert suggestion is not None and (suggestion.text, suggestion.distance) == ("sneakers", 2)


def test_distance_two_never_when_distance_one_exists() -> None:
    checker = SpellChecker({"laptop": 5, "lapdogs": 500}, min_frequency=3)
    suggestion = checker.correct("lapdop")  # laptop: 1 edit; lapdogs: 2 edits, far commoner
    assert suggestion is not None and suggestion.text == "laptop"


def test_ties_at_one_edit_go_to_the_more_frequent_word(checker: SpellChecker) -> None:
    # "cabel" -> cable (swap) 60 vs label (replace c) 8: the more frequent one wins.
    suggestion = checker.correct("cabel")
    assert suggestion is not None and suggestion.text == "cable"
    suggestion = checker.correct("tabel")
    assert suggestion is not None and suggestion.text == "table"


def test_join(checker: SpellChecker) -> None:
    assert checker.join("blue", "tooth") == "bluetooth"
    assert checker.join("head", "phones") == "headphones"
    assert checker.join("phone", "case") is None  # no catalog word "phonecase"
    assert checker.join("blue", "3") is None


def test_split_prefers_the_most_common_halves(checker: SpellChecker) -> None:
    suggestion = checker.split("bluetoothspeaker")
    assert suggestion is not None and suggestion.text == "bluetooth speaker"
    assert checker.split("wiremeshx") is None


def test_bad_settings_say_what_is_allowed() -> None:
    with pytest.raises(ValueError, match="min_frequency must be >= 1"):
        SpellChecker({}, min_frequency=0)
    with pytest.raises(ValueError, match="prefix_length must be >= 3"):
        SpellChecker({}, prefix_length=2)
