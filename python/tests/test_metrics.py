"""Unit tests of the quality metric functions on tiny Arrow corpora (built in DuckDB)."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest
from datasketch import MinHash

from moldova_personas.metrics import quality
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
    return con, con.table("c").to_arrow_table()


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


TRICKY = [
    "„Ana-Maria merge la piață. — Ion vine!   «Şcoala» e ŢARĂ… apoi 3 mere. Vasile-. Gata",
    "",
    "Un singur cuvânt",
    "Привет, мир. Ea zice: «bine». ...Și gata!Nu. x-y-z -- a",
]


def test_tokenizer_matches_the_regex_definition():
    """Kernel tokens and sentence starters equal DuckDB's regexp_extract_all with TOKEN_RE / STARTER_RE."""
    from moldova_personas.metrics import kernels

    con = duckdb.connect()
    raw = [t.encode() for t in TRICKY]
    data = np.frombuffer(b"".join(raw), dtype=np.uint8)
    offsets = np.concatenate([[0], np.cumsum([len(r) for r in raw])])
    tok = kernels.tokenize(data, offsets)
    for i, text in enumerate(TRICKY):
        words, starters = con.execute(
            "select regexp_extract_all(replace(replace(lower(?), 'ş', 'ș'), 'ţ', 'ț'), ?),"
            " regexp_extract_all(?, ?, 1)",
            [text, quality.TOKEN_RE, text, quality.STARTER_RE],
        ).fetchone()
        lo, hi = tok["token_offsets"][i : i + 2]
        assert tok["tokens"][lo:hi].tolist() == [kernels.token_hash(w) for w in words], text
        lo, hi = tok["starter_offsets"][i : i + 2]
        got = [
            bytes(data[p : p + n]).decode()
            for p, n in zip(tok["starter_pos"][lo:hi], tok["starter_len"][lo:hi], strict=True)
        ]
        assert got == starters, text


def test_lsh_candidate_pairs_match_datasketch():
    from datasketch import LeanMinHash, MinHashLSH

    rng = np.random.default_rng(3)
    sig = rng.integers(0, 2**32, (300, 128), dtype=np.uint64)
    for i in range(0, 297, 3):  # plant shared bands: whole and partial copies
        sig[i + 1, :64] = sig[i, :64]
    for i in range(0, 300, 7):
        sig[i, 100:] = sig[(i * 5) % 300, 100:]
    indexed = np.ones(300, dtype=bool)
    indexed[::50] = False
    ours = {tuple(p) for p in quality.lsh_candidate_pairs(sig, indexed, 0.5, 128).tolist()}
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    lean = {
        i: LeanMinHash(seed=1, hashvalues=sig[i], scheme="legacy") for i in np.flatnonzero(indexed).tolist()
    }
    for i, m in lean.items():
        lsh.insert(i, m)
    theirs = {(min(i, j), max(i, j)) for i, m in lean.items() for j in lsh.query(m) if j != i}
    assert ours == theirs
    assert len(ours) > 100


def test_fused_token_signatures_match_datasketch():
    """The fused shingling + MinHash kernel equals datasketch MinHash over the same shingles."""
    from moldova_personas.metrics import kernels

    rng = np.random.default_rng(5)
    lengths = [0, 3, 4, 5, 9, 40, 301]  # below, at and above the shingle size; odd block remainders
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    tokens = rng.integers(0, 2**63, offsets[-1], dtype=np.int64).astype(np.uint64)
    a, b = quality._permutations(128, 1)
    sig, n_shingles = kernels.signatures_of_tokens(tokens, offsets, 5, a, b)
    assert n_shingles.tolist() == [max(n - 4, 0) for n in lengths]
    flat = kernels.shingles_of_tokens(tokens, offsets, 5)
    starts = np.concatenate([[0], np.cumsum(n_shingles)])
    for d in range(len(lengths)):
        m = MinHash(num_perm=128, seed=1, scheme="legacy", hashfunc=lambda x: x)
        m.update_batch([int(x) for x in flat[starts[d] : starts[d + 1]]])
        assert (sig[d] == m.hashvalues).all(), d
