"""Phone numbers to E.164, and masking for logs."""
from __future__ import annotations

import pytest

from bot.channels.phone import mask, to_e164


@pytest.mark.parametrize("raw", [
    "whatsapp:+6281234567890",
    "WhatsApp:+6281234567890",
    "+6281234567890",
    "081234567890",
    "+62 812-3456-7890",
    "62812 3456 7890",
    "6281234567890",
    "0062 812 3456 7890",
    "81234567890",
    "+62 (0)812-3456-7890",
    "  0812.3456.7890 ",
    "tel:+6281234567890",
])
def test_indonesian_numbers_become_e164(raw):
    assert to_e164(raw) == "+6281234567890"


@pytest.mark.parametrize("raw, expected", [
    ("021 1234567", "+62211234567"),  # Jakarta landline
    ("+44 20 7946 0958", "+442079460958"),  # foreign numbers keep their own code
    ("0412 345 678", "+61412345678"),
])
def test_other_numbers(raw, expected):
    region = "61" if raw.startswith("0412") else "62"
    assert to_e164(raw, default_region_code=region) == expected


@pytest.mark.parametrize("raw, message", [
    ("", "empty"),
    ("   ", "empty"),
    ("halo", "only digits"),
    ("0812-3456-789a", "only digits"),
    ("+62+812345678", "only digits"),
    ("+62 812", "5 digits"),
    ("0812345678901234567", "20 digits"),
])
def test_garbage_is_refused_without_echoing_it(raw, message):
    with pytest.raises(ValueError, match=message) as info:
        to_e164(raw)
    assert raw.strip() == "" or raw not in str(info.value)


@pytest.mark.parametrize("value, expected", [
    ("+6281234567890", "+628****90"),
    ("whatsapp:+6281234567890", "whatsapp:+628****90"),
    ("telegram:123456789", "telegram:1234****89"),
    ("SM0123456789abcdef0123456789abcdef", "SM01****ef"),
    ("1234567", "****67"),
    ("123", "****"),
    ("", "****"),
    (None, ""),
    (987654321, "9876****21"),
])
def test_mask(value, expected):
    assert mask(value) == expected
