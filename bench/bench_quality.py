"""Time the quality metric functions on a synthetic 100K-persona corpus (or calibrate the LSH threshold).

The corpus is synthesised from the first 1,000 narrated personas of a built tier (fct_personas in
$MOLDOVA_DUCKDB_PATH): each synthetic persona gets, per text field, sentences of randomly chosen real
personas, as many as its template persona has in that field, so texts are realistic in length and
vocabulary yet nearly all distinct. With --real the narrated corpus of the last built tier
(fct_quality_corpus, e.g. after `make tier TIER=tier_100k`) is timed instead.

    .venv/bin/python bench/bench_quality.py [--n 100000] [--db path]     # timings (run on a quiet machine)
    .venv/bin/python bench/bench_quality.py --real                       # the built tier's real corpus
    .venv/bin/python bench/bench_quality.py --calibrate                  # LSH threshold experiment
"""

from __future__ import annotations

import argparse
import os
import random
import time

import duckdb
import numpy as np

from moldova_personas.metrics import quality
from moldova_personas.schema import NARRATIVE_TEXT_FIELDS


def synth_corpus(con: duckdb.DuckDBPyConnection, n: int) -> None:
    """Create table `synth` with n personas recombined from fct_personas sentences."""
    sents = " union all ".join(
        f"select '{f}' as field, persona_id, generate_subscripts(p, 1) as k, unnest(p) as s "
        f"from (select persona_id, string_split_regex({f}, '[.!?]\\s+') as p from src)"
        for f in NARRATIVE_TEXT_FIELDS
    )
    con.execute("create or replace temp table src as select * from fct_personas where is_narrated")
    con.execute(f"create or replace temp table pool as select *, row_number() over () as rid from ({sents})")
    con.execute(
        f"""
        create or replace temp table synth_sent as
        with templates as (select row_number() over (order by persona_id) - 1 as r, persona_id from src),
        ids as (select i, i % (select count(*) from src) as r from range({n}) t(i)),
        sentence_counts as (select persona_id, field, count(*) as n_sent from pool group by all),
        per_field as (
            select ids.i, sentence_counts.field, unnest(range(sentence_counts.n_sent)) as j
            from ids
            join templates using (r)
            join sentence_counts using (persona_id)
        ),
        pool_sizes as (select field, count(*) as n_pool from pool group by all),
        picks as (
            select i, field, j, (hash(i, field, j) % n_pool) + 1 as k
            from per_field
            join pool_sizes using (field)
        ),
        ranked as (select *, row_number() over (partition by field order by rid) as r from pool)
        select picks.i, picks.field, picks.j, ranked.s
        from picks join ranked on ranked.field = picks.field and ranked.r = picks.k
        """
    )
    pivot_cols = ", ".join(
        f"string_agg(s, '. ' order by j) filter (where field = '{f}') as {f}" for f in NARRATIVE_TEXT_FIELDS
    )
    con.execute(
        f"""
        create or replace table synth as
        with base as (select * from src order by persona_id)
        select
            'p' || lpad(i::varchar, 7, '0') as persona_id,
            any_value(b.region) as region,
            any_value(b.opening_move) as opening_move,
            any_value(b.constraint_categories) as constraint_categories,
            any_value(b.anchors_used) as anchors_used,
            {pivot_cols},
            any_value(b.skills_and_expertise_list) as skills_and_expertise_list,
            any_value(b.hobbies_and_interests_list) as hobbies_and_interests_list,
        from synth_sent
        join (select *, row_number() over (order by persona_id) - 1 as r from src) b
            on b.r = synth_sent.i % (select count(*) from src)
        group by i
        """
    )


