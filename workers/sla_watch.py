"""SLA watch (filled in with the officer tools)."""


def scan() -> int:
    return 0
