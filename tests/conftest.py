"""Fixtures shared by the test files."""

import pytest


@pytest.fixture
def assert_clear_error(tmp_path):
    """Checks one bad-input case: `call(tmp_path)` must raise a clear error.

    A case is `(call, error, phrase)`: `call` takes a temporary directory (for
    the cases that need files) and must raise `error` with a one-line message
    that contains `phrase` and is not a TensorFlow graph dump.
    """

    def check(call, error, phrase):
        with pytest.raises(error) as info:
            call(tmp_path)
        message = str(info.value)
        if message.startswith("Exception encountered when calling"):
            # Keras' context around an error raised in `call`: keep the error's own line.
            message = message.split("\n\n")[1].replace("\x1b[1m", "").replace("\x1b[0m", "")
        assert phrase in message, message
        assert "\n" not in message.strip(), message
        for graph_dump in ("Graph execution error", "Detected at node", "node "):
            assert graph_dump not in message, message

    return check
