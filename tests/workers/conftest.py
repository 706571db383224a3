import pytest


@pytest.fixture
def restart(loket):
    """``restart()``: what a new worker process would have, a runtime built afresh from the settings."""
    from workers.runtime import build, set_runtime

    built = []

    def make():
        fresh = build(loket.settings, loket.redis)
        loket.engines.append(fresh.sessions.kw["bind"])
        built.append(fresh)
        set_runtime(fresh)
        return fresh

    yield make
    for rt in built:
        for sender in rt.senders.values():
            http = getattr(getattr(sender, "client", None), "http_client", None)
            if http is not None and hasattr(http, "close"):
                http.close()
