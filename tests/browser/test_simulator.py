"""The chat simulator in headless Chromium, against the real system started by ``loket demo``.

Web (gunicorn), RQ worker, scheduler and Redis all run as in the demo; the
browser types and presses buttons like a citizen would, and like an officer
would in the panel beside the citizen's phone. Screenshots go to
``LOKET_SCREENSHOT`` (default /tmp/loket-simulator.png, and -loop, -narrow
beside it); each test prints the paths it wrote.
"""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
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


@contextmanager
def simulator(browser, demo, width: int):
    """The simulator open in a new browser window ``width`` pixels wide; no JavaScript error may occur on it."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(20_000)
    page.goto(demo.base + "/simulator")
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(browser, demo):
    with simulator(browser, demo, 420) as page:
        yield page


def button(page, name: str):
    """The newest button with exactly this text (older menus keep theirs, as in Telegram)."""
    return page.get_by_role("button", name=name, exact=True).last


def test_citizen_reads_requirements_and_flowchart(page):
    from playwright.sync_api import expect

    expect(page.locator("#citizen header")).to_contain_text("Kesra Setda Buleleng")
    page.get_by_label("Pesan").fill("halo")
    page.get_by_role("button", name="Kirim", exact=True).click()

    log = page.locator("#log")
    expect(log.locator(".msg.me").first).to_have_text(re.compile(r"^halo"))
    expect(log).to_contain_text("Selamat datang")
    first = log.locator(".msg.bot")
    expect(first).to_have_count(1)  # the greeting heads the menu: one bubble, its buttons in it
    expect(first.first).to_contain_text("Selamat datang")
    expect(first.first.get_by_role("button", name="1. Informasi layanan", exact=True)).to_be_visible()
    page.screenshot(path=str(SCREENSHOT.with_name(SCREENSHOT.stem + "-first.png")))
    button(page, "1. Informasi layanan").click()
    button(page, "1. Pelayanan Konsultasi").click()
    button(page, "1. Persyaratan").click()
    for requirement in REQUIREMENTS:
        expect(log.get_by_text(requirement)).to_be_visible()
    page.screenshot(path=str(SCREENSHOT.with_name(SCREENSHOT.stem + "-menu.png")))

    # After an answer, one line offers the next step; the question is typed.
    page.get_by_label("Pesan").fill("prosedurnya gimana?")
    page.get_by_role("button", name="Kirim", exact=True).click()
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
    print(f"screenshot: {SCREENSHOT}")


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


# ------------------------------------------------------------------ citizen and officer, two agencies

KESRA_NUMBER, DESK_NUMBER = "+6281100000001", "+6281100000002"  # content/_demo/channels.yaml
TICKET = re.compile(r"ADU-\d{4}-\d{4}")


def say(panel, text: str) -> None:
    """Type ``text`` into the panel's box and send it (Enter), as a person does."""
    box = panel.locator("form input")
    box.fill(text)
    box.press("Enter")


