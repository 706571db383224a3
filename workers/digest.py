"""Daily digest (filled in with the officer tools)."""


def digest_if_due() -> int:
    return 0


def digest_command(settings, send: bool = False) -> int:
    print("digest: not yet available")
    return 1
