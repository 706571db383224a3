"""Evidence reaches officers without GPS or device data, and only through signed, expiring links."""
import io
import re
import shutil

import pytest
import yaml
from PIL import Image
from sqlalchemy import select

from bot.store.db import session_scope
from bot.ops.links import evidence_link
from bot.store.models import Evidence
from bot.settings import PROJECT_ROOT
from bot.store.officers import add_officer
from tests.conftest import make_settings
from tests.system import Loket

GROUP, SARI = -100777, 9102


def jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (40, 30), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "S", 2: (8.0, 6.0, 40.0), 3: "E", 4: (115.0, 5.0, 30.0)}  # GPSInfo
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def has_exif(content: bytes) -> bool:
    with Image.open(io.BytesIO(content)) as img:
        return len(img.getexif()) > 0


@pytest.fixture
def loket(database_url, redis, redis_url, tmp_path, fake_twilio, fake_telegram):
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    agency = content / "buleleng-kesra" / "agency.yaml"
    data = yaml.safe_load(agency.read_text())
    data["units"][0]["telegram_chat_id"] = GROUP
    agency.write_text(yaml.safe_dump(data, allow_unicode=True))
    system = Loket(make_settings(database_url, redis_url, tmp_path, fake_twilio, fake_telegram, content_dir=content),
                   redis, fake_twilio, fake_telegram)
    with session_scope(system.sessions) as s:
        add_officer(s, name="Sari Supervisor", role="supervisor", units=["kesra"], telegram_user_id=SARI)
    yield system
    system.close()


def test_photo_evidence_is_stripped_for_officers_and_linked_safely(loket):
    photo = jpeg_with_gps()
    assert has_exif(photo)
    url = loket.fake_twilio.add_media(photo, "image/jpeg")
    for text in ("halo", "2", "1", "Ada pungutan di loket", "Singaraja", "kemarin", "4"):
        loket.whatsapp(text)
    loket.whatsapp("", media=[(url, "image/jpeg")])
    for text in ("selesai", "2", "Wayan Citizen", "1"):
        loket.whatsapp(text)
    loket.work()
    number = re.search(r"\*(ADU-\d{4}-\d{4})\*", loket.last_whatsapp()).group(1)

    photos = loket.fake_telegram.calls("sendPhoto", GROUP)
    assert len(photos) == 1 and number in photos[0].params["caption"]
    assert not has_exif(photos[0].params["photo"].content)

    with loket.sessions() as s:
        ev = s.scalars(select(Evidence)).one()
    from pathlib import Path
    stored = Path(ev.stored_path).read_bytes()
    assert stored == photo  # the original is kept as evidence, hashed

    link = evidence_link("", loket.settings.secret_key, ev.id)
    resp = loket.client.get(link)
    assert resp.status_code == 200 and not has_exif(resp.data)  # confidential: stripped
    assert loket.client.get(f"/media/evidence/{ev.id}").status_code == 403
    forged = re.sub(r"sig=[0-9a-f]+", "sig=" + "0" * 64, link)
    assert loket.client.get(forged).status_code == 403
    expired = evidence_link("", loket.settings.secret_key, ev.id, ttl_seconds=-10)
    assert loket.client.get(expired).status_code == 403
    assert loket.client.get(evidence_link("", "other-secret", ev.id)).status_code == 403
