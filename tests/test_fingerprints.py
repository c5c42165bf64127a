"""Properties of the text fingerprints that matching relies on."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.archive.fingerprints import SHINGLE, WINDOW, fingerprint_batch, fingerprints
from compliance.archive.folding import fold_bytes, normalize_bytes

WORDS = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzéß", min_size=1, max_size=8),
    min_size=0,
    max_size=60,
)


def _text(words: list[str]) -> bytes:
    return normalize_bytes(" ".join(words))


@settings(max_examples=200, deadline=None)
@given(
    WORDS,
    WORDS,
    st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta"]), min_size=12, max_size=40),
)
def test_a_shared_run_of_twelve_words_always_shares_a_fingerprint(before, after, shared):
    """Winnowing's guarantee: any run of WINDOW + SHINGLE - 1 words is found."""
    assert WINDOW + SHINGLE - 1 == 12
    copy = _text([*before, *shared, *after])
    original = _text(["lead", "words", *shared, "tail"])
    assert set(fingerprints(copy)) & set(fingerprints(original))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_normalising_is_idempotent_and_ignores_case_and_typography(text):
    once = normalize_bytes(text)
    assert normalize_bytes(once.decode("utf-8")) == once
    assert normalize_bytes(text.upper().replace("'", "\u2019")) == normalize_bytes(
        text.upper().replace("\u2019", "'")
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=6))
def test_batches_give_each_text_its_own_fingerprints(texts):
    """Fingerprinting many texts at once (as the index does) equals one at a time."""
    encoded = [_text(words) for words in texts]
    values, owners = fingerprint_batch(encoded)
    for number, text in enumerate(encoded):
        assert sorted(values[owners == number]) == sorted(fingerprints(text))


@settings(max_examples=100, deadline=None)
@given(WORDS)
def test_runs_of_spaces_do_not_change_fingerprints(words):
    spaced = fold_bytes("  ,  ".join(words))
    assert list(fingerprints(spaced)) == list(fingerprints(_text(words)))
