"""SemEval-2014 XML and zhijiang CSV loaders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from shopmind.core.errors import InputError
from shopmind.evaluate.absa import holdout_ids, read_semeval14, read_zhijiang, zhijiang_files

SEMEVAL = """<?xml version="1.0" encoding="UTF-8"?>
<sentences>
  <sentence id="1"><text>The bread is top notch but the service is slow.</text>
    <aspectTerms>
      <aspectTerm term="bread" polarity="positive" from="4" to="9"/>
      <aspectTerm term="service" polarity="negative" from="31" to="38"/>
    </aspectTerms></sentence>
  <sentence id="2"><text>Nothing to say.</text></sentence>
  <sentence id="3"><text>Food ok, price high.</text>
    <aspectTerms><aspectTerm term="Food" polarity="conflict" from="0" to="4"/></aspectTerms>
  </sentence>
</sentences>
"""


def write_zhijiang(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "train_reviews.csv").write_text(
        "id,Reviews\n1,很好，超值\n2,物流太慢了\n3,没标签\n", encoding="utf-8"
    )
    (folder / "train_labels.csv").write_text(
        "id,AspectTerms,A_start,A_end,OpinionTerms,O_start,O_end,Categories,Polarities\n"
        "1,_, , ,很好,0,2,整体,正面\n"
        "1,_, , ,超值,3,5,价格,正面\n"
        "2,物流,0,2,太慢了,2,5,物流,负面\n",
        encoding="utf-8",
    )
    return folder


def test_semeval_terms_and_conflict_dropped(tmp_path: Path) -> None:
    path = tmp_path / "s.xml"
    path.write_text(SEMEVAL, encoding="utf-8")
    data = read_semeval14(path)
    assert data.sentences == 3
    assert [(e.term, e.polarity) for e in data.examples] == [
        ("bread", "positive"),
        ("service", "negative"),
    ]
    first = data.examples[0]
    assert first.text[first.start : first.end] == "bread"
    assert data.dropped == {"conflict": 1}


def test_semeval_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        read_semeval14(tmp_path / "missing.xml")
    bad = tmp_path / "bad.xml"
    bad.write_text("<sentences><sentence>", encoding="utf-8")
    with pytest.raises(InputError, match="not valid XML"):
        read_semeval14(bad)
    empty = tmp_path / "empty.xml"
    empty.write_text("<root/>", encoding="utf-8")
    with pytest.raises(InputError, match="no <sentence>"):
        read_semeval14(empty)


def test_zhijiang_reviews_with_labels(tmp_path: Path) -> None:
    folder = write_zhijiang(tmp_path / "zj")
    for path in (folder, folder / "train_reviews.csv"):
        reviews = read_zhijiang(path)
        assert [r.id for r in reviews] == ["1", "2"]  # review 3 has no labels
        assert reviews[0].categories == {"整体", "价格"}
        assert reviews[1].labels[0].aspect_term == "物流"
        assert reviews[0].labels[0].aspect_term is None
        assert reviews[1].category_polarity() == {"物流": "negative"}
    assert zhijiang_files(folder)[1].name == "train_labels.csv"


def test_zhijiang_errors(tmp_path: Path) -> None:
    folder = write_zhijiang(tmp_path / "zj")
    (folder / "train_labels.csv").write_text(
        "id,AspectTerms,OpinionTerms,Categories,Polarities\n1,_,好,整体,好评\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="unknown polarity"):
        read_zhijiang(folder)
    (folder / "train_labels.csv").write_text("id,Categories\n1,整体\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing columns"):
        read_zhijiang(folder)
    with pytest.raises(InputError, match="not found"):
        read_zhijiang(tmp_path / "nope_reviews.csv")


def test_holdout_is_fixed_by_seed() -> None:
    ids = [str(i) for i in range(100)]
    assert holdout_ids(ids, 0.2, 13) == holdout_ids(list(reversed(ids)), 0.2, 13)
    assert len(holdout_ids(ids, 0.2, 13)) == 20
    assert holdout_ids(ids, 0.2, 13) != holdout_ids(ids, 0.2, 14)


@pytest.mark.datasets
def test_real_files_load(dataset: Callable[..., Path]) -> None:
    test = read_semeval14(dataset("absa", "semeval14", "Restaurants_Test_Gold.xml"))
    assert len(test.examples) == 1120 and test.dropped == {"conflict": 14}
    reviews = read_zhijiang(dataset("absa", "zhijiang_zh"))
    assert len(reviews) > 2000
