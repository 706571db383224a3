"""``loket`` sub-commands run through ``cli.main.main`` with the settings read from the environment."""
from __future__ import annotations

import json

import pytest

from cli.main import main
from bot.settings import PROJECT_ROOT, Settings
from tests.conftest import TELEGRAM_SECRET

NUMBER = "+6281234567890"
STANDARD = PROJECT_ROOT / "tests" / "standards" / "documents" / "kalbar-kesra-konsultasi.md"


@pytest.fixture
def env(monkeypatch, tmp_path, redis_url):
    """A clean environment: every Loket variable unset, then a database of this test's own."""
    for name in Settings().to_env():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("CONTENT_PACK", "buleleng-kesra")
    return monkeypatch


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ----------------------------------------------------------------------------- officers

def test_officers_add_list_remove(env, capsys):
    code, out, err = run(capsys, "officers", "add", "--name", "Made Wirawan", "--unit", "kesra",
                         "--whatsapp", NUMBER, "--telegram", "700000009")
    assert code == 0, err
    assert "added officer" in out and "Made Wirawan" in out and "kesra" in out
    code, out, err = run(capsys, "officers", "add", "--name", "Ketut Sari", "--role", "supervisor",
                         "--unit", "kesra", "--telegram", "700000010")
    assert code == 0, err

    code, out, _ = run(capsys, "officers", "list")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    made = next(line for line in lines if "Made Wirawan" in line)
    assert "telegram 700000009" in made and "whatsapp " in made
    assert NUMBER not in out and NUMBER[1:] not in out and "81234567" not in out  # masked
    assert "****" in made and made.rstrip().endswith("90")

    code, out, err = run(capsys, "officers", "remove", "Made Wirawan")
    assert code == 0, err
    assert "removed officer" in out and "Made Wirawan" in out
    code, out, _ = run(capsys, "officers", "list")
    assert "Made Wirawan" not in out and "Ketut Sari" in out


def test_officers_remove_by_id(env, capsys):
    run(capsys, "officers", "add", "--name", "Putu", "--unit", "kesra", "--telegram", "700000011")
    officer_id = run(capsys, "officers", "list")[1].split("\t", 1)[0]
    code, out, _ = run(capsys, "officers", "remove", officer_id)
    assert code == 0 and "Putu" in out
    assert run(capsys, "officers", "list")[1] == ""


def test_officers_remove_unknown(env, capsys):
    code, _, err = run(capsys, "officers", "remove", "Nobody")
    assert code == 1
    assert err.startswith("loket officers:")


def test_officers_add_unknown_unit(env, capsys):
    code, out, err = run(capsys, "officers", "add", "--name", "Made", "--unit", "pariwisata", "--telegram", "1")
    assert code == 2
    assert "unknown unit(s) pariwisata" in err and "known: kesra" in err
    assert out == ""
    assert run(capsys, "officers", "list")[1] == ""


def test_officers_add_without_contact(env, capsys):
    code, _, err = run(capsys, "officers", "add", "--name", "Made", "--unit", "kesra")
    assert code == 2
    assert "--telegram" in err and "--whatsapp" in err


def test_officers_add_bad_number(env, capsys):
    code, _, err = run(capsys, "officers", "add", "--name", "Made", "--unit", "kesra", "--whatsapp", "12ab")
    assert code == 2
    assert err.startswith("loket officers:") and "Traceback" not in err


def test_officers_add_without_unit_is_a_usage_error(env, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["officers", "add", "--name", "Made", "--telegram", "1"])
    assert caught.value.code == 2
    assert "--unit" in capsys.readouterr().err


# ----------------------------------------------------------------------------- telegram

def test_telegram_set_webhook(env, capsys, fake_telegram):
    env.setenv("TELEGRAM_API_BASE_URL", fake_telegram.url)
    env.setenv("TELEGRAM_BOT_TOKEN", fake_telegram.token)
    env.setenv("TELEGRAM_WEBHOOK_SECRET", TELEGRAM_SECRET)
    code, out, err = run(capsys, "telegram", "set-webhook", "https://example.go.id/webhooks/telegram")
    assert code == 0, err
    assert "webhook set to https://example.go.id/webhooks/telegram" in out
    hook = fake_telegram.webhook
    assert hook["url"] == "https://example.go.id/webhooks/telegram"
    assert hook["secret_token"] == TELEGRAM_SECRET
    assert hook["allowed_updates"] == ["message", "callback_query"]
    assert 1 <= int(hook["max_connections"]) <= 100


