"""Start-up refuses a missing secret; /metrics can be protected; odd payloads parse to something storable."""
from __future__ import annotations

import math

import pytest

from bot.channels import clean
from bot.channels.telegram import parse_update
from bot.channels.whatsapp import parse_inbound
from bot.settings import MissingSetting, Settings
from tests.fakes.telegram_api import make_text_update
from tests.fakes.twilio_api import make_inbound
from webhooks import create_app


@pytest.mark.parametrize("secret", ["", "dev-only-secret"])
def test_the_web_app_will_not_start_without_a_real_secret_and_says_which_setting(loket, secret):
    with pytest.raises(MissingSetting, match="SECRET_KEY"):
        create_app(loket.settings.with_(secret_key=secret), redis=loket.redis, sessions=loket.sessions)


def test_the_worker_will_not_start_without_a_secret(redis_url):
    from workers.entry import run_worker
    with pytest.raises(MissingSetting, match="SECRET_KEY"):
        run_worker(Settings(redis_url=redis_url, database_url="sqlite://"), burst=True)


def test_the_secret_is_read_from_the_environment_without_a_default():
    assert Settings.from_env({}).secret_key == ""
    assert Settings.from_env({"SECRET_KEY": "s3cr3t-from-env"}).require_secret().secret_key == "s3cr3t-from-env"


def test_metrics_need_the_token_when_one_is_set(loket):
    client = create_app(loket.settings.with_(metrics_token="scrape-me"), redis=loket.redis,
                        sessions=loket.sessions).test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer scrape-me"}).status_code == 200
    assert client.get("/healthz").status_code == 200  # the load balancer's probe stays open


def test_metrics_are_open_without_a_token(loket):
    assert loket.client.get("/metrics").status_code == 200


@pytest.mark.parametrize("changes, check", [
    ({"NumMedia": "1000000000", "MediaUrl0": "https://api.twilio.com/m"}, lambda m: len(m.media) == 1),
    ({"NumMedia": "\u0663", "MediaUrl0": "https://api.twilio.com/m"}, lambda m: m.media == ()),
    ({"Body": "x" * 70000}, lambda m: len(m.text) == clean.TEXT_LIMIT),
    ({"Body": "ha\x00lo"}, lambda m: m.text == "halo"),
    ({"Latitude": "nan", "Longitude": "1"}, lambda m: m.location is None),
    ({"Latitude": "91", "Longitude": "1"}, lambda m: m.location is None),
    ({"Latitude": "-8.1", "Longitude": "115.1"}, lambda m: math.isclose(m.location.latitude, -8.1)),
    ({"ProfileName": "N" * 500}, lambda m: len(m.sender_name) == clean.NAME_LIMIT),
])
def test_whatsapp_form_fields_are_bounded(changes, check):
    assert check(parse_inbound(make_inbound("halo", **changes)))


@pytest.mark.parametrize("changes", [{"MessageSid": ""}, {"MessageSid": "SM\x00"}, {"MessageSid": "S" * 65},
                                     {"From": "whatsapp:+62\u0668\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668"},
                                     {"From": "not a number"}])
def test_whatsapp_forms_without_a_usable_id_or_sender_are_unusable(changes):
    with pytest.raises(clean.Unusable):
        parse_inbound(make_inbound("halo", **changes))


@pytest.mark.parametrize("mutate", [
    lambda u: u.update(update_id="12"), lambda u: u.update(update_id=2**64),
    lambda u: u["message"]["chat"].update(id="abc"), lambda u: u["message"]["chat"].update(id=10**30),
    lambda u: u["message"].pop("chat"), lambda u: u["message"]["from"].update(id=None),
    lambda u: u["message"].update(photo="x"),
])
def test_telegram_updates_without_a_usable_id_or_chat_are_unusable(mutate):
    update = make_text_update("halo")
    mutate(update)
    with pytest.raises(clean.Unusable):
        parse_update(update)


def test_a_telegram_text_is_clipped_and_cleaned():
    message = parse_update(make_text_update("\x00" + "y" * 9000, first_name="F" * 400))
    assert message.text == "y" * clean.TEXT_LIMIT and len(message.sender_name) == clean.NAME_LIMIT


def test_the_log_filter_writes_no_exception_message_sql_parameters_or_numbers():
    import io
    import logging

    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    from bot.ops.logs import Redact
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(Redact())
    log = logging.getLogger("loket.test-redact")
    log.addHandler(handler)
    engine = create_engine("sqlite://")  # parameters not hidden: the filter alone must keep them out
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT * FROM nowhere WHERE phone = :p AND name = :n"),
                         {"p": "+6281234567890", "n": "Budi Santoso"})
    except SQLAlchemyError:
        log.exception("lookup failed for chat %s", 700123456)
    finally:
        log.removeHandler(handler)
        engine.dispose()
    written = stream.getvalue()
    assert "OperationalError (message hidden)" in written and "lookup failed for chat [number]" in written
    for secret in ("6281234567890", "Budi Santoso", "nowhere", "700123456", "[parameters"):
        assert secret not in written
