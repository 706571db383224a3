"""The demo deployment of the shipped content (content/_demo/): laid out as a content folder, officers added."""
from __future__ import annotations

from pathlib import Path

from bot.content.loader import check_content_dir
from bot.store.db import make_engine, make_session_factory, session_scope, upgrade
from bot.settings import PROJECT_ROOT, Settings
from bot.store.officers import list_officers
from bot.tenancy import check_channels_file, load_agencies, load_channels
from cli.demo_deployment import lay_out, load_demo, register_officers


def laid_out(tmp_path: Path) -> tuple[Settings, object]:
    demo = load_demo(PROJECT_ROOT / "content")
    folder = tmp_path / "demo-content"
    folder.mkdir()
    lay_out(demo, PROJECT_ROOT / "content", folder)
    return Settings(content_dir=folder, agencies=",".join(demo.agencies)), demo


def test_the_shipped_demo_serves_kesra_on_its_own_number_and_both_behind_the_front_desk(tmp_path):
    settings, demo = laid_out(tmp_path)
    assert demo.agencies == ("buleleng-kesra", "bangli-dpmptsp")
    assert check_content_dir(settings.content_dir) == []
    assert check_channels_file(settings.content_dir / "channels.yaml", list(demo.agencies)) == []
    registry = load_channels(settings, list(demo.agencies))
    lines = {i.id: i for i in registry.instances}
    assert lines["wa-kesra"].agencies == ("buleleng-kesra",) and not lines["wa-kesra"].front_desk
    assert lines["wa-mpp"].front_desk and set(lines["wa-mpp"].agencies) == set(demo.agencies)
    assert lines["wa-mpp"].name == "Mal Pelayanan Publik"
    # Each agency's officers hear their own bot.
    assert registry.for_officers("buleleng-kesra", "telegram").id == "tg-kesra"
    assert registry.for_officers("bangli-dpmptsp", "telegram").id == "tg-bangli"


def test_the_units_get_their_groups_and_the_rest_of_each_pack_is_the_shipped_one(tmp_path):
    settings, _ = laid_out(tmp_path)
    packs = load_agencies(settings)
    assert packs["buleleng-kesra"].agency.unit("kesra").telegram_chat_id == -1001000000001
    assert packs["bangli-dpmptsp"].agency.unit("pengaduan").telegram_chat_id == -1001000000002
    shipped = PROJECT_ROOT / "content" / "buleleng-kesra" / "services"
    assert (settings.content_dir / "buleleng-kesra" / "services").resolve() == shipped.resolve()  # edits reach it
    assert "telegram_chat_id" not in (PROJECT_ROOT / "content" / "buleleng-kesra" / "agency.yaml").read_text()


def test_the_officers_are_registered_once_however_often_the_demo_starts(tmp_path):
    _, demo = laid_out(tmp_path)
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    upgrade(url, agency="buleleng-kesra")
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    try:
        with session_scope(sessions) as session:
            assert register_officers(session, demo) == 3
        with session_scope(sessions) as session:
            assert register_officers(session, demo) == 0
            officers = {o.name: (o.agency_id, o.units, o.role) for o in list_officers(session)}
    finally:
        engine.dispose()
    assert officers["Komang Sudiarta"] == ("bangli-dpmptsp", ["pengaduan"], "supervisor")
    assert officers["Sari Wulandari"] == ("buleleng-kesra", ["kesra"], "supervisor")


def test_content_without_a_demo_folder_runs_as_it_is(tmp_path):
    assert load_demo(tmp_path) is None
