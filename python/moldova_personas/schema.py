"""The data contract shared by sampling, narration, validation and export.

Codes are stable English identifiers (analysts filter on them); Romanian labels for text and public
exports come from `labels_ro`. This module imports nothing of the package.
"""

from __future__ import annotations

REGIONS = ("Chisinau", "Nord", "Centru", "Sud", "Gagauzia")
SEXES = ("female", "male")
ETHNICITIES = ("Moldovan", "Romanian", "Ukrainian", "Gagauz", "Russian", "Bulgarian", "Roma", "Other")
MOTHER_TONGUES = ("Moldovan", "Romanian", "Russian", "Ukrainian", "Gagauz", "Bulgarian", "Romani", "Other")
RELIGIONS = (
    "Orthodox",
    "Baptist",
    "Jehovah's Witnesses",
    "Pentecostal",
    "Adventist",
    "Evangelical",
    "Old Believers",
    "Islam",
    "Catholic",
    "Other religion",
    "No religion",
    "Atheist or agnostic",
    "Not declared",
)
MARITAL_STATUSES = ("never_married", "married", "widowed", "divorced")
# ISCED-like ladder, lowest first; index order is used for "at least" checks.
EDUCATION_LEVELS = ("none", "primary", "lower_secondary", "upper_secondary", "vocational", "higher")
EMPLOYMENT_STATUSES = ("employed", "unemployed", "retired", "student", "homemaker", "other_inactive")
AGE_GROUPS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+")
BIG_FIVE_TRAITS = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")

NARRATIVE_TEXT_FIELDS = (
    "persona",
    "professional_persona",
    "sports_persona",
    "arts_persona",
    "travel_persona",
    "culinary_persona",
    "cultural_background",
    "skills_and_expertise",
    "hobbies_and_interests",
    "career_goals_and_ambitions",
)
NARRATIVE_LIST_FIELDS = ("skills_and_expertise_list", "hobbies_and_interests_list")
NARRATIVE_FIELDS = NARRATIVE_TEXT_FIELDS + NARRATIVE_LIST_FIELDS


def age_group_of(age: int) -> str:
    """Ten-year band used by the fit tables (18-24 is the first, shorter band)."""
    if age < 25:
        return "18-24"
    if age >= 75:
        return "75+"
    low = (age - 5) // 10 * 10 + 5
    return f"{low}-{low + 9}"