def bench(db: str, n: int, real: bool) -> None:
    if real:  # opened directly: the corpus is a view naming the database's own catalog
        con = duckdb.connect(db, read_only=True)
        corpus = con.table("fct_quality_corpus")
        print(f"real corpus: {corpus.count('*').fetchone()[0]:,} personas of fct_quality_corpus in {db}")
    else:
        con = duckdb.connect()
        con.execute(f"attach '{db}' as src_db (read_only)")
        con.execute("attach ':memory:' as mem")
        con.execute("use mem")
        con.execute(
            "create table fct_personas as select * from src_db.fct_personas where is_narrated"
            " order by persona_id limit 1000"
        )
        t = time.perf_counter()
        synth_corpus(con, n)
        print(f"synthesised {n:,} personas from 1,000 narrated ones in {time.perf_counter() - t:.1f}s")
        corpus = con.table("synth")
    chars = " + ".join(f"length(coalesce({f}, ''))" for f in NARRATIVE_TEXT_FIELDS)
    print(f"text: {corpus.aggregate(f'sum({chars})').fetchone()[0] / 1e6:,.0f} MB")
    t = time.perf_counter()
    sample = corpus.limit(50).to_arrow_table()
    for fn in (quality.field_stats, quality.constraint_consequences, quality.near_duplicates):
        fn(sample)
    print(f"{'warm-up (numba JIT/cache)':<26} {time.perf_counter() - t:7.1f}s")
    t = time.perf_counter()
    corpus = corpus.to_arrow_table()  # what dbt_models.to_arrow hands the quality functions
    total = time.perf_counter() - t
    print(f"{'corpus read as Arrow':<26} {total:7.1f}s")
    for name, fn in (
        ("field_stats", quality.field_stats),
        ("constraint_consequences", quality.constraint_consequences),
        ("near_duplicates", quality.near_duplicates),
    ):
        t = time.perf_counter()
        out = fn(corpus)
        dt = time.perf_counter() - t
        total += dt
        print(f"{name:<26} {dt:7.1f}s  rows={out.num_rows:,}")
    print(f"{'total':<26} {total:7.1f}s  (budget 120s for the quality marts at 100K)")


def calibrate(db: str, n_docs: int = 200, seed: int = 7) -> None:
    """Word 5-gram Jaccard of near-copies (k% of words replaced) vs unrelated personas."""
    con = duckdb.connect(db, read_only=True)
    rows = con.execute(
        "select persona_id, "
        + " || ' ' || ".join(f"coalesce({f}, '')" for f in NARRATIVE_TEXT_FIELDS)
        + " from fct_personas where is_narrated order by persona_id"
    ).fetchall()
    rng = random.Random(seed)
    docs = [r[1].lower().split() for r in rows]
    vocab = [w for d in docs[:50] for w in d]

    def shingles(toks: list[str]) -> set[tuple[str, ...]]:
        return {tuple(toks[i : i + 5]) for i in range(len(toks) - 4)}

    def jac(x: set, y: set) -> float:
        return len(x & y) / len(x | y) if x | y else 1.0

    print("edit%  mean J  min J  share >= 0.5  share >= 0.6  share >= 0.7")
    base = docs[:n_docs]
    for pct in (1, 2, 5, 10, 15, 20):
        js = []
        for d in base:
            c = list(d)
            for i in rng.sample(range(len(c)), max(1, len(c) * pct // 100)):
                c[i] = rng.choice(vocab)
            js.append(jac(shingles(d), shingles(c)))
        js = np.array(js)
        print(
            f"{pct:5d}  {js.mean():.3f}  {js.min():.3f}  {np.mean(js >= 0.5):11.2f}"
            f"  {np.mean(js >= 0.6):11.2f}  {np.mean(js >= 0.7):11.2f}"
        )
    sh = [shingles(d) for d in docs]
    pairs = [(rng.randrange(len(sh)), rng.randrange(len(sh))) for _ in range(20000)]
    un = np.array([jac(sh[i], sh[j]) for i, j in pairs if i != j])
    print(
        f"unrelated pairs: mean {un.mean():.3f}  p99 {np.quantile(un, 0.99):.3f}  max {un.max():.3f}  "
        f"(n={len(un)})"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=os.environ.get("MOLDOVA_DUCKDB_PATH", "moldova_personas.duckdb"))
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--real", action="store_true", help="time the DB's fct_quality_corpus, no synthesis")
    args = parser.parse_args()
    if args.calibrate:
        calibrate(args.db)
    else:
        bench(args.db, args.n, args.real)
