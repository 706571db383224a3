"""The chat simulator in headless Chromium, against the real system started by ``loket demo``.

Web (gunicorn), RQ worker, scheduler and Redis all run as in the demo; the
browser types and presses buttons like a citizen would.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.test_demo import Demo

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path(os.environ.get("LOKET_SCREENSHOT", "/tmp/loket-simulator.png"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REQUIREMENTS = ("Surat tugas", "Dokumen/ berkas pendukung", "Tanda pengenal/ identitas")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with Demo(tmp_path_factory.mktemp("demo")) as running:
        running.wait_healthy()
        yield running
        running.snapshot()
        assert running.interrupt() == 0
        assert running.leftovers() == {}, "processes outlived the demo"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, demo):
    context = browser.new_context(viewport={"width": 420, "height": 900}, locale="id-ID")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(20_000)
    page.goto(demo.base + "/simulator")
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def button(page, name: str):
    """The newest button with exactly this text (older menus keep theirs, as in Telegram)."""
    return page.get_by_role("button", name=name, exact=True).last


def test_citizen_reads_requirements_and_flowchart(page):
    from playwright.sync_api import expect

    expect(page.locator("header")).to_contain_text("Kesra Setda Buleleng")
    page.get_by_label("Pesan").fill("halo")
    page.get_by_role("button", name="Kirim").click()

    log = page.locator("#log")
    expect(log.locator(".msg.me").first).to_have_text(re.compile(r"^halo"))
    expect(log).to_contain_text("Selamat datang")
    button(page, "1. Informasi layanan").click()
    button(page, "1. Pelayanan Konsultasi").click()
    button(page, "1. Persyaratan").click()
    for requirement in REQUIREMENTS:
        expect(log.get_by_text(requirement)).to_be_visible()
    page.screenshot(path=str(SCREENSHOT.with_name(SCREENSHOT.stem + "-menu.png")))

    # After an answer, one line offers the next step; the question is typed.
    page.get_by_label("Pesan").fill("prosedurnya gimana?")
    page.get_by_role("button", name="Kirim").click()
    flowchart = log.locator("img").last
    expect(flowchart).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=flowchart.element_handle())
    assert flowchart.evaluate("img => img.naturalWidth") > 0
    expect(log).to_contain_text("Prosedur Pelayanan Konsultasi")

    # The citizen's side is on the right, the bot's on the left, as on a phone.
    me = log.locator(".msg.me").first.bounding_box()
    bot = log.locator(".msg.bot").first.bounding_box()
    assert me["x"] + me["width"] > bot["x"] + bot["width"]
    assert bot["x"] < me["x"]

    flowchart.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 0


def test_reload_keeps_the_conversation_in_order(page):
    page.get_by_label("Pesan").fill("halo")
    page.keyboard.press("Enter")
    button(page, "2. Sampaikan pengaduan").wait_for()
    page.reload()
    button(page, "1. Informasi layanan").wait_for()
    texts = page.locator("#log .msg").all_inner_texts()
    assert texts[0].startswith("halo"), texts
    assert "Selamat datang" in texts[1], texts

    # "Mulai ulang" starts over as another citizen: an empty chat, and the bot greets again.
    page.get_by_role("button", name="Mulai ulang").click()
    assert page.locator("#log .msg").count() == 0
    page.get_by_label("Pesan").fill("halo")
    page.keyboard.press("Enter")
    button(page, "1. Informasi layanan").wait_for()
    assert page.locator("#log .msg.bot", has_text="Selamat datang").count() == 1
