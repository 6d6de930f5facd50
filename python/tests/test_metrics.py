"""Unit tests of the quality metric functions on tiny DuckDB relations."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest
from datasketch import MinHash

from moldova_personas import quality
from moldova_personas.schema import NARRATIVE_TEXT_FIELDS


def _corpus(texts: list[str], categories: list[list[str]] | None = None):
    con = duckdb.connect()
    cols = ", ".join(f"t as {f}" for f in NARRATIVE_TEXT_FIELDS)
    con.execute(
        f"""create table c as select 'p' || i as persona_id, 'Nord' as region, 'routine' as opening_move,
        cats as constraint_categories, ['x'] as anchors_used, {cols},
        ['a','b','c','d','e'] as skills_and_expertise_list,
        ['a','b','c','d','e'] as hobbies_and_interests_list
        from (select unnest(range(?)) as i, unnest(?::varchar[]) as t, unnest(?::varchar[][]) as cats)""",
        [len(texts), texts, categories or [["money"]] * len(texts)],
    )
    return con, con.table("c")


def test_signatures_match_datasketch_legacy():
    a, b = quality._permutations(128, 1)
    hv = np.array([3, 99, 2**32 - 1, 123456789], dtype=np.uint64)
    m = MinHash(num_perm=128, seed=1, scheme="legacy", hashfunc=lambda x: x)
    m.update_batch([int(x) for x in hv])
    assert (quality.minhash_signatures([hv], a, b)[0] == m.hashvalues).all()


def test_near_duplicates_cluster_copies_not_strangers():
    rng = np.random.default_rng(0)
    vocab = ["".join(rng.choice(list("abcdefghijlmnoprstuv"), 7)) for _ in range(5000)]  # letters only
    base = " ".join(rng.choice(vocab, 300))
    copy = base.split()
    copy[150] = "altceva"
    other = " ".join(rng.choice(vocab, 300))
    con, corpus = _corpus([base, " ".join(copy), other])
    out = quality.near_duplicates(corpus).to_pandas().set_index("persona_id")
    assert out.loc["p0", "near_duplicate_cluster_id"] == out.loc["p1", "near_duplicate_cluster_id"]
    assert out.loc["p2", "cluster_size"] == 1
    assert out.loc["p0", "max_candidate_similarity"] > 0.8


def test_field_stats_repetition_and_lengths():
    looping = "ea merge la piață. " * 20
    con, corpus = _corpus([looping, "O frază unică despre viața din sat, cu multe cuvinte diferite."])
    stats = quality.field_stats(corpus).to_pandas().set_index("field")
    assert stats.loc["persona", "trigram_repetition_within"] > 0.4
    assert stats.loc["persona", "n_texts"] == 2
    assert stats.loc["skills_and_expertise_list", "share_on_target"] == pytest.approx(1.0)


def test_constraint_consequence_hit():
    texts = [
        "Salariul e mic, așa că economisește la mâncare. Restul e liniștit.",
        "Salariul e mic. Îi place să citească.",
    ]
    con, corpus = _corpus(texts, [["money"], ["money"]])
    out = {r["persona_id"]: r for r in quality.constraint_consequences(corpus).to_pylist()}
    assert out["p0"]["is_hit"] and out["p0"]["is_mentioned"]
    assert out["p1"]["is_mentioned"] and not out["p1"]["is_hit"]
