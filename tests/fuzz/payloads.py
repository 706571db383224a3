"""Hypothesis strategies for what Twilio and Telegram send: every shape they use, and broken ones."""
from __future__ import annotations

from hypothesis import strategies as st

from tests.fakes.telegram_api import (
    make_callback_update,
    make_contact_update,
    make_document_update,
    make_edited_message_update,
    make_group_text_update,
    make_location_update,
    make_photo_update,
    make_sticker_update,
    make_text_update,
    make_video_update,
    make_voice_update,
)
from tests.fakes.twilio_api import make_inbound, make_status_callback, new_sid

NAME = "Ni Luh Fuzz"  # the privacy check fails the run if it reaches a log line
PHONES = ("whatsapp:+6281234567890", "whatsapp:+6285712345678", "+6281311112222")

odd_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(["", " ", "\x00", "\x00halo", "A" * 129, "9" * 40, "-1", "1e400", "nan", "inf", "0x7f000001",
                     "http://127.0.0.1:1/x", "<script>", "' OR 1=1 --", "\u202e", "😀" * 50, "٣", "1_0", "x" * 5000]),
)
TWILIO_FIELDS = ["MessageSid", "AccountSid", "From", "To", "Body", "NumMedia", "ProfileName", "WaId", "Latitude",
                 "Longitude", "Label", "Address", "ButtonPayload", "ButtonText", "MediaUrl0", "MediaContentType0",
                 "MediaUrl1", "OriginalRepliedMessageSid", "MessageType", "ReferralNumMedia"]


@st.composite
def twilio_inbound(draw) -> dict[str, str]:
    """A realistic inbound form (text, media, location, button) with some fields broken, missing or added."""
    shape = draw(st.sampled_from(["text", "media", "location", "button"]))
    kwargs = {"from_": draw(st.sampled_from(PHONES)), "profile_name": NAME}
    if shape == "media":
        kwargs["media"] = [("https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME", "image/jpeg")]
    elif shape == "location":
        kwargs["location"] = (-8.11, 115.09, "Jl. Ngurah Rai")
    elif shape == "button":
        kwargs["button"] = ("Ya", "yes")
    form = make_inbound(draw(st.sampled_from(["halo", "1", "pengaduan", ""])), **kwargs)
    for field in draw(st.lists(st.sampled_from(TWILIO_FIELDS), max_size=4, unique=True)):
        if draw(st.booleans()):
            form[field] = draw(odd_text)
        else:
            form.pop(field, None)
    if draw(st.integers(0, 9)) == 0:
        form["NumMedia"] = draw(st.sampled_from(["1000000000", "99999", "11", "-3"]))
    if draw(st.integers(0, 19)) == 0:
        form["Body"] = "x" * draw(st.sampled_from([4097, 65536, 400_000]))
    return form


@st.composite
def twilio_status(draw) -> dict[str, str]:
    status = draw(st.sampled_from(["queued", "sent", "delivered", "read", "failed", "undelivered", "canceled"]))
    form = make_status_callback(new_sid("SM"), status, draw(st.sampled_from([None, 63016, 30008, 21610])))
    for field in draw(st.lists(st.sampled_from(["MessageSid", "MessageStatus", "SmsStatus", "ErrorCode", "To"]),
                               max_size=3, unique=True)):
        form[field] = draw(odd_text)
    return form


json_value = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False) | odd_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
TELEGRAM_MAKERS = [
    lambda: make_text_update("halo", first_name=NAME), lambda: make_text_update("/lihat ADU-2612-0001"),
    lambda: make_group_text_update("halo", first_name=NAME), lambda: make_callback_update("t1:1", first_name=NAME),
    lambda: make_photo_update(caption="bukti"), lambda: make_document_update(), lambda: make_location_update(),
    lambda: make_sticker_update(), lambda: make_contact_update(), lambda: make_voice_update(),
    lambda: make_video_update(), lambda: make_edited_message_update("halo", 5),
]


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, prefix + (key,))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _paths(inner, prefix + (i,))


@st.composite
def telegram_update(draw):
    """One of the updates Telegram sends, with values anywhere in it replaced, removed or retyped."""
    update = draw(st.sampled_from(TELEGRAM_MAKERS))()
    for _ in range(draw(st.integers(0, 3))):
        paths = [p for p in _paths(update) if p]
        if not paths:  # every field already removed: an empty update is one of the shapes too
            break
        path = draw(st.sampled_from(paths))
        parent = update
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = draw(json_value)
    if draw(st.integers(0, 29)) == 0:
        return draw(json_value)
    return update
