from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from shopmind.ingest import normalise

TEXT = st.text(alphabet=st.sampled_from(list("ab 色|\u200b\u00a0\t\u3000e\u0301")), max_size=8)


def _careful(record: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(record)
    for name in normalise._PRODUCT_LINES:
        if name in out:
            out[name] = normalise._line(out[name])
    for name in normalise._PRODUCT_NESTED:
        if name in out:
            out[name] = normalise._strings(out[name])
    return out


@given(title=TEXT, brand=TEXT, tags=st.lists(TEXT, max_size=3), attrs=st.dictionaries(TEXT, TEXT, max_size=3))
def test_fast_path_gives_the_same_result_as_field_by_field(
    title: str, brand: str, tags: list[str], attrs: dict[str, str]
) -> None:
    record = {"title": title, "brand": brand, "tags": tags, "attributes": attrs, "language": "en"}
    expected = _careful(record)
    got = normalise.product(copy.deepcopy(record))
    for name in ("title", "brand", "tags", "attributes"):
        assert got[name] == expected[name]
