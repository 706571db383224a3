"""The survey inside the engine: its handler first, questions answered mid-way, "isi survei", the invitation."""
from __future__ import annotations

import pytest

from flows import events
from tests.flows.conftest import Chat

ARGS = {"transaction_ref": "ADU-2612-0001", "kind": "complaint", "unit": "kesra", "service": "konsultasi"}


def saved(chat: Chat) -> list[dict]:
    return [e.data for e in chat.last.effects if e.type == "save_survey_response"]


@pytest.fixture
def surveyed(ctx) -> Chat:
    """A citizen the worker just opened the survey for (after their ticket was closed)."""
    chat = Chat(ctx)
    chat.say("halo")
    chat.last = events.open_flow(chat.state, ctx, "survey", ARGS)
    chat.state = chat.last.state
    return chat


def test_batal_stops_the_survey_and_keeps_the_answers(surveyed):
    surveyed.say("4", "3")
    surveyed.say("batal")
    assert "survei dihentikan" in surveyed.text and surveyed.screen == "main"
    [response] = saved(surveyed)
    assert response["scores"] == {"u1": 4, "u2": 3} and response["completed"] is False


def test_zero_goes_one_question_back_and_tidak_ada_skips_a_profile_question(surveyed):
    surveyed.say("4", "0")
    assert "Pertanyaan 1 dari 9" in surveyed.text  # not the menu's "kembali": the survey's own step back
    surveyed.say(*["3"] * 9)
    assert "Jenis kelamin" in surveyed.text
    surveyed.say("tidak ada")
    assert "Usia" in surveyed.text and surveyed.screen == "survey"


def test_a_question_mid_survey_is_answered_and_the_survey_resumes(surveyed):
    surveyed.say("4")
    surveyed.say("berapa biaya konsultasi?")
    assert surveyed.texts == ["*Biaya Pelayanan Konsultasi:*\nGratis (tidak dipungut biaya).",
                              "Kita lanjutkan isian Anda:", surveyed.texts[-1]]
    assert surveyed.texts[-1].startswith("Pertanyaan 2 dari 9") and surveyed.screen == "survey"
    assert not saved(surveyed)  # nothing was answered
    surveyed.say("mudah")
    assert saved(surveyed)[-1]["scores"] == {"u1": 4, "u2": 3}


def test_a_word_that_answers_is_never_taken_as_a_question(surveyed):
    for text, score in (("puas", 3), ("sangat baik", 4), ("setuju", 3), ("tidak setuju", 1)):
        surveyed.say(text)
        assert surveyed.screen == "survey"
        assert list(saved(surveyed)[-1]["scores"].values())[-1] == score


def test_the_suggestion_takes_free_text_but_answers_a_short_question(surveyed):
    surveyed.say(*["3"] * 9, "lewati", "lewati", "lewati", "lewati")
    assert "saran atau masukan" in surveyed.text
    surveyed.say("syarat konsultasi apa?")
    assert "Surat tugas" in surveyed.text and "saran atau masukan" in surveyed.texts[-1]
    surveyed.say("Ruang tunggu kurang kursi")
    assert saved(surveyed)[-1]["suggestion"] == "Ruang tunggu kurang kursi" and saved(surveyed)[-1]["completed"]


@pytest.mark.parametrize("text", ["isi survei", "survei kepuasan", "mau isi survey", "Isi Survey", "/survei"])
def test_asking_for_the_survey_asks_the_worker_which_transaction(chat, text):
    chat.say("halo")
    chat.say(text)
    assert [e.type for e in chat.last.effects] == ["offer_survey"]


@pytest.mark.parametrize("text", ["apakah ada survei kepuasan?", "survei kepuasan masyarakat dilakukan kapan?"])
def test_a_question_about_the_survey_is_not_a_request_to_take_it(chat, text):
    chat.say("halo")
    chat.say(text)
    assert "offer_survey" not in [e.type for e in chat.last.effects]


@pytest.fixture
def invited(ctx) -> Chat:
    """Outside the window the template went: the state remembers the invitation."""
    chat = Chat(ctx)
    chat.say("halo")
    chat.last = events.invite(chat.state, ctx, "survey", ARGS)
    chat.state = chat.last.state
    return chat


@pytest.mark.parametrize("answer", ["ya", "mau", "1", "boleh", "iya, mau"])
def test_a_yes_to_the_invitation_begins_the_survey(invited, answer):
    invited.say(answer)
    assert invited.screen == "survey" and "Pertanyaan 1 dari 9" in invited.text
    assert invited.state["survey"]["ref"] == "ADU-2612-0001"


@pytest.mark.parametrize("answer", ["tidak", "2", "gak mau"])
def test_a_no_to_the_invitation_is_thanked(invited, answer):
    invited.say(answer)
    assert invited.screen == "main" and "ketik *isi survei*" in invited.text and "invite" not in invited.state


def test_a_form_is_busy_and_the_menu_is_not(ctx):
    chat = Chat(ctx)
    chat.say("halo")
    assert not events.busy(chat.state)
    chat.say("pengaduan")
    assert events.busy(chat.state)
