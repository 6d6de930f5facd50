"""Dataset-level quality metrics of the narrated corpus (the quality marts call these).

Every function takes an Arrow table shaped like `fct_quality_corpus` (one row per persona: persona_id,
region, opening_move, constraint_categories, anchors_used and the narrative fields) and returns a pyarrow
Table. Per-token work (tokenising, trigrams, MATTR, MinHash; ~95M tokens at 100K personas) runs in the
compiled kernels of `kernels.py` over the raw UTF-8 bytes of the Arrow columns; regex matching of
constraint cues runs in an in-process DuckDB over the same table (`_query`). The quality marts build in
~55 s at 100K (BENCHMARKS.md, budget 2 min).

Definitions (also in the marts' yml so analysts can recompute them):
- tokens: lowercase runs of letters (hyphenated words kept whole), cedilla forms unified (ş->ș, ţ->ț);
- within-text trigram repetition: 1 - distinct word trigrams / word trigrams of one text;
- top-50 trigram share: share of all trigram occurrences of a field taken by its 50 most frequent trigrams;
- boilerplate trigram share: share of a field's trigram occurrences whose trigram appears in >= 5% of the
  field's non-empty texts (cross-persona repetition; scale-free in N and text length);
- lexical diversity (MATTR-50): mean type/token ratio over consecutive, non-overlapping 50-token windows
  (texts shorter than 50 tokens have none);
- sentence starters: first letter run of each sentence (text start, or after . ! ? … and whitespace,
  skipping opening quotes and dashes: STARTER_RE), normalised like tokens;
- near duplicates: MinHash (128 permutations, datasketch's 'legacy' scheme and seed 1) of word 5-gram
  shingles of the whole narrative, candidate pairs from MinHashLSH's banding, kept when the MinHash Jaccard
  estimate >= threshold; clusters are connected components of kept pairs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from moldova_personas.metrics import kernels
from moldova_personas.narration.validators import LENGTH_TARGETS
from moldova_personas.schema import NARRATIVE_LIST_FIELDS, NARRATIVE_TEXT_FIELDS

TOKEN_RE = r"\pL+(?:-\pL+)*"
STARTER_RE = r"(?:^|[.!?…]\s+)[„\"«»“”'—–\-\s]*(\pL+)"
MATTR_WINDOW = 50
TOP_TRIGRAMS = 50
BOILERPLATE_DF = 0.05
SHINGLE_SIZE = 5
NUM_PERM = 128
LSH_THRESHOLD = 0.5
MINHASH_SEED = 1
CHUNK_ROWS = 5_000

# Constraint cues per category (regex on lowercased text) and consequence markers (see yml).
CONSTRAINT_CUES: dict[str, str] = {
    "time_pressure": r"program|ture?\b|tur[aă]\b|joburi|slujb|timp|grab|termen|peste program|noaptea|"
    r"ore suplimentare|normă|sesiun|cursuri",
    "family_duty": r"îngrij|părin|mama|mamei|tatăl|tatălui|copii|copil|nepo[țt]|bunic|familie|soacr|"
    r"frate|sor[aă]",
    "relatives_abroad": r"peste hotare|străinătate|italia|germania|rusia|marea britanie|franța|plecat|"
    r"emigr|diaspora|trimit|apel video|video",
    "commuting": r"navet|drum|autobuz|microbuz|rutier|kilometri|maxi-taxi|transport|troleibuz|trasee?",
    "seasonal_farm_work": r"sezon|recolt|câmp|grădin|\bvi[ei]\b|pământ|cules|prăși|livad|seră|sere|animale",
    "health": r"sănăt|boal|bolnav|medic|tratament|spital|durer|medicament|spate|tensiun|genunch|inim|diabet",
    "money": r"\bbani|salari|pensi|datori|credit|cheltuiel|scump|prețuri|economis|buget|factur|rate\b|chiri",
}
CAUSAL_MARKERS = (
    r"pentru că|fiindcă|deoarece|întrucât|din cauz|din pricin|\bcum\b|așa că|de aceea|de asta|"
    r"prin urmare|drept urmare|ca urmare|astfel|încât|motiv pentru care|din acest motiv|ceea ce înseamnă|"
    r"nevoit|trebuie să|renunț|amân|nu-și (?:mai )?permite|nu își (?:mai )?permite|rareori|nu mai"
)
RESULT_MARKERS = (
    r"așa că|de aceea|de asta|prin urmare|drept urmare|ca urmare|astfel|din cauza asta|din acest motiv|"
    r"motiv pentru care|nevoit|renunț|amân|nu-și (?:mai )?permite|nu își (?:mai )?permite"
)


def _fold(pattern: str) -> str:
    """A lowercase cue pattern made to match raw text: case-insensitive, ș/ț also in cedilla form.

    Matching raw text this way is ~5x faster in DuckDB than lower() + replace() of every text first."""
    out, in_class = [], False
    for ch in pattern:
        in_class = (in_class or ch == "[") and ch != "]"
        alt = {"ș": "ş", "ț": "ţ"}.get(ch)
        out.append(ch if alt is None else (ch + alt if in_class else f"[{ch}{alt}]"))
    return "(?i)" + "".join(out)


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _query(con: duckdb.DuckDBPyConnection, corpus: pa.Table, sql: str) -> duckdb.DuckDBPyRelation:
    """`sql` over the Arrow table `corpus` (named `corpus` in the query), scanned in place by DuckDB."""
    return con.from_arrow(corpus).query("corpus", sql)


# --------------------------------------------------------------------------------------------------
# Per-field style, variety and length
# --------------------------------------------------------------------------------------------------
def _utf8_buffers(column: Any) -> tuple[np.ndarray, np.ndarray]:
    """Raw UTF-8 bytes and int64 offsets of an Arrow string column (nulls read as ''), for the kernels."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    text = pc.fill_null(column, "").cast(pa.large_string())
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64)[text.offset : text.offset + len(text) + 1]
    data = text.buffers()[2]
    return (np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(1, np.uint8)), offsets


