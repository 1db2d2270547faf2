"""brands._within_one_edit (pieces of the key, then a direct comparison) against the edit-distance table it
replaced as the look-alike typo test."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spamguard.text import brands

_short = st.text(alphabet="abcv", min_size=3, max_size=9)


@settings(max_examples=3000, deadline=None)
@given(_short, st.text(alphabet="abcv.-", max_size=16))
def test_matches_the_edit_distance_table(key, text):
    assert brands._within_one_edit(key, text) == brands._within_one_edit_table(key, text)


@settings(max_examples=1000, deadline=None)
@given(_short, st.data())
def test_matches_the_table_on_near_copies_of_the_key(key, data):
    # Texts holding the key with up to two edits, so that both answers occur often.
    text = list(key)
    for _ in range(data.draw(st.integers(0, 2))):
        i = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from("sidt"))
        if op == "s" and i < len(text):
            text[i] = data.draw(st.sampled_from("abcvx"))
        elif op == "i":
            text.insert(i, data.draw(st.sampled_from("abcvx")))
        elif op == "d" and i < len(text):
            del text[i]
        elif op == "t" and i + 1 < len(text):
            text[i], text[i + 1] = text[i + 1], text[i]
    text = data.draw(st.text(alphabet="abv-", max_size=4)) + "".join(text) + data.draw(st.text(alphabet="ab.", max_size=4))
    assert brands._within_one_edit(key, text) == brands._within_one_edit_table(key, text)


def test_real_brand_typos():
    for key, text, expected in [("vietcombank", "vietcombamk-xacminh", True), ("vietcombank", "vietconbank", True),
                                ("vietcombank", "vietcobmank", True), ("vietcombank", "vietcmbank", True),
                                ("vietcombank", "vietcombaank", True), ("vietcombank", "vietinbank", False),
                                ("shopee", "shoppe", True), ("shopee", "shop", False), ("ab", "xaxbx", True)]:
        assert brands._within_one_edit(key, text) is expected
        assert brands._within_one_edit_table(key, text) is expected


def _keys_inside_everywhere(labels):
    """brands._keys_inside by trying every length at every place (the definition it narrows down)."""
    index, lengths = brands._skeleton_index()
    found = set()
    for label in labels:
        for size in lengths:
            for i in range(len(label) - size + 1):
                found.update(index.get(label[i:i + size], ()))
    return sorted(found)


_SKELETONS = sorted({key.skel for key in brands._keys()})


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_SKELETONS) | st.text(alphabet="abcdeiklmnotv0-", max_size=4), max_size=5)
                .map("".join), min_size=1, max_size=3))
def test_keys_inside_finds_every_key_a_label_holds(labels):
    assert brands._keys_inside(labels) == _keys_inside_everywhere(labels)


def _typo_candidates_by_counting(labels):
    """brands._typo_candidates as first written: pairs counted one by one."""
    index, need = brands._bigram_index()
    passing = {k: list(labels) for k, n in enumerate(need) if n <= 0}
    for label in labels:
        shared = {}
        for pair in {label[i:i + 2] for i in range(len(label) - 1)}:
            for k in index.get(pair, ()):
                shared[k] = shared.get(k, 0) + 1
        for k, count in shared.items():
            if 0 < need[k] <= count:
                passing.setdefault(k, []).append(label)
    return sorted(passing.items())


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_SKELETONS) | st.text(alphabet="abcdeiklmnotv0-", max_size=4), max_size=5)
                .map("".join), min_size=1, max_size=3))
def test_typo_candidates_are_those_of_the_pair_by_pair_count(labels):
    assert brands._typo_candidates(labels) == _typo_candidates_by_counting(labels)
