"""A turn starts from one state however often it runs: the first run records it, a re-run reads it back."""
from bot.store.chat_state import StateStore


def test_a_first_run_records_its_start_and_a_rerun_reads_it_back(redis):
    store = StateStore(redis, 3600)
    store.put("whatsapp:628111", {"screen": "main", "lang": "id"})
    assert store.start_turn("whatsapp:628111", 7, fallback=lambda: {"from": "sql"}) == {"screen": "main", "lang": "id"}
    store.put("whatsapp:628111", {"screen": "service", "lang": "id"})  # the turn went on, then its worker died
    assert store.start_turn("whatsapp:628111", 7, fallback=lambda: {"from": "sql"}) == {"screen": "main", "lang": "id"}
    assert store.start_turn("whatsapp:628111", 8, fallback=lambda: {"from": "sql"}) == {"screen": "service",
                                                                                          "lang": "id"}
    assert 0 < redis.ttl("loket:turn:7") <= 24 * 3600


def test_without_a_state_in_redis_the_sql_copy_is_the_start_and_is_recorded(redis):
    store = StateStore(redis, 3600)
    looked = []

    def from_sql():
        looked.append(1)
        return {"screen": "complaint", "lang": "en"}
    assert store.start_turn("telegram:42", 9, from_sql) == {"screen": "complaint", "lang": "en"}
    assert store.start_turn("telegram:42", 9, from_sql) == {"screen": "complaint", "lang": "en"}
    assert looked == [1]  # the re-run found the recorded start and did not look again
    assert store.start_turn("telegram:43", 10, lambda: None) is None  # a first contact


def test_a_first_contact_starts_from_no_state_in_one_round_trip_and_a_rerun_keeps_it(redis):
    """Nothing to fall back on (a conversation this message created): the start is recorded as none."""
    store = StateStore(redis, 3600)
    assert store.start_turn("whatsapp:628222", 11, None) is None
    store.put("whatsapp:628222", {"screen": "main", "lang": "id"})  # the turn went on, then its worker died
    assert store.start_turn("whatsapp:628222", 11, None) is None  # the re-run starts where the first did
    store.put("whatsapp:628333", {"screen": "main", "lang": "en"})  # a state Redis has is still the start
    assert store.start_turn("whatsapp:628333", 12, None) == {"screen": "main", "lang": "en"}