def test_telegram_set_webhook_refused(env, capsys, fake_telegram):
    env.setenv("TELEGRAM_API_BASE_URL", fake_telegram.url)
    env.setenv("TELEGRAM_BOT_TOKEN", fake_telegram.token)
    env.setenv("TELEGRAM_WEBHOOK_SECRET", TELEGRAM_SECRET)
    code, _, err = run(capsys, "telegram", "set-webhook", "http://example.go.id/webhooks/telegram")
    assert code == 1
    assert "Telegram refused" in err and "https url must be provided" in err.lower()  # PTB rewords the case
    assert fake_telegram.webhook == {}


def test_telegram_set_webhook_without_token(env, capsys, fake_telegram):
    env.setenv("TELEGRAM_API_BASE_URL", fake_telegram.url)
    env.setenv("TELEGRAM_WEBHOOK_SECRET", TELEGRAM_SECRET)
    code, _, err = run(capsys, "telegram", "set-webhook", "https://example.go.id/webhooks/telegram")
    assert code == 2
    assert "TELEGRAM_BOT_TOKEN" in err
    assert fake_telegram.calls() == []


def test_telegram_set_webhook_unreachable(env, capsys):
    env.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:1")
    env.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST-token")
    env.setenv("TELEGRAM_WEBHOOK_SECRET", TELEGRAM_SECRET)
    code, _, err = run(capsys, "telegram", "set-webhook", "https://example.go.id/webhooks/telegram")
    assert code == 1
    assert err.startswith("loket telegram:")


# ----------------------------------------------------------------------------- content, standards, db

def test_content_check_on_the_repository(env, capsys):
    code, out, err = run(capsys, "content", "check")
    assert code == 0, err
    assert out.startswith("content OK:")


def test_import_standard_json(env, capsys):
    code, out, err = run(capsys, "import-standard", str(STANDARD), "--json")
    assert code == 0, err
    parsed = json.loads(out)
    assert parsed["name"] == "Pelayanan Konsultasi"


def test_db_upgrade_twice(env, capsys, tmp_path):
    for _ in range(2):
        code, out, err = run(capsys, "db", "upgrade")
        assert code == 0, err
        assert "up to date" in out
    assert (tmp_path / "cli.db").exists()


def test_bad_setting_is_exit_2(env, capsys):
    env.setenv("PORT", "lima ribu")
    code, _, err = run(capsys, "db", "upgrade")
    assert code == 2 and "PORT" in err


# ----------------------------------------------------------------------------- channels

def test_channels_list_shows_instances_agencies_and_missing_secrets(env, capsys, tmp_path):
    import shutil
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    (content / "channels.yaml").write_text(
        "- {id: wa-kesra, provider: whatsapp, address: 'whatsapp:+6281100000001', agencies: [buleleng-kesra]}\n"
        "- {id: tg-mpp, provider: telegram, token_env: TELEGRAM_BOT_TOKEN_MPP,"
        " secret_env: TELEGRAM_WEBHOOK_SECRET_MPP, agencies: [buleleng-kesra, bangli-dpmptsp]}\n")
    env.setenv("CONTENT_DIR", str(content))
    env.setenv("AGENCIES", "all")
    env.setenv("TELEGRAM_BOT_TOKEN_MPP", "123:abc")
    code, out, err = run(capsys, "channels", "list")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["id", "provider", "address", "agencies", "settings"]
    assert lines[1].split()[:3] == ["wa-kesra", "whatsapp", "whatsapp:+6281100000001"]
    assert "/webhooks/telegram/tg-mpp" in lines[2] and "buleleng-kesra, bangli-dpmptsp" in lines[2]
    assert "TELEGRAM_BOT_TOKEN_MPP set" in lines[2] and "TELEGRAM_WEBHOOK_SECRET_MPP MISSING" in lines[2]
    assert "123:abc" not in out  # the secret itself is never printed
    (content / "channels.yaml").write_text("- {id: x, provider: sms, address: '0812', agencies: [kalbar-kesra]}\n")
    code, out, err = run(capsys, "channels", "list")
    assert code == 1 and "channels.yaml: 0.address:" in err
    code, out, err = run(capsys, "content", "check", str(content))
    assert code == 1 and "channels.yaml: 0.address:" in err


def test_channels_list_without_a_channels_file(env, capsys):
    code, out, err = run(capsys, "channels", "list")
    assert code == 0, err
    assert "no channels.yaml" in out and "buleleng-kesra" in out
