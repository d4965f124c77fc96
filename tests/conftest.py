"""Fixtures shared by the test files."""

import pytest

from keras_dl import testing


@pytest.fixture
def assert_clear_error(tmp_path):
    """`keras_dl.testing.assert_clear_error` for cases whose call takes a temporary
    directory (the cases that need files): `check(call, error, phrase)` runs
    `call(tmp_path)`."""

    def check(call, error, phrase):
        testing.assert_clear_error(lambda: call(tmp_path), error, phrase)

    return check
