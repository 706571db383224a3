"""The evaluation set as a test: the development part keeps its floor, and no answer gives another
service's facts (development and held-out parts alike). Scores and timings: ``bench/understanding.py``."""
import pytest

from tests.understanding.evaluation import accuracy, evaluate, load_questions

#: The development set's score when this floor was set was 99.3% (298/300); a change that loses more than
#: a few questions fails here. The held-out set has no floor on purpose: it is not tuned on.
DEV_FLOOR = 0.97


@pytest.fixture(scope="module")
def dev():
    return evaluate("dev.yaml")


@pytest.fixture(scope="module")
def holdout():
    return evaluate("holdout.yaml")


def test_the_set_is_large_and_covers_every_pack_and_fact_kind():
    questions = load_questions("dev.yaml") + load_questions("holdout.yaml")
    assert len(questions) >= 400
    assert {p for p, _, _ in questions} == {"buleleng-kesra", "kalbar-kesra", "bangli-dpmptsp"}
    kinds = {e.split("/")[1] for _, _, e in questions if "/" in e}
    assert kinds >= {"requirements", "procedure", "time", "fee", "products", "complaints", "whatsapp", "phone",
                     "email", "fax", "web", "lapor", "deadlines", "legal", "facilities", "competencies",
                     "supervision", "staff", "guarantees", "safety", "evaluation", "office_hours", "address"}


def test_the_held_out_questions_are_not_in_the_development_set():
    dev_questions = {(p, q.lower()) for p, q, _ in load_questions("dev.yaml")}
    assert not [q for p, q, _ in load_questions("holdout.yaml") if (p, q.lower()) in dev_questions]


def test_the_development_set_stays_above_its_floor(dev):
    misses = [f"[{o.pack}] {o.question!r} -> {o.got[:80]}" for o in dev if not o.ok]
    assert accuracy(dev) >= DEV_FLOOR, "\n".join(misses)


def test_no_answer_gives_another_services_facts(dev, holdout):
    wrong = [f"[{o.pack}] {o.question!r} -> {o.got[:80]}" for o in dev + holdout if o.wrong_service]
    assert wrong == []
