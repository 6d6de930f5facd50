"""The data contract shared by sampling, narration, validation and export.

Codes are stable English identifiers (analysts filter on them); Romanian labels for text and public
exports come from `labels_ro`. This module imports nothing of the package.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

REGIONS = ("Chisinau", "Nord", "Centru", "Sud", "Gagauzia")
SEXES = ("female", "male")
RESIDENCE_TYPES = ("urban", "rural")
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
OCCUPATION_TYPES = ("professional", "service", "manual", "retired", "not_working")
AGE_GROUPS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+")
BIG_FIVE_TRAITS = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
TRAIT_LABELS_RO = ("foarte scăzut", "scăzut", "mediu", "ridicat", "foarte ridicat")

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


class TraitProfile(BaseModel):
    """NeMo-style profile of one Big Five trait."""

    model_config = ConfigDict(extra="forbid")
    t_score: int = Field(description="T score: mean 50, sd 10 in the adult population, clipped to 20-80.")
    label: str = Field(description="Romanian band label, one of TRAIT_LABELS_RO.")
    description: str = Field(description="One Romanian sentence describing behaviour at this level.")


class PersonaCore(BaseModel):
    """One sampled persona before narration: the row contract of the tier models."""

    model_config = ConfigDict(extra="forbid")
    persona_id: str = Field(description="Deterministic UUID5 of (seed, persona_index).")
    persona_index: int = Field(description="0-based position in the sample; tiers are prefixes.")
    sample_seed: int
    sex: Literal["female", "male"]
    age: int = Field(ge=18, le=100)
    age_group: str
    region: str
    raion: str = Field(description="Raion, municipality or UTA Găgăuzia as printed by NBS.")
    locality: str = Field(description="Settlement (city, town or village); Chișinău sectors keep the sector.")
    locality_code: str = Field(description="CUATM code of the settlement.")
    residence_type: Literal["urban", "rural"]
    ethnicity: str
    mother_tongue: str
    religion: str
    marital_status: str
    education_level: str
    employment_status: str
    isco_major: int | None = Field(description="ISCO-08 major group 0-9 when employed, else null.")
    occupation: str | None = Field(description="Concrete Romanian job title, gendered; null if not working.")
    occupation_type: str
    first_name: str
    last_name: str
    openness: int
    conscientiousness: int
    extraversion: int
    agreeableness: int
    neuroticism: int
