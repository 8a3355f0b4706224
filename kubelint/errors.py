"""Errors that end a run with exit code 2 and one line on stderr."""


class KubelintError(Exception):
    """A mistake of the user's (bad rule file, bad config, bad option): no traceback hint."""

    user_facing = True


def describe(exc: BaseException) -> str:
    if isinstance(exc, KubelintError):
        return str(exc)
    return f"internal error: {type(exc).__name__}: {exc}"
