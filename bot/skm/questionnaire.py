"""The questionnaire's structure: the nine elements and the respondent profile, as codes.

The words for each code live in ``content/_defaults/messages_survey.yaml``
(``survey_<element>_<score>``, ``survey_<field>_<code>``): an agency edits
wording, never these codes, so that stored answers keep their meaning.
"""
from __future__ import annotations

from bot.skm.ikm import ELEMENTS

SCORES = (1, 2, 3, 4)

#: Profile fields in the order they are asked, and each field's answer codes (what the database keeps).
PROFILE: dict[str, tuple[str, ...]] = {
    "gender": ("male", "female"),
    "age": ("u20", "20", "30", "40", "50", "60"),
    "education": ("sd", "smp", "sma", "diploma", "s1", "s2", "s3"),
    "occupation": ("pns", "tni", "polri", "swasta", "wirausaha", "lainnya"),
}


def age_band(years: int) -> str | None:
    """The age group code for an age in years; None for a number that is no one's age."""
    if years < 10 or years > 120:
        return None
    if years < 20:
        return "u20"
    return str(min(years // 10 * 10, 60))


__all__ = ["ELEMENTS", "PROFILE", "SCORES", "age_band"]
