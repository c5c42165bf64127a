"""The index is the same whatever the size of the chunks it is filtered in."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from compliance.archive import index_build
from compliance.archive.index import MAX_DF

_WORDS = "council budget water river school board vote mayor plan county road bridge".split()


def _archive(path, count: int = 80) -> None:
    rng = random.Random(3)
    # One paragraph every original carries: its fingerprints are in more than MAX_DF of them.
    stock = "Readers can reach the newsroom with tips at any hour of the day or night by phone."
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            body = [" ".join(rng.choice(_WORDS) for _ in range(40)) + "." for _ in range(4)]
            out.write(json.dumps({"id": f"o{n}", "title": f"t{n}", "body": "\n\n".join(
                [*body, stock, body[0]])}) + "\n")  # fmt: skip


@pytest.mark.parametrize("chunk", [7, 64])
def test_chunked_filtering_gives_the_index_of_one_pass(tmp_path, monkeypatch, chunk):
    archive = tmp_path / "originals.jsonl"
    _archive(archive)
    whole = index_build.build_index([archive], tmp_path / "whole")
    monkeypatch.setattr(index_build, "CHUNK", chunk)
    chunked = index_build.build_index([archive], tmp_path / "chunked")
    for name in ("postings", "directory", "counts", "keys", "key_docs", "common"):
        assert np.array_equal(getattr(whole, name), getattr(chunked, name)), name
    postings = np.asarray(whole.postings)
    assert np.all(postings[1:] > postings[:-1])  # sorted, each posting once
    prefixes = postings & index_build.HASH_MASK
    _values, counts = np.unique(prefixes, return_counts=True)
    assert counts.max() <= MAX_DF  # the stock paragraph's fingerprints were dropped