def test_question_complaint_and_officer_reply_across_two_agencies(browser, demo):
    """The whole loop: Kesra's own number, Bangli behind the front desk, Bangli's officer in the panel."""
    from playwright.sync_api import expect

    with simulator(browser, demo, 1280) as page:
        citizen, officer = page.locator("#citizen"), page.locator("#officer")
        chat, officer_chat = citizen.locator(".log"), officer.locator(".log")

        # Agency A on its own number: Kesra answers from Kesra's standard.
        expect(page.get_by_label("Nomor tujuan")).to_have_value("wa-kesra")
        expect(citizen.locator("header")).to_contain_text(KESRA_NUMBER)
        say(citizen, "apa syarat konsultasi?")
        expect(chat).to_contain_text("Persyaratan Pelayanan Konsultasi")
        expect(chat).to_contain_text("Surat tugas")

        # The front desk serves both; a question about Bangli's service is answered from Bangli's pack.
        page.get_by_label("Nomor tujuan").select_option("wa-mpp")
        expect(citizen.locator("header")).to_contain_text("Mal Pelayanan Publik")
        expect(citizen.locator("header")).to_contain_text("front desk")
        expect(chat.locator(".msg")).to_have_count(0)  # another number: another conversation
        say(citizen, "syarat pengaduan masyarakat di dpmptsp apa?")
        expect(chat).to_contain_text("DPMPTSP Kabupaten Bangli")
        expect(chat).to_contain_text("Persyaratan Pelayanan Pengaduan Masyarakat")
        expect(chat).to_contain_text("KTP/Pekenal lainnya")
        assert "Surat tugas" not in chat.inner_text()

        # A complaint, in the citizen's words where the form understands them, buttons where it offers them.
        say(citizen, "mau ngadu")
        expect(chat).to_contain_text("Setuju?")
        say(citizen, "setuju")
        expect(chat).to_contain_text("Ceritakan apa yang terjadi")
        say(citizen, "Izin usaha saya belum diproses sejak dua bulan")
        expect(chat).to_contain_text("Di mana kejadiannya?")
        say(citizen, "Kantor DPMPTSP Bangli")
        expect(chat).to_contain_text("Kapan kejadiannya?")
        say(citizen, "Senin lalu")
        button(page, "1. Pelayanan perizinan / non perizinan").click()
        expect(chat).to_contain_text("Kirim bukti")
        say(citizen, "lewati")
        button(page, "3. Anonim (tanpa identitas)").click()
        button(page, "1. Kirim").click()
        expect(chat).to_contain_text("Pengaduan Anda tercatat dengan nomor")
        number = TICKET.search(chat.locator(".msg.bot", has_text="tercatat dengan nomor").last.inner_text()).group(0)

        # Bangli's officer reads the unit's group on Bangli's bot: the notice with its buttons.
        page.get_by_label("Petugas", exact=True).select_option(label="Komang Sudiarta (DPMPTSP Bangli)")
        expect(page.get_by_label("Chat", exact=True)).to_contain_text("Grup Tim Pengaduan dan Bidang Terkait")
        expect(officer.locator("header")).to_contain_text("tg-bangli")
        notice = officer_chat.locator(".msg.bot", has_text=f"Pengaduan baru {number}")
        expect(notice).to_contain_text("Izin usaha saya belum diproses sejak dua bulan")
        for label in ("Ambil", "Balas", "Tutup"):
            expect(notice.get_by_role("button", name=label, exact=True)).to_be_visible()
        notice.get_by_role("button", name="Ambil", exact=True).click()
        expect(officer_chat).to_contain_text(f"Tiket {number} sekarang Anda tangani.")

        # The officer's reply, typed as a command, reaches the citizen's chat with the front desk.
        reply = "Izin usaha Anda sudah kami proses; silakan cek email."
        say(officer, f"/balas {number} {reply}")
        expect(officer_chat).to_contain_text(f"Balasan terkirim ke warga (tiket {number}).")
        expect(chat.locator(".msg.bot").last).to_contain_text(reply)

        # Desktop: the phone and the officer's panel side by side.
        phone, panel = citizen.bounding_box(), officer.bounding_box()
        assert phone["x"] + phone["width"] <= panel["x"] and abs(phone["y"] - panel["y"]) < 2
        loop = SCREENSHOT.with_name(SCREENSHOT.stem + "-loop.png")
        page.screenshot(path=str(loop))

        # 420 px wide: one above the other, each as wide as the screen.
        page.set_viewport_size({"width": 420, "height": 900})
        phone, panel = citizen.bounding_box(), officer.bounding_box()
        assert panel["y"] >= phone["y"] + phone["height"] - 1
        assert phone["width"] == panel["width"] == 420
        narrow = SCREENSHOT.with_name(SCREENSHOT.stem + "-narrow.png")
        page.screenshot(path=str(narrow), full_page=True)
        assert loop.stat().st_size > 0 and narrow.stat().st_size > 0
        print(f"screenshots: {loop} {narrow}")

