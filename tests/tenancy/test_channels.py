"""Channel instances from channels.yaml: routing by Twilio ``To`` and by bot, and problems named by field."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT, Settings
from bot.tenancy import ChannelsError, agency_ids, check_channels_file, load_agencies, load_channels

PACKS = ["bangli-dpmptsp", "buleleng-kesra", "kalbar-kesra"]

REGENCY = """\
- id: wa-kesra
  provider: whatsapp
  address: "whatsapp:+6281100000001"
  agencies: [buleleng-kesra]
- id: sms-kesra
  provider: sms
  address: "+6281100000001"
  agencies: [buleleng-kesra]
- id: wa-mpp
  provider: whatsapp
  address: "whatsapp:+6281100000002"
  agencies: [buleleng-kesra, bangli-dpmptsp]
- id: tg-mpp
  provider: telegram
  token_env: TELEGRAM_BOT_TOKEN_MPP
  secret_env: TELEGRAM_WEBHOOK_SECRET_MPP
  agencies: [buleleng-kesra, bangli-dpmptsp]
"""


@pytest.fixture
def content(tmp_path) -> Path:
    """A copy of the shipped packs, so a test can add a channels.yaml beside them."""
    folder = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", folder)
    return folder


def settings_for(content: Path, **env) -> Settings:
    return Settings.from_env({"CONTENT_DIR": str(content), **env})


def test_twilio_routes_by_to_and_telegram_by_id(content):
    (content / "channels.yaml").write_text(REGENCY)
    settings = settings_for(content, AGENCIES="all", TELEGRAM_BOT_TOKEN_MPP="123:abc")
    registry = load_channels(settings, agency_ids(settings))
    assert registry.for_twilio("whatsapp:+6281100000001").id == "wa-kesra"
    assert registry.for_twilio("+6281100000001").id == "sms-kesra"  # same number, SMS
    mpp = registry.for_twilio("whatsapp:+6281100000002")
    assert mpp.agencies == ("buleleng-kesra", "bangli-dpmptsp") and mpp.front_desk
    assert registry.for_twilio("whatsapp:+6281199999999") is None  # no instance: never another agency's
    assert registry.for_twilio("") is None
    tg = registry.by_id("tg-mpp")
    assert tg.provider == "telegram" and settings.setting(tg.token_env) == "123:abc"
    assert settings.setting(tg.secret_env) == ""
    assert [i.id for i in registry.serving("bangli-dpmptsp")] == ["wa-mpp", "tg-mpp"]


def test_without_channels_yaml_the_settings_sender_serves_every_agency(content):
    settings = settings_for(content, AGENCIES="buleleng-kesra,kalbar-kesra",
                            TWILIO_WHATSAPP_FROM="whatsapp:+14155238886")
    registry = load_channels(settings, agency_ids(settings))
    wa = registry.for_twilio("whatsapp:+14155238886")
    assert wa.default and wa.agencies == ("buleleng-kesra", "kalbar-kesra")
    assert registry.for_twilio("whatsapp:+6281100000009") is None
    assert registry.default_telegram().token_env == "TELEGRAM_BOT_TOKEN"


def test_a_default_sender_with_no_number_takes_any_whatsapp_number(content):
    registry = load_channels(settings_for(content), ["buleleng-kesra"])
    assert registry.for_twilio("whatsapp:+6281100000009").id == "whatsapp"
    assert registry.for_twilio("+6281100000009") is None  # SMS needs an instance of its own


@pytest.mark.parametrize("entry, field, reason", [
    ("- {id: wa, provider: whatsapp, agencies: [buleleng-kesra]}", "0.address", "needs its address"),
    ("- {id: wa, provider: whatsapp, address: '+6281100000001', agencies: [buleleng-kesra]}", "0.address",
     "starts with 'whatsapp:'"),
    ("- {id: s, provider: sms, address: '0812', agencies: [buleleng-kesra]}", "0.address", "not an E.164"),
    ("- {id: s, provider: sms, address: 'whatsapp:+6281100000001', agencies: [buleleng-kesra]}", "0.address",
     "plain number"),
    ("- {id: t, provider: telegram, secret_env: S, agencies: [buleleng-kesra]}", "0.token_env", "needs this"),
    ("- {id: t, provider: telegram, token_env: T, secret_env: S, agencies: [nowhere]}", "0.agencies",
     "'nowhere' is not an agency"),
    ("- {id: t, provider: pigeon, agencies: [buleleng-kesra]}", "0.provider", "whatsapp"),
    ("- {id: T!, provider: sms, address: '+6281100000001', agencies: [buleleng-kesra]}", "0.id", "pattern"),
    ("- {id: t, provider: telegram, token_env: T, secret_env: S, agencies: []}", "0.agencies", "at least 1"),
    ("- {id: t, provider: telegram, token_env: T, secret_env: S, agencies: [kalbar-kesra], token: abc}",
     "0.token", "Extra inputs"),
    ("- {id: a, provider: sms, address: '+6281100000001', agencies: [kalbar-kesra]}\n"
     "- {id: a, provider: sms, address: '+6281100000002', agencies: [kalbar-kesra]}", "1.id", "duplicate"),
    ("- {id: a, provider: sms, address: '+6281100000001', agencies: [kalbar-kesra]}\n"
     "- {id: b, provider: sms, address: '+6281100000001', agencies: [kalbar-kesra]}", "1.address", "already"),
    ("id: wa", "-", "must be a list"),
    ("- [unclosed", "line 2", "not valid YAML"),
])
def test_a_bad_channels_file_names_the_field_and_the_reason(content, entry, field, reason):
    path = content / "channels.yaml"
    path.write_text(entry + "\n")
    problems = check_channels_file(path, PACKS)
    assert any(p.file == "channels.yaml" and p.field == field and reason in p.reason for p in problems), problems
    with pytest.raises(ChannelsError):
        load_channels(settings_for(content, AGENCIES="all"), PACKS)


def test_agencies_setting(content):
    assert agency_ids(settings_for(content)) == ["buleleng-kesra"]  # CONTENT_PACK's default
    assert agency_ids(settings_for(content, AGENCIES="all")) == PACKS
    assert agency_ids(settings_for(content, AGENCIES=" kalbar-kesra , bangli-dpmptsp,kalbar-kesra")) == [
        "kalbar-kesra", "bangli-dpmptsp"]
    # A CONTENT_DIR that is one pack serves that pack, whatever AGENCIES says.
    assert agency_ids(settings_for(content / "kalbar-kesra", AGENCIES="all")) == ["kalbar-kesra"]
    packs = load_agencies(settings_for(content, AGENCIES="all"))
    assert [p.agency.id for p in packs.values()] == PACKS


def test_an_unknown_agency_is_named(content):
    from bot.content import ContentError
    with pytest.raises(ContentError) as exc:
        load_agencies(settings_for(content, AGENCIES="buleleng-kesra,dinas-tidak-ada"))
    assert [(p.file, p.field) for p in exc.value.problems] == [("AGENCIES", "dinas-tidak-ada")]


def test_officers_hear_their_agencys_own_instance_before_a_shared_one(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "channels.yaml").write_text("""\
- id: tg-desk
  name: Mal Pelayanan Publik
  provider: telegram
  token_env: TELEGRAM_BOT_TOKEN_DESK
  secret_env: TELEGRAM_WEBHOOK_SECRET_DESK
  agencies: [a, b]
- id: tg-b
  provider: telegram
  token_env: TELEGRAM_BOT_TOKEN_B
  secret_env: TELEGRAM_WEBHOOK_SECRET_B
  agencies: [b]
""")
    registry = load_channels(Settings(content_dir=content), ["a", "b"])
    assert registry.for_officers("b", "telegram").id == "tg-b"
    assert registry.for_officers("a", "telegram").id == "tg-desk"  # a has no bot of its own
    assert registry.for_officers("a", "whatsapp") is None
    assert registry.by_id("tg-desk").name == "Mal Pelayanan Publik" and registry.by_id("tg-b").name is None
