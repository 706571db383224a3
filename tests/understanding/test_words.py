"""How the answering layer reads a message: informal forms, suffixes, affixes, typos, bounded cost."""
import pytest

from bot.answering import index_for, language, understand
from bot.answering.words import MAX_CHARS, MAX_WORDS, raw_words, stems
from bot.content import load_pack
from bot.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def kalbar():
    return index_for(load_pack(PROJECT_ROOT / "content" / "kalbar-kesra"))


@pytest.mark.parametrize("typed, read", [
    ("brp", ["berapa"]), ("gmn", ["bagaimana"]), ("yg", ["yang"]), ("utk", ["untuk"]), ("sy", ["saya"]),
    ("tdk", ["tidak"]), ("ga", ["tidak"]), ("gak", ["tidak"]), ("nggak", ["tidak"]), ("no wa", ["nomor", "whatsapp"]),
    ("tlp", ["telepon"]), ("skm", ["surve", "puas", "masyarakat"]),
])
def test_informal_forms_are_read_as_the_words_they_stand_for(typed, read):
    assert stems(typed) == read


@pytest.mark.parametrize("forms", [
    ("pengaduan", "aduan", "mengadu", "ngadu", "pengaduannya"),
    ("syarat", "syaratnya", "persyaratan"),
    ("hukum", "hukumnya", "hukumkah"),
    ("biaya", "biayanya", "biayanyalah"),
])
def test_suffixes_and_affixes_reach_one_stem(forms):
    assert len({tuple(stems(f)) for f in forms}) == 1


def test_a_long_message_is_read_only_as_far_as_a_question_goes():
    huge = "syarat " * 20_000
    assert len(raw_words(huge)) == MAX_WORDS
    assert raw_words("a" * (MAX_CHARS + 10) + " biaya") == ["a" * MAX_CHARS]


def test_a_huge_message_is_still_understood_from_its_start(kalbar):
    u = understand(kalbar, ("berapa biayanya? " + "tolong dijawab ya " * 4000)[:65_536])
    assert u.intent == "fact" and u.kind == "fee"


@pytest.mark.parametrize("typed, kind", [
    ("sayarat konsultasi", "requirements"), ("biyaya konsultasi", "fee"), ("prosedurr", "procedure"),
    ("fasilitsnya apa", "facilities"), ("dasar hukumnya", "legal"), ("no telp brp", "phone"),
])
def test_typos_are_forgiven(kalbar, typed, kind):
    u = understand(kalbar, typed)
    assert (u.intent, u.kind) == ("fact", kind)


@pytest.mark.parametrize("text, lang", [
    ("what are the requirements?", "en"), ("how much is the fee", "en"), ("syaratnya apa", "id"),
    ("biaya brp kak", "id"), ("ok", None),
])
def test_the_language_of_a_question(kalbar, text, lang):
    assert language(kalbar, text) == lang


def test_a_service_the_pack_does_not_have_is_named_as_such(kalbar):
    u = understand(kalbar, "mau urus izin usaha, syaratnya apa?")
    assert u.intent == "not_served" and u.subject == ("izin", "usaha")


@pytest.mark.parametrize("text", ["ada ruang menyusui?", "ada ruangan bermain anak ga", "tersedia tempat ibadah?"])
def test_a_room_the_standard_does_not_name_is_not_called_a_service_we_lack(kalbar, text):
    """A word the standard never uses, in a question about facilities, names the room asked for: the
    answer is the facilities the standard states, never "that service is not served here"."""
    u = understand(kalbar, text)
    assert u.intent != "not_served"
    assert u.kind == "facilities" or "facilities" in u.kinds


def test_the_yes_and_no_lists_load_under_their_names():
    commands = load_pack(PROJECT_ROOT / "content" / "kalbar-kesra").intents["commands"]
    assert "setuju" in commands["yes"] and "gak mau" in commands["no"]
    assert "True" not in commands and "False" not in commands


@pytest.mark.parametrize("text, kind", [("alamat websitenya apa", "web"), ("what is the email address?", "email"),
                                        ("alamat emailnya apa ya", "email")])
def test_the_address_of_a_channel_is_the_channel(kalbar, text, kind):
    """"Alamat website" asks for the website, not for the office's address."""
    u = understand(kalbar, text)
    assert u.kind == kind and "address" not in u.kinds


@pytest.fixture(scope="module")
def buleleng():
    return index_for(load_pack(PROJECT_ROOT / "content" / "buleleng-kesra"))


@pytest.fixture(scope="module")
def bangli():
    return index_for(load_pack(PROJECT_ROOT / "content" / "bangli-dpmptsp"))


@pytest.mark.parametrize("text", ["kantornya nyaman ga buat pengunjung?", "ada oknum yg minta duit",
                                  "how many days until it is answered?", "tetangga bilang gratis, beneran?"])
def test_a_word_the_bot_does_not_know_never_makes_a_service_we_lack(kalbar, text):
    """"Not served here" is a statement about the agency: it rests only on words that name a kind of service."""
    assert understand(kalbar, text).intent != "not_served"


def test_a_typo_is_not_corrected_into_a_service_we_lack(buleleng):
    """"loketnya" is one letter from "loker" (job vacancies): the typed word decides, not its correction."""
    assert understand(buleleng, "loketnya tutup padahal masih jam kerja").intent != "not_served"


@pytest.mark.parametrize("text, kind", [("biayanyabrp kak", "fee"), ("pembinaanmasyarakat syaratnya apa", "requirements"),
                                        ("brplama konsultasinya", "time")])
def test_words_typed_together_are_taken_apart(buleleng, text, kind):
    u = understand(buleleng, text)
    assert u.intent in ("fact", "clarify") and (u.kind == kind or kind in u.kinds)


@pytest.mark.parametrize("text", ["keluhan bisa disampaikan kemana ya", "komplain lewat mana", "how can I complain"])
def test_where_to_complain_asks_for_the_channels(buleleng, text):
    assert understand(buleleng, text).kind == "complaints"


@pytest.mark.parametrize("text, kind", [("cara ngadunya gimana", "procedure"), ("how do I file a complaint", "procedure"),
                                        ("how long will my complaint take", "time"),
                                        ("pengaduan bisa disampaikan lewat apa saja", "complaints")])
def test_for_the_complaint_service_how_to_complain_is_its_procedure(bangli, text, kind):
    assert understand(bangli, text).kind == kind


def test_a_long_message_is_read_by_its_question(kalbar):
    text = ("pak sy kemarin sudah ke kantor gubernur tapi bingung harus ke ruangan mana dan akhirnya pulang. "
            "sebenarnya alur konsultasinya bagaimana?")
    u = understand(kalbar, text)
    assert u.intent == "fact" and u.kind == "procedure"


def test_the_service_of_a_long_message_may_be_named_in_its_story(buleleng):
    text = ("om swastyastu, sy ketua sekaa teruna. bulan depan ada acara pemuda dan kami ingin pembinaan "
            "masyarakat dari kesra. yang harus disiapkan apa saja?")
    u = understand(buleleng, text)
    assert u.services == ("pembinaan-masyarakat",)
