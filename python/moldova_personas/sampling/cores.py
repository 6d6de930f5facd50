"""Sample persona cores from the fitted census model, in nested blocks.

Blocks end at the tier sizes (1K, 25K, 100K, 1M): block b is drawn after blocks 0..b-1 with the
column deficits they left, so every tier is balanced and each tier is a prefix of the next.
Attributes are drawn in a fixed order, each conditional on what is already drawn (see `_STEPS`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from moldova_personas.sampling.balanced import combine_keys, draw_grouped
from moldova_personas.sampling.census_model import AGES, AREAS, FittedModel
from moldova_personas.schema import (
    AGE_GROUPS,
    BIG_FIVE_TRAITS,
    EDUCATION_LEVELS,
    EMPLOYMENT_STATUSES,
    ETHNICITIES,
    MARITAL_STATUSES,
    MOTHER_TONGUES,
    REGIONS,
    RELIGIONS,
    SEXES,
)

TIER_SIZES = {"tier_1k": 1_000, "tier_25k": 25_000, "tier_100k": 100_000, "tier_1m": 1_000_000}
BLOCK_ENDS = tuple(sorted(TIER_SIZES.values()))
PERSONA_NAMESPACE = uuid.UUID("6f1d0c52-5d8e-4d55-9a59-2d5b3c0a2024")
EDU_RANK = {e: i for i, e in enumerate(EDUCATION_LEVELS)}


@dataclass
class Reference:
    """Name, title and personality tables (frames of the reference seeds)."""

    first_names: pd.DataFrame  # ethnicity, sex, first_name, weight
    last_names: pd.DataFrame  # ethnicity, last_name_male, last_name_female, weight
    titles: pd.DataFrame  # isco_major, title_male, title_female, min_education, residence, weight
    big_five_params: pd.DataFrame  # param_type, trait, trait_2, stratum, value


def persona_uuid(seed: int, index: int) -> str:
    return str(uuid.uuid5(PERSONA_NAMESPACE, f"{seed}:{index}"))


def _cond(table: np.ndarray, n_parent_axes: int) -> np.ndarray:
    """Flatten a (parents..., categories) count or probability table to normalised rows."""
    flat = table.reshape(-1, table.shape[-1]) if n_parent_axes else table.reshape(1, -1)
    total = flat.sum(axis=1, keepdims=True)
    uniform = np.full_like(flat, 1.0 / flat.shape[1])
    return np.where(total > 0, flat / np.where(total > 0, total, 1), uniform)


class CoreSampler:
    """Draws blocks of cores; `sample(n)` returns the first n rows for a seed."""

    def __init__(self, model: FittedModel, reference: Reference, seed: int):
        self.m = model
        self.ref = reference
        self.seed = int(seed)
        loc = model.localities
        self.n_loc = len(loc)
        self.n_raion = len(model.raions)
        self.loc_region = loc["region_idx"].to_numpy()
        self.loc_raion = loc["raion_idx"].to_numpy()
        self.loc_area = loc["area_idx"].to_numpy()
        j = model.stage_a  # (L, sex, band, eth)
        n_b, n_e = len(AGE_GROUPS), len(ETHNICITIES)
        region_onehot = np.eye(len(REGIONS))[self.loc_region]
        raion_onehot = np.eye(self.n_raion)[self.loc_raion]
        area_onehot = np.eye(2)[self.loc_area]
        sab_e = j.sum(axis=0)  # (sex, band, eth)
        self.p_sex = _cond(sab_e.sum(axis=(1, 2)), 0)
        self.p_band = _cond(sab_e.sum(axis=2), 1)
        self.p_eth = _cond(sab_e, 2)
        # region | eth, band  (summed over sex)
        eab_r = np.einsum("lsae,lr->ear", j, region_onehot)
        self.p_region = _cond(eab_r, 2)
        # area | region, eth, band
        reab_u = np.einsum("lsae,lr,lu->reau", j, region_onehot, area_onehot)
        self.p_area = _cond(reab_u, 3)
        # raion | region, area, eth
        rue_k = np.einsum("lsae,lr,lu,lk->ruek", j, region_onehot, area_onehot, raion_onehot)
        self.p_raion = _cond(rue_k, 3)
        # locality | raion, area, eth
        kue_l = np.einsum("le,lk,lu->kuel", j.sum(axis=(1, 2)), raion_onehot, area_onehot)
        self.p_loc = _cond(kue_l, 3)
        self.p_age = _cond(model.single_age_given_band_sex, 2)  # (sex, band, ages)
        self.p_mt = _cond(model.mother_tongue_given_eth, 1)
        self.p_rel = _cond(model.religion_given_eth, 1)
        self.p_marital = _cond(model.marital_given_band_sex, 2)
        self.p_edu = _cond(model.education_given_band_sex_area, 3)
        self.p_emp = _cond(model.employment_given_band_sex_area_edu, 4)
        self.p_isco = _cond(model.isco_given_sex_edu_area, 3)
        self.sizes = {"band": n_b, "eth": n_e}

    # -- public -------------------------------------------------------------------------------

    def sample(self, n: int) -> pd.DataFrame:
        if n < 1:
            raise ValueError(f"sample size must be positive, got {n}")
        ends = [e for e in BLOCK_ENDS if e < n] + [max(n, BLOCK_ENDS[0])]
        if n > BLOCK_ENDS[-1]:
            ends = list(BLOCK_ENDS) + [n]
        carry: dict[str, np.ndarray] = {}
        frames, start = [], 0
        for b, end in enumerate(ends):
            frames.append(self._block(b, start, end, carry))
            start = end
        cores = pd.concat(frames, ignore_index=True).iloc[:n]
        return cores.reset_index(drop=True)

    # -- internals ------------------------------------------------------------------------------

    def _draw(self, name, groups, probs, carry, rng):
        state = carry.get(name, np.zeros(probs.shape[1]))
        values, carry[name] = draw_grouped(groups, probs, state, rng)
        return values

    def _block(self, b: int, start: int, end: int, carry: dict) -> pd.DataFrame:
        n = end - start
        rng = np.random.default_rng([self.seed, b, 0x4D44])
        n_b, n_e = len(AGE_GROUPS), len(ETHNICITIES)
        zeros = np.zeros(n, dtype=np.int64)
        sex = self._draw("sex", zeros, self.p_sex, carry, rng)
        band = self._draw("band", sex, self.p_band, carry, rng)
        eth = self._draw("eth", combine_keys(sex, band, sizes=(2, n_b)), self.p_eth, carry, rng)
        region = self._draw("region", combine_keys(eth, band, sizes=(n_e, n_b)), self.p_region, carry, rng)
        area = self._draw(
            "area", combine_keys(region, eth, band, sizes=(len(REGIONS), n_e, n_b)), self.p_area, carry, rng
        )
        raion = self._draw(
            "raion", combine_keys(region, area, eth, sizes=(len(REGIONS), 2, n_e)), self.p_raion, carry, rng
        )
        loc = self._draw("locality", combine_keys(raion, area, eth, sizes=(self.n_raion, 2, n_e)), self.p_loc, carry, rng)
        age_idx = self._draw("age", combine_keys(sex, band, sizes=(2, n_b)), self.p_age, carry, rng)
        mt = self._draw("mother_tongue", eth, self.p_mt, carry, rng)
        rel = self._draw("religion", eth, self.p_rel, carry, rng)
        marital = self._draw("marital", combine_keys(band, sex, sizes=(n_b, 2)), self.p_marital, carry, rng)
        edu = self._draw("education", combine_keys(band, sex, area, sizes=(n_b, 2, 2)), self.p_edu, carry, rng)
        emp = self._draw(
            "employment",
            combine_keys(band, sex, area, edu, sizes=(n_b, 2, 2, len(EDUCATION_LEVELS))),
            self.p_emp,
            carry,
            rng,
        )
        isco = np.full(n, -1, dtype=np.int64)
        employed = emp == EMPLOYMENT_STATUSES.index("employed")
        if employed.any():
            groups = combine_keys(sex[employed], edu[employed], area[employed], sizes=(2, len(EDUCATION_LEVELS), 2))
            isco[employed] = self._draw("isco", groups, self.p_isco, carry, rng)
        loc_frame = self.m.localities
        frame = pd.DataFrame(
            {
                "persona_index": np.arange(start, end, dtype=np.int64),
                "sex": np.array(SEXES)[sex],
                "age": AGES[age_idx],
                "age_group": np.array(AGE_GROUPS)[band],
                "region": np.array(REGIONS)[region],
                "raion": loc_frame["raion"].to_numpy()[loc],
                "locality": loc_frame["locality"].to_numpy()[loc],
                "locality_code": loc_frame["locality_code"].astype(str).to_numpy()[loc],
                "residence_type": np.array(AREAS)[area],
                "ethnicity": np.array(ETHNICITIES)[eth],
                "mother_tongue": np.array(MOTHER_TONGUES)[mt],
                "religion": np.array(RELIGIONS)[rel],
                "marital_status": np.array(MARITAL_STATUSES)[marital],
                "education_level": np.array(EDUCATION_LEVELS)[edu],
                "employment_status": np.array(EMPLOYMENT_STATUSES)[emp],
                "isco_major": isco,
            }
        )
        self._add_occupation(frame, rng)
        self._add_names(frame, rng)
        self._add_big_five(frame, rng)
        frame.insert(0, "persona_id", [persona_uuid(self.seed, i) for i in frame["persona_index"]])
        frame.insert(2, "sample_seed", self.seed)
        return frame

    def _add_occupation(self, frame: pd.DataFrame, rng: np.random.Generator) -> None:
        """A concrete Romanian title within the ISCO group, allowed by education and residence."""
        titles = self.ref.titles
        rank = titles["min_education"].map(EDU_RANK).to_numpy()
        occupation = np.full(len(frame), None, dtype=object)
        keys = frame.loc[frame["isco_major"] >= 0, ["isco_major", "education_level", "residence_type", "sex"]]
        for (isco, edu, res, sex), idx in keys.groupby(list(keys.columns)).groups.items():
            ok = (
                (titles["isco_major"].to_numpy() == isco)
                & (rank <= EDU_RANK[edu])
                & titles["residence"].isin(["any", res]).to_numpy()
            )
            if not ok.any():
                raise ValueError(
                    f"no occupation title for ISCO {isco}, education {edu}, {res}: add one to "
                    "seeds/reference/occupation_titles.csv or allow the pair in "
                    "seeds/assumptions/assumption_isco_education_compatibility.csv"
                )
            weights = titles.loc[ok, "weight"].to_numpy(float)
            column = "title_female" if sex == "female" else "title_male"
            picks = rng.choice(np.flatnonzero(ok), size=len(idx), p=weights / weights.sum())
            occupation[frame.index.get_indexer(idx)] = titles[column].to_numpy()[picks]
        frame["occupation"] = occupation
        status = frame["employment_status"]
        isco = frame["isco_major"]
        frame["occupation_type"] = np.select(
            [isco.between(1, 3), isco.isin([0, 4, 5]), isco.between(6, 9), status.eq("retired")],
            ["professional", "service", "manual", "retired"],
            default="not_working",
        )
        frame["isco_major"] = frame["isco_major"].where(frame["isco_major"] >= 0).astype("Int64")

    def _add_names(self, frame: pd.DataFrame, rng: np.random.Generator) -> None:
        first = np.empty(len(frame), dtype=object)
        last = np.empty(len(frame), dtype=object)
        fn, ln = self.ref.first_names, self.ref.last_names
        for (eth, sex), idx in frame.groupby(["ethnicity", "sex"]).groups.items():
            pool_eth = "Moldovan" if eth == "Romanian" and eth not in set(fn["ethnicity"]) else eth
            pool = fn[(fn["ethnicity"] == pool_eth) & (fn["sex"] == sex)]
            if pool.empty:
                raise ValueError(f"no first names for {eth}/{sex} in seeds/reference/names_first.csv")
            pos = frame.index.get_indexer(idx)
            w = pool["weight"].to_numpy(float)
            first[pos] = rng.choice(pool["first_name"].to_numpy(), size=len(idx), p=w / w.sum())
            lpool_eth = "Moldovan" if eth == "Romanian" and eth not in set(ln["ethnicity"]) else eth
            lpool = ln[ln["ethnicity"] == lpool_eth]
            if lpool.empty:
                raise ValueError(f"no last names for {eth} in seeds/reference/names_last.csv")
            col = "last_name_female" if sex == "female" else "last_name_male"
            lw = lpool["weight"].to_numpy(float)
            last[pos] = rng.choice(lpool[col].to_numpy(), size=len(idx), p=lw / lw.sum())
        frame["first_name"] = first
        frame["last_name"] = last

    def _add_big_five(self, frame: pd.DataFrame, rng: np.random.Generator) -> None:
        """T scores: correlated normal, shifted by sex and age band (literature-based seed)."""
        p = self.ref.big_five_params
        traits = list(BIG_FIVE_TRAITS)
        corr = np.eye(len(traits))
        for row in p[p["param_type"] == "correlation"].itertuples():
            i, k = traits.index(row.trait), traits.index(row.trait_2)
            corr[i, k] = corr[k, i] = row.value
        z = rng.standard_normal((len(frame), len(traits))) @ np.linalg.cholesky(corr).T
        for t, trait in enumerate(traits):
            shifts = p[(p["trait"] == trait) & p["param_type"].isin(["sex_shift", "age_shift"])]
            lookup = dict(zip(shifts["stratum"], shifts["value"], strict=False))
            shift = frame["sex"].map(lookup).fillna(0).to_numpy(float) + frame["age_group"].map(lookup).fillna(0).to_numpy(float)
            mean = p[(p["param_type"] == "base_mean") & (p["trait"] == trait)]["value"].iloc[0]
            sd = p[(p["param_type"] == "base_sd") & (p["trait"] == trait)]["value"].iloc[0]
            frame[trait] = np.clip(np.rint(mean + sd * (z[:, t] + shift)), 20, 80).astype(np.int64)


def to_arrow(cores: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(cores, preserve_index=False)
