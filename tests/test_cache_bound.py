"""An entry bigger than the cache keeps is given up while pickling, not finished and refused."""

import pickle

from kubelint.cache import MAX_ENTRY_BYTES, pickled


def test_small_value_pickles_as_pickle_does():
    value = {"a": [1, 2, "x" * 100], "b": None}
    assert pickled(value) == pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    assert pickle.loads(pickled(value)) == value


def test_value_past_the_limit_is_none():
    assert pickled(["x" * 100] * 10, limit=500) is not None  # one string, memoised
    assert pickled([str(i) * 50 for i in range(100)], limit=1_000) is None


def test_limit_defaults_to_the_entry_bound():
    big = [f"{i:08d}" * 16 for i in range(MAX_ENTRY_BYTES // 100)]
    assert len(pickle.dumps(big, protocol=pickle.HIGHEST_PROTOCOL)) > MAX_ENTRY_BYTES
    assert pickled(big) is None
