"""The SKM survey in the chat, typed as citizens type: numbers, buttons, words, typos, stopping halfway."""
from __future__ import annotations

import pytest

from flows import survey, survey_answers
from flows.types import Result
from tests.flows.conftest import make_message


class SurveyChat:
    """A citizen taking the survey for one served ticket; the engine's button tokens resolved as it does."""

    def __init__(self, ctx, ref: str = "ADU-2611-0042", lang: str = "id"):
        self.ctx = ctx
        self.last: Result = survey.start_survey({"lang": lang, "screen": "main"}, ctx, ref, kind="complaint",
                                                unit="kesra", service="konsultasi")
        self.state = self.last.state
        self.saved: list[dict] = []

    def say(self, *texts: str) -> Result:
        for text in texts:
            self.last = survey.handle(self.state, make_message(text), self.ctx)
            self.state = self.last.state
            self.saved += [e.data for e in self.last.effects if e.type == "save_survey_response"]
        return self.last

    def press(self, label: str) -> Result:
        """Tap the button with ``label``: Telegram sends its key, which the engine hands over as text."""
        key = next(o.key for r in self.last.replies for o in r.options if o.label == label)
        return self.say(key)

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.last.replies)

    @property
    def options(self) -> list[str]:
        return [o.label for r in self.last.replies for o in r.options]

    @property
    def response(self) -> dict:
        return self.saved[-1]


@pytest.fixture
def citizen(ctx):
    return SurveyChat(ctx)


def test_invitation_opens_with_the_first_element_and_its_four_answers(citizen):
    assert "9 pertanyaan singkat, tanpa nama" in citizen.text
    assert "Pertanyaan 1 dari 9" in citizen.text
    assert "kesesuaian persyaratan pelayanan" in citizen.text
    assert citizen.options == ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"]
    assert citizen.state["screen"] == "survey"


def test_full_survey_by_numbers_then_profile_and_a_suggestion(citizen):
    citizen.say("4", "3", "3", "4", "3", "4", "4", "3", "2")
    assert "Jenis kelamin:" in citizen.text and citizen.options == ["Laki-laki", "Perempuan", "Lewati"]
    citizen.say("2")
    assert "Usia" in citizen.text
    citizen.say("34 tahun")
    assert "Pendidikan terakhir:" in citizen.text
    citizen.say("S1")
    assert "Pekerjaan:" in citizen.text
    citizen.say("wiraswasta")  # not an option: asked again
    assert 'belum saya pahami' in citizen.text and "Pekerjaan:" in citizen.text
    citizen.say("5")
    assert "saran atau masukan" in citizen.text
    citizen.say("Ruang tunggunya panas, mohon tambah kipas.")
    assert "Terima kasih atas penilaian Anda" in citizen.text
    assert citizen.state["screen"] == "main" and "survey" not in citizen.state
    assert citizen.response == {
        "ref": "ADU-2611-0042", "kind": "complaint", "unit": "kesra", "service": "konsultasi",
        "scores": {"u1": 4, "u2": 3, "u3": 3, "u4": 4, "u5": 3, "u6": 4, "u7": 4, "u8": 3, "u9": 2},
        "profile": {"gender": "female", "age": "30", "education": "s1", "occupation": "wirausaha"},
        "suggestion": "Ruang tunggunya panas, mohon tambah kipas.", "completed": True, "lang": "id",
    }


def test_a_citizen_who_answers_in_words(citizen):
    citizen.say("sangat sesuai")          # u1: the element's own words
    citizen.say("mudah")                  # u2
    citizen.say("puas")                   # u3: general word -> 3
    citizen.say("gratis")                 # u4
    citizen.say("sangat baik")            # u5: general -> 4
    citizen.say("biasa saja")             # u6 -> 2
    citizen.say("sopan dan ramah")        # u7 -> 3 (not "sangat sopan dan ramah", not "kurang ...")
    citizen.say("kurang")                 # u8 -> 2
    citizen.say("Sangat Baik!")           # u9: case and punctuation ignored -> 4
    assert citizen.response["scores"] == {"u1": 4, "u2": 3, "u3": 3, "u4": 4, "u5": 4, "u6": 2, "u7": 3,
                                          "u8": 2, "u9": 4}
    assert "Jenis kelamin:" in citizen.text


@pytest.mark.parametrize("typed, score", [
    ("sangat sesuia", 4), ("sangt sesuai", 4), ("kurang sesuai", 2), ("krang sesuai", 2), ("tidak sesuai", 1),
    ("Sesuai.", 3), ("d", 4), ("a", 1), ("4 sangat sesuai", 4), ("tidak puas", 1), ("sangat puas", 4),
    ("menurut saya sudah sesuai", 3), ("jelek", 1), ("very suitable", 4), ("not suitable", 1),
])
def test_answers_to_the_first_element_with_typos_letters_and_other_words(ctx, typed, score):
    assert survey_answers.element_score(ctx, "u1", typed) == score


