"""The Twilio webhook reads its form the way Werkzeug would: same fields, same values, for any body."""
from __future__ import annotations

import pytest
from flask import Flask, request

from webhooks.twilio import FORM_TYPE, _form

BODIES = [
    b"Body=halo&From=whatsapp%3A%2B6281234567890&NumMedia=0",
    b"Body=mau+tanya+syarat%20izin&ProfileName=Ni+Luh+Putu+%C3%89",  # + and %20, UTF-8
    b"Body=%FF%FEbukan+utf8&Latitude=",  # bytes that are no UTF-8, a blank value
    b"Body=pertama&Body=kedua&To=x",  # a repeated name: the first value
    b"Body=halo&&=kosong&tanpa_nilai",  # empty pairs and names without a value
    "Body=langsung ✓ é".encode(),  # not percent-encoded at all
    b"Body=\xff\xfe",  # a raw body that is not UTF-8
    b"",
]


@pytest.mark.parametrize("body", BODIES)
def test_the_form_is_what_werkzeug_makes_of_it(body):
    app = Flask("t")
    with app.test_request_context("/webhooks/twilio", method="POST", data=body, content_type=FORM_TYPE):
        ours = _form()
    with app.test_request_context("/webhooks/twilio", method="POST", data=body, content_type=FORM_TYPE):
        werkzeugs = request.form.to_dict()
    assert ours == werkzeugs


def test_a_body_of_another_type_goes_werkzeugs_way():
    app = Flask("t")
    with app.test_request_context("/webhooks/twilio", method="POST", data={"Body": "halo", "To": "x"},
                                  content_type="multipart/form-data"):
        assert _form() == {"Body": "halo", "To": "x"}
