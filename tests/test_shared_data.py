"""Tests that need ../shared fail under CI when it is missing, and skip elsewhere."""

import pytest

from shared_data import require


def test_missing_shared_data_fails_under_ci(tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="../shared must be beside the project"):
        require(tmp_path / "corpus")


def test_missing_shared_data_skips_outside_ci(tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require(tmp_path / "corpus")


def test_present_shared_data_is_returned(tmp_path):
    assert require(tmp_path) == tmp_path