@pytest.mark.parametrize("typed", ["5", "0 sama sekali", "entahlah", "", "2026"])
def test_what_is_no_score_is_asked_again_and_nothing_is_saved(citizen, typed):
    citizen.say(typed)
    assert citizen.state["survey"]["step"] == "u1"
    assert "Pertanyaan 1 dari 9" in citizen.text
    assert citizen.saved == []


def test_buttons_send_their_key_like_a_typed_number(citizen):
    citizen.press("Sangat sesuai")
    citizen.press("Kurang mudah")
    assert citizen.response["scores"] == {"u1": 4, "u2": 2}
    assert citizen.options == ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"]


def test_each_answer_saves_the_response_so_far(citizen):
    citizen.say("3")
    assert citizen.response["scores"] == {"u1": 3} and citizen.response["completed"] is False
    citizen.say("4")
    assert citizen.response["scores"] == {"u1": 3, "u2": 4} and len(citizen.saved) == 2


def test_a_citizen_who_stops_at_element_5_keeps_the_first_four(citizen):
    citizen.say("4", "3", "cepat", "gratis")
    assert "Pertanyaan 5 dari 9" in citizen.text
    citizen.say("berhenti")
    assert "Jawaban yang sudah Anda berikan tetap kami simpan" in citizen.text
    assert citizen.state["screen"] == "main" and "survey" not in citizen.state
    assert citizen.response["scores"] == {"u1": 4, "u2": 3, "u3": 3, "u4": 4}
    assert citizen.response["completed"] is False and citizen.response["ref"] == "ADU-2611-0042"


@pytest.mark.parametrize("word", ["batal", "stop", "menu", "nanti saja"])
def test_stop_words_end_the_survey_from_any_step(citizen, word):
    citizen.say("4", "4", "4", "4", "4", "4", "4", "4", "4", "1")
    citizen.say(word)
    assert "survei dihentikan" in citizen.text
    assert citizen.response["scores"]["u9"] == 4 and citizen.response["profile"] == {"gender": "male"}


def test_stopping_before_any_answer_saves_nothing(citizen):
    citizen.say("batal")
    assert "survei dihentikan" in citizen.text and citizen.saved == []


def test_lewati_skips_each_profile_question_and_the_suggestion(citizen):
    citizen.say(*["3"] * 9)
    citizen.say("lewati", "skip", "-", "Lewati")
    assert "saran atau masukan" in citizen.text
    citizen.say("tidak ada")
    assert citizen.response["profile"] == {} and citizen.response["suggestion"] is None
    assert citizen.response["completed"] is True


def test_the_skip_button_is_the_last_option(citizen):
    citizen.say(*["3"] * 9)
    citizen.press("Lewati")
    assert "Usia" in citizen.text
    assert citizen.options[-1] == "Lewati" and len(citizen.options) == 7


@pytest.mark.parametrize("typed, band", [("17", "u20"), ("1", "u20"), ("2", "20"), ("45 tahun", "40"),
                                         ("60", "60"), ("81", "60"), ("30-39 tahun", "30")])
def test_age_as_a_group_number_or_in_years(ctx, typed, band):
    assert survey_answers.profile_code(ctx, "age", typed) == band


def test_kembali_goes_back_one_question_and_the_answer_can_change(citizen):
    citizen.say("4", "4")
    citizen.say("kembali")
    assert "Pertanyaan 2 dari 9" in citizen.text
    citizen.say("1")
    assert citizen.response["scores"] == {"u1": 4, "u2": 1}


def test_the_suggestion_keeps_no_phone_number_nik_or_email(citizen):
    citizen.say(*["2"] * 9, "lewati", "lewati", "lewati", "lewati")
    citizen.say("Petugas lambat. Hubungi saya 0812-3456-7890, NIK 5108012304850001, budi@mail.id")
    assert citizen.response["suggestion"] == "Petugas lambat. Hubungi saya [\u2026], NIK [\u2026], [\u2026]"


def test_english_wording_and_english_answers(ctx):
    chat = SurveyChat(ctx, lang="en")
    assert "Question 1 of 9" in chat.text and chat.options[-1] == "Very suitable"
    chat.say("very suitable", "easy", "satisfied", "free", "excellent", "so so", "polite and friendly",
             "well managed", "poor")
    assert chat.response["scores"] == {"u1": 4, "u2": 3, "u3": 3, "u4": 4, "u5": 4, "u6": 2, "u7": 3,
                                       "u8": 4, "u9": 1}
    assert "Gender:" in chat.text