def _run_starts(values: np.ndarray) -> np.ndarray:
    """Positions where a run of equal consecutive values starts (the first element always does)."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.concatenate([[True], values[1:] != values[:-1]]))


def _run_lengths(sorted_values: np.ndarray) -> np.ndarray:
    """Lengths of the runs of equal values of a sorted array."""
    return np.diff(np.append(_run_starts(sorted_values), len(sorted_values)))


def _length_stats(data: np.ndarray, offsets: np.ndarray, low: int, high: int) -> dict[str, Any]:
    """Length distribution (characters of the text trimmed of spaces) against [low, high], and the share
    of non-empty texts that have an exact duplicate (same bytes) in the field."""
    n_chars, hashes = kernels.text_lengths(data, offsets)
    _, counts = np.unique(hashes[n_chars > 0], return_counts=True)
    n = len(n_chars)
    q05, q50, q95 = np.quantile(n_chars, [0.05, 0.5, 0.95]) if n else (None, None, None)
    return {
        "n_texts": n,
        "n_empty": int((n_chars == 0).sum()),
        "mean_chars": float(n_chars.mean()) if n else None,
        "min_chars": float(n_chars.min()) if n else None,
        "p05_chars": q05,
        "p50_chars": q50,
        "p95_chars": q95,
        "max_chars": float(n_chars.max()) if n else None,
        "share_below_target": float((n_chars < low).mean()) if n else None,
        "share_above_target": float((n_chars > high).mean()) if n else None,
        "exact_duplicate_share": float(counts[counts > 1].sum() / counts.sum()) if counts.sum() else None,
    }


def _word_stats(data: np.ndarray, offsets: np.ndarray) -> dict[str, Any]:
    """Token-level metrics of one field (definitions in the module docstring), computed by the kernels."""
    tok = kernels.tokenize(data, offsets)
    n_words = np.diff(tok["token_offsets"])
    tri, tri_off, distinct, n_distinct, mattr = kernels.text_word_stats(
        tok["tokens"], tok["token_offsets"], MATTR_WINDOW
    )
    n_tri = np.diff(tri_off)
    has_tri = n_tri > 0
    within = 1 - n_distinct[has_tri] / n_tri[has_tri]
    # Corpus trigram counts (all occurrences) and document frequencies (distinct per text): both sorted
    # arrays hold the same distinct trigrams in the same order, so their run lengths line up.
    n_occ = _run_lengths(np.sort(tri))
    n_docs = _run_lengths(np.sort(kernels.compact(distinct, tri_off, n_distinct)))
    n_total = int(n_occ.sum())
    n_nonempty = int((n_words > 0).sum())
    top = np.sort(n_occ)[-TOP_TRIGRAMS:].sum() if n_total else 0
    boiler = n_occ[n_docs >= BOILERPLATE_DF * n_nonempty].sum() if n_total else 0
    out: dict[str, Any] = {
        "mean_words": float(n_words.mean()) if len(n_words) else None,
        "trigram_repetition_within": float(within.mean()) if len(within) else None,
        "p95_trigram_repetition_within": float(np.quantile(within, 0.95)) if len(within) else None,
        "top50_trigram_share": top / n_total if n_total else 0.0,
        "n_distinct_trigrams": len(n_occ),
        "n_trigrams": n_total,
        "boilerplate_trigram_share": boiler / n_total if n_total else 0.0,
        "lexical_diversity_mattr50": float(np.nanmean(mattr)) if np.isfinite(mattr).any() else None,
        "n_texts_mattr50": int(np.isfinite(mattr).sum()),
    }
    return out | _starter_stats(data, tok["starters"], tok["starter_pos"], tok["starter_len"])


def _starter_stats(
    data: np.ndarray, starters: np.ndarray, pos: np.ndarray, length: np.ndarray
) -> dict[str, Any]:
    keys, first, counts = np.unique(starters, return_index=True, return_counts=True)
    total = int(counts.sum())
    if total == 0:
        return {
            "n_sentences": 0,
            "n_distinct_starters": 0,
            "sentence_starter_distinct_ratio": None,
            "sentence_starter_entropy_bits": None,
            "top_sentence_starter": None,
            "top_sentence_starter_share": None,
        }
    p = counts / total

    def word(i: int) -> str:
        return kernels.normalise(
            bytes(data[pos[first[i]] : pos[first[i]] + length[first[i]]]).decode("utf-8")
        )

    # ties on the top count resolve to the alphabetically first word, independent of row order
    top = min(np.flatnonzero(counts == counts.max()), key=word)
    return {
        "n_sentences": total,
        "n_distinct_starters": len(keys),
        "sentence_starter_distinct_ratio": len(keys) / total,
        "sentence_starter_entropy_bits": float(-(p * np.log2(p)).sum()),
        "top_sentence_starter": word(top),
        "top_sentence_starter_share": float(counts[top] / total),
    }


def field_stats(corpus: pa.Table, fields: Iterable[str] = NARRATIVE_TEXT_FIELDS) -> pa.Table:
    """One row per narrative field: lengths vs target, trigram repetition, MATTR-50, sentence starters.

    All metrics run in the compiled kernels (python/moldova_personas/kernels.py) over the field's raw UTF-8
    bytes; only per-field aggregates reach Python."""
    rows: list[dict[str, Any]] = []
    for field in fields:
        low, high = LENGTH_TARGETS[field]
        data, offsets = _utf8_buffers(corpus.column(field))
        rows.append(
            {
                "field": field,
                "unit": "characters",
                "target_min": low,
                "target_max": high,
                **_length_stats(data, offsets, low, high),
                **_word_stats(data, offsets),
            }
        )
    with duckdb.connect() as con:
        for field in NARRATIVE_LIST_FIELDS:
            low, high = LENGTH_TARGETS[field]
            summary = _query(
                con,
                corpus,
                f"""
                select
                    count(*) as n_texts,
                    count(*) filter (where coalesce(len({field}), 0) = 0) as n_empty,
                    avg(coalesce(len({field}), 0)) as mean_chars,
                    min(coalesce(len({field}), 0)) as min_chars,
                    quantile_cont(coalesce(len({field}), 0), 0.05) as p05_chars,
                    quantile_cont(coalesce(len({field}), 0), 0.50) as p50_chars,
                    quantile_cont(coalesce(len({field}), 0), 0.95) as p95_chars,
                    max(coalesce(len({field}), 0)) as max_chars,
                    avg((coalesce(len({field}), 0) < {low})::int) as share_below_target,
                    avg((coalesce(len({field}), 0) > {high})::int) as share_above_target,
                from corpus
                """,
            )
            out = dict(zip(summary.columns, summary.fetchall()[0], strict=True))
            rows.append({"field": field, "unit": "items", "target_min": low, "target_max": high, **out})
    for row in rows:
        row["share_on_target"] = 1 - (row["share_below_target"] or 0) - (row["share_above_target"] or 0)
    return pa.Table.from_pylist([_floats(r) for r in rows], schema=FIELD_STATS_SCHEMA)


FIELD_STATS_SCHEMA = pa.schema(
    [
        ("field", pa.string()),
        ("unit", pa.string()),
        ("target_min", pa.int64()),
        ("target_max", pa.int64()),
        ("n_texts", pa.int64()),
        ("n_empty", pa.int64()),
        ("mean_chars", pa.float64()),
        ("min_chars", pa.float64()),
        ("p05_chars", pa.float64()),
        ("p50_chars", pa.float64()),
        ("p95_chars", pa.float64()),
        ("max_chars", pa.float64()),
        ("share_below_target", pa.float64()),
        ("share_above_target", pa.float64()),
        ("share_on_target", pa.float64()),
        ("mean_words", pa.float64()),
        ("trigram_repetition_within", pa.float64()),
        ("p95_trigram_repetition_within", pa.float64()),
        ("top50_trigram_share", pa.float64()),
        ("n_distinct_trigrams", pa.int64()),
        ("n_trigrams", pa.int64()),
        ("boilerplate_trigram_share", pa.float64()),
        ("lexical_diversity_mattr50", pa.float64()),
        ("n_texts_mattr50", pa.int64()),
        ("exact_duplicate_share", pa.float64()),
        ("n_sentences", pa.int64()),
        ("n_distinct_starters", pa.int64()),
        ("sentence_starter_distinct_ratio", pa.float64()),
        ("sentence_starter_entropy_bits", pa.float64()),
        ("top_sentence_starter", pa.string()),
        ("top_sentence_starter_share", pa.float64()),
    ]
)


def _floats(row: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in row.items():
        if hasattr(value, "__float__") and not isinstance(value, int | float | bool):
            value = float(value)
        out[key] = value
    return out


# --------------------------------------------------------------------------------------------------
# Realism: constraint -> consequence
# --------------------------------------------------------------------------------------------------
def constraint_consequences(corpus: pa.Table, fields: Iterable[str] = NARRATIVE_TEXT_FIELDS) -> pa.Table:
    """One row per (persona, planned constraint category): is the constraint followed by a consequence?

    A category is *mentioned* in a sentence matching its cue pattern (CONSTRAINT_CUES). It is a *hit*
    when one mentioning sentence also carries a causal marker (CAUSAL_MARKERS: the constraint is tied to an
    effect in the same sentence) or the next sentence of the same field carries a result marker
    (RESULT_MARKERS). Sentences split on . ! ? … followed by whitespace.

    Only the persona's planned categories are matched, each sentence against its category's pattern, and
    the marker patterns only on mentioning sentences: ~1.5 regex passes over the corpus instead of nine.
    """
    fields = list(fields)
    unions = " union all ".join(f"select persona_id, coalesce({f}, '') as txt from corpus" for f in fields)
    mention = " ".join(
        f"when {_lit(cat)} then regexp_matches(sentence, {_lit(_fold(pat))})"
        for cat, pat in CONSTRAINT_CUES.items()
    )
    with duckdb.connect() as con:
        return _query(
            con,
            corpus,
            f"""
            with
            texts as ({unions}),
            split as (
                select persona_id, string_split_regex(txt, '[.!?…]+\\s+') as parts from texts
            ),
            planned as (
                select distinct persona_id, unnest(constraint_categories) as category from corpus
            ),
            mentioning as (
                select * from (
                    -- two unnests in one select pair up positionally: each sentence with the next one
                    select
                        planned.persona_id,
                        planned.category,
                        unnest(split.parts) as sentence,
                        unnest(split.parts[2:] || [null]) as next_sentence,
                    from planned
                    inner join split on planned.persona_id = split.persona_id
                )
                where case category {mention} else false end
            ),
            matched as (
                select
                    persona_id,
                    category,
                    bool_or(
                        regexp_matches(sentence, {_lit(_fold(CAUSAL_MARKERS))})
                        or coalesce(regexp_matches(next_sentence, {_lit(_fold(RESULT_MARKERS))}), false)
                    ) as is_hit,
                from mentioning
                group by all
            )
            select
                planned.persona_id,
                planned.category,
                matched.persona_id is not null as is_mentioned,
                coalesce(matched.is_hit, false) as is_hit,
            from planned
            left join matched using (persona_id, category)
            order by 1, 2
            """,
        ).to_arrow_table()


# --------------------------------------------------------------------------------------------------
# Uniqueness: MinHash LSH
# --------------------------------------------------------------------------------------------------
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from datasketch import MinHash

    a, b = MinHash(num_perm=num_perm, seed=seed, scheme="legacy").permutations
    return a.astype(np.uint64), b.astype(np.uint64)


def minhash_signatures(shingle_hashes: list[np.ndarray], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MinHash signatures (n_docs x num_perm, uint64) of 32-bit shingle hashes, bit-identical to datasketch's
    'legacy' scheme: min over shingles of ((h * a + b) mod (2^61 - 1)) & (2^32 - 1), the product wrapping
    at 2^64 as in datasketch. Docs without shingles get the maximum hash in every slot."""
    lengths = np.array([len(hv) for hv in shingle_hashes], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    flat = np.concatenate(shingle_hashes).astype(np.uint64) if len(shingle_hashes) else np.empty(0, np.uint64)
    return kernels.signatures_of_shingles(flat, offsets, a, b)


def _signatures(
    corpus: pa.Table, fields: list[str], num_perm: int, shingle_size: int, seed: int, chunk_rows: int
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """persona ids (sorted), MinHash signatures, shingle counts and token-sequence hashes of each persona's
    whole narrative (text fields joined by a space), streamed in chunks of `chunk_rows` personas."""
    a, b = _permutations(num_perm, seed)
    text = " || ' ' || ".join(f"coalesce({f}, '')" for f in fields)
    ids: list[str] = []
    sigs, n_shingles, seq = [], [], []
    with duckdb.connect() as con:
        texts = _query(con, corpus, f"select persona_id, {text} as t from corpus")
        for batch in texts.to_arrow_reader(chunk_rows):
            ids.extend(batch.column(0).to_pylist())
            data, offsets = _utf8_buffers(batch.column(1))
            tok = kernels.tokenize(data, offsets)
            sig, n_sh = kernels.signatures_of_tokens(tok["tokens"], tok["token_offsets"], shingle_size, a, b)
            sigs.append(sig)
            n_shingles.append(n_sh)
            seq.append(kernels.sequence_hashes(tok["tokens"], tok["token_offsets"]))
    if not ids:
        return [], np.zeros((0, num_perm), np.uint64), np.zeros(0, np.int64), np.zeros(0, np.uint64)
    # positions follow persona_id (cluster ids and tie-breaks must not depend on DuckDB's scan order)
    order = np.array(sorted(range(len(ids)), key=ids.__getitem__), dtype=np.int64)
    return (
        [ids[i] for i in order],
        np.vstack(sigs)[order],
        np.concatenate(n_shingles)[order],
        np.concatenate(seq)[order],
    )


def lsh_candidate_pairs(sig: np.ndarray, indexed: np.ndarray, threshold: float, num_perm: int) -> np.ndarray:
    """All pairs (i < j) of indexed docs that datasketch's MinHashLSH(threshold, num_perm) would return for
    each other: docs whose signatures agree on every row of at least one band. The bands (b, r) and their
    ranges are read from a datasketch MinHashLSH; the bucketing of all docs is done at once in numpy
    (datasketch's per-document insert/query costs ~0.2 ms per persona, 20 s at 100K).
    python/tests/test_metrics.py checks the pairs against MinHashLSH.query."""
    from datasketch import MinHashLSH

    rows = np.flatnonzero(indexed)
    pairs = [np.zeros((0, 2), dtype=np.int64)]
    for start, end in MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges:
        band = np.ascontiguousarray(sig[rows, start:end]).view(np.dtype((np.void, 8 * (end - start)))).ravel()
        _, bucket, size = np.unique(band, return_inverse=True, return_counts=True)
        shared = size[bucket] > 1
        members, bucket = rows[shared], bucket[shared]
        order = np.lexsort((members, bucket))
        members, bucket = members[order], bucket[order]
        starts = _run_starts(bucket)
        sizes = np.diff(np.append(starts, len(members)))
        two = starts[sizes == 2]  # most shared buckets hold a pair: one vectorised step
        pairs.append(np.stack([members[two], members[two + 1]], axis=1))
        for lo, size in zip(starts[sizes > 2], sizes[sizes > 2], strict=True):
            i, j = np.triu_indices(size, 1)
            pairs.append(np.stack([members[lo:][i], members[lo:][j]], axis=1))
    return np.unique(np.concatenate(pairs), axis=0)


def near_duplicates(
    corpus: pa.Table,
    threshold: float = LSH_THRESHOLD,
    num_perm: int = NUM_PERM,
    shingle_size: int = SHINGLE_SIZE,
    fields: Iterable[str] = NARRATIVE_TEXT_FIELDS,
    chunk_rows: int = CHUNK_ROWS,
    seed: int = MINHASH_SEED,
) -> pa.Table:
    """One row per persona: near-duplicate cluster, neighbours and similarity to a random other persona.

    Streams the corpus in chunks of `chunk_rows`; keeps only the signatures (num_perm x 8 bytes per persona).
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    ids, sig, n_shingles, seq_hash = _signatures(
        corpus, list(fields), num_perm, shingle_size, seed, chunk_rows
    )
    n = len(ids)
    # docs without shingles are not indexed: unique by construction (exact duplicates are still flagged)
    pairs = lsh_candidate_pairs(sig, n_shingles > 0, threshold, num_perm)
    sims = (
        np.concatenate(
            [
                (sig[p[:, 0]] == sig[p[:, 1]]).mean(axis=1)
                for p in np.array_split(pairs, max(1, len(pairs) // 100_000))
            ]
        )
        if len(pairs)
        else np.zeros(0)
    )
    src = np.concatenate([pairs[:, 0], pairs[:, 1]])
    dst = np.concatenate([pairs[:, 1], pairs[:, 0]])
    sim = np.concatenate([sims, sims])
    near = sim >= threshold
    n_near = np.bincount(src[near], minlength=n)
    # nearest candidate: highest estimated Jaccard, ties to the first persona by id
    by_src = np.lexsort((dst, -sim, src))
    first = by_src[_run_starts(src[by_src])]
    best_sim = np.zeros(n)
    best_nb = np.full(n, -1, dtype=np.int64)
    best_sim[src[first]] = sim[first]
    best_nb[src[first]] = dst[first]
    # clusters: connected components of near-duplicate pairs, named by their first member (by id)
    graph = coo_matrix((np.ones(int(near.sum())), (src[near], dst[near])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    root = np.full(label.max() + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(root, label, np.arange(n))
    roots = root[label]
    sizes = np.bincount(label)[label]
    _, seq_inverse, seq_counts = np.unique(seq_hash, return_inverse=True, return_counts=True)
    # Similarity to one pseudo-random other persona (a fixed permutation): the corpus baseline.
    order = sorted(range(n), key=lambda i: hashlib.md5(f"{seed}:{ids[i]}".encode()).hexdigest())
    partner = np.zeros(n, dtype=np.int64)
    for pos, i in enumerate(order):
        partner[i] = order[(pos + 1) % n] if n > 1 else i
    rand_sim = (sig == sig[partner]).mean(axis=1) if n > 1 else np.full(n, np.nan)
    return pa.table(
        {
            "persona_id": pa.array(ids, pa.string()),
            "near_duplicate_cluster_id": pa.array([ids[r] for r in roots], pa.string()),
            "cluster_size": pa.array(sizes, pa.int64()),
            "n_near_duplicates": pa.array(n_near, pa.int64()),
            "nearest_persona_id": pa.array([ids[j] if j >= 0 else None for j in best_nb], pa.string()),
            "max_candidate_similarity": pa.array(best_sim, pa.float64()),
            "random_pair_persona_id": pa.array([ids[p] for p in partner], pa.string()),
            "random_pair_similarity": pa.array(rand_sim, pa.float64()),
            "is_exact_duplicate": pa.array(seq_counts[seq_inverse] > 1, pa.bool_()),
        }
    )


__all__ = [
    "CONSTRAINT_CUES",
    "constraint_consequences",
    "field_stats",
    "lsh_candidate_pairs",
    "minhash_signatures",
    "near_duplicates",
]
