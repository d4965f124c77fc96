"""The check that bad input gets a clear error."""

# What a message must not be: a TensorFlow graph dump.
GRAPH_DUMP_MARKERS = ("Graph execution error", "Detected at node", "node ")
KERAS_CALL_CONTEXT = "Exception encountered when calling"


def assert_clear_error(action, error, phrase):
    """Checks that `action()` raises `error` with a clear, one-line message.

    Args:
        action: a function doing what a user does.
        error: the exception type expected (`ValueError`, `TypeError`, ...).
        phrase: a phrase the message must contain: what was expected or
            received, or the argument's name.
    """
    try:
        action()
    except error as raised:
        message = str(raised)
    else:
        raise AssertionError(f"{action} raised no {error.__name__}")
    if message.startswith(KERAS_CALL_CONTEXT):
        # Keras' context around an error raised in a layer's `call`: the error's own line.
        message = message.split("\n\n")[1].replace("\x1b[1m", "").replace("\x1b[0m", "")
    assert phrase in message, message
    assert "\n" not in message.strip(), message
    for marker in GRAPH_DUMP_MARKERS:
        assert marker not in message, message
