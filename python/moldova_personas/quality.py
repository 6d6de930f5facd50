"""Dataset-level quality metrics of the narrated corpus (the quality marts call these).

Every function takes a DuckDB relation shaped like `fct_quality_corpus` (one row per persona: persona_id,
region, opening_move, constraint_categories, anchors_used and the narrative fields) and returns a pyarrow
Table. Text work is pushed into DuckDB (vectorised, multi-threaded) and MinHash into numpy, so 100K
personas stay within the 2-minute budget of the quality marts; only small aggregates reach Python.

Definitions (also in the marts' yml so analysts can recompute them):
- tokens: lowercase runs of letters (hyphenated words kept whole), cedilla forms unified (ş->ș, ţ->ț);
- within-text trigram repetition: 1 - distinct word trigrams / word trigrams of one text;
- top-50 trigram share: share of all trigram occurrences of a field taken by its 50 most frequent trigrams;
- boilerplate trigram share: share of a field's trigram occurrences whose trigram appears in >= 5% of the
  field's non-empty texts (cross-persona repetition; scale-free in N and text length);
- lexical diversity (MATTR-50): mean type/token ratio over consecutive, non-overlapping 50-token windows
  (texts shorter than 50 tokens have none);
- sentence starters: first word of each sentence (text start, or after . ! ? … and whitespace);
- near duplicates: MinHash (128 permutations, datasketch's 'legacy' scheme and seed 1) of word 5-gram
  shingles of the whole narrative, candidate pairs from MinHashLSH, kept when the MinHash Jaccard
  estimate >= threshold; clusters are connected components of kept pairs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from moldova_personas.schema import NARRATIVE_LIST_FIELDS, NARRATIVE_TEXT_FIELDS
from moldova_personas.validators import LENGTH_TARGETS

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


def _norm_sql(expr: str) -> str:
    return f"replace(replace(lower(coalesce({expr}, '')), 'ş', 'ș'), 'ţ', 'ț')"


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _arrow(result: Any) -> pa.Table:
    table = result.arrow()
    return table.read_all() if hasattr(table, "read_all") else table


# --------------------------------------------------------------------------------------------------
# Per-field style, variety and length
# --------------------------------------------------------------------------------------------------
def field_stats(corpus: Any, fields: Iterable[str] = NARRATIVE_TEXT_FIELDS) -> pa.Table:
    """One row per narrative field: lengths vs target, trigram repetition, MATTR-50, sentence starters."""
    rows: list[dict[str, Any]] = []
    for field in fields:
        low, high = LENGTH_TARGETS[field]
        text = _norm_sql(field)
        # Per-text features are computed once and materialised (Arrow), then aggregated in a private
        # in-memory DuckDB: referenced five times below, a lazy relation would redo the regex work each time.
        per_text = corpus.query(
            "corpus",
            f"""
            with texts as (
                select
                    persona_id,
                    coalesce({field}, '') as raw,
                    length(trim(coalesce({field}, ''))) as n_chars,
                    regexp_extract_all({text}, {_lit(TOKEN_RE)}) as toks,
                from corpus
            ),
            grams as (
                select
                    *,
                    list_transform(range(1, greatest(len(toks) - 1, 1)),
                        i -> hash(toks[i], toks[i + 1], toks[i + 2])) as tri,
                from texts
            )
            select
                persona_id,
                n_chars,
                len(toks) as n_words,
                md5(raw) as text_hash,
                tri,
                case when len(tri) > 0 then 1 - len(list_distinct(tri)) / len(tri) end as within_rep,
                case when len(toks) >= {MATTR_WINDOW} then list_avg(list_transform(
                    range(0, len(toks) // {MATTR_WINDOW}),
                    w -> len(list_distinct(toks[w * {MATTR_WINDOW} + 1: (w + 1) * {MATTR_WINDOW}]))
                         / {MATTR_WINDOW})) end as mattr,
                list_transform(regexp_extract_all(raw, {_lit(STARTER_RE)}, 1), s -> lower(s)) as starters,
            from grams
            """,
        )
        local = duckdb.connect()
        summary = local.from_arrow(_arrow(per_text)).query(
            "t",
            f"""
            with
            base as (
                select
                    count(*) as n_texts,
                    count(*) filter (where n_chars = 0) as n_empty,
                    avg(n_chars) as mean_chars,
                    min(n_chars) as min_chars,
                    quantile_cont(n_chars, 0.05) as p05_chars,
                    quantile_cont(n_chars, 0.50) as p50_chars,
                    quantile_cont(n_chars, 0.95) as p95_chars,
                    max(n_chars) as max_chars,
                    avg((n_chars < {low})::int) as share_below_target,
                    avg((n_chars > {high})::int) as share_above_target,
                    avg(n_words) as mean_words,
                    avg(within_rep) as trigram_repetition_within,
                    quantile_cont(within_rep, 0.95) as p95_trigram_repetition_within,
                    avg(mattr) as lexical_diversity_mattr50,
                    count(mattr) as n_texts_mattr50,
                from t
            ),
            dup as (
                select coalesce(sum(n) filter (where n > 1), 0) / sum(n) as exact_duplicate_share
                from (select text_hash, count(*) as n from t where n_chars > 0 group by all)
            ),
            tri_doc as (
                select persona_id, h, count(*) as n
                from (select persona_id, unnest(tri) as h from t)
                group by all
            ),
            tri as (
                select h, sum(n) as n, count(*) as n_docs
                from tri_doc
                group by all
            ),
            n_docs as (select count(*) filter (where n_chars > 0) as n_nonempty from t),
            tri_share as (
                select
                    coalesce(sum(n) filter (where rk <= {TOP_TRIGRAMS}) / sum(n), 0) as top50_trigram_share,
                    count(*) as n_distinct_trigrams,
                    coalesce(sum(n), 0) as n_trigrams,
                    coalesce(
                        sum(n) filter (where n_docs >= {BOILERPLATE_DF} * n_docs_total) / sum(n), 0
                    ) as boilerplate_trigram_share,
                from (
                    select n, n_docs, n_nonempty as n_docs_total, row_number() over (order by n desc, h) as rk
                    from tri, n_docs
                )
            ),
            st as (
                select s, count(*) as n from (select unnest(starters) as s from t) group by all
            ),
            st_stats as (
                select
                    sum(n) as n_sentences,
                    count(*) as n_distinct_starters,
                    count(*) / nullif(sum(n), 0) as sentence_starter_distinct_ratio,
                    -sum(n / total * log2(n / total)) as sentence_starter_entropy_bits,
                    arg_max(s, n) as top_sentence_starter,
                    max(n) / nullif(sum(n), 0) as top_sentence_starter_share,
                from (select *, sum(n) over () as total from st)
            )
            select * from base, dup, tri_share, st_stats
            """,
        )
        record = summary.fetchall()[0]
        out = dict(zip(summary.columns, record, strict=True))
        local.close()
        out["n_texts_on_target"] = None
        rows.append(
            {
                "field": field,
                "unit": "characters",
                "target_min": low,
                "target_max": high,
                **out,
            }
        )
    for field in NARRATIVE_LIST_FIELDS:
        low, high = LENGTH_TARGETS[field]
        summary = corpus.query(
            "corpus",
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
        row.pop("n_texts_on_target", None)
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
def constraint_consequences(corpus: Any, fields: Iterable[str] = NARRATIVE_TEXT_FIELDS) -> pa.Table:
    """One row per (persona, planned constraint category): is the constraint followed by a consequence?

    A category is *mentioned* in a sentence matching its cue pattern (CONSTRAINT_CUES). It is a *hit*
    when one mentioning sentence also carries a causal marker (CAUSAL_MARKERS: the constraint is tied to an
    effect in the same sentence) or the next sentence of the same field carries a result marker
    (RESULT_MARKERS). Sentences split on . ! ? … followed by whitespace.
    """
    fields = list(fields)
    unions = " union all ".join(
        f"select persona_id, {_lit(f)} as field, {_norm_sql(f)} as txt from corpus" for f in fields
    )
    cue_cols = ",\n".join(
        f"regexp_matches(sentence, {_lit(pat)}) as cue_{cat}" for cat, pat in CONSTRAINT_CUES.items()
    )
    cats = list(CONSTRAINT_CUES)
    mention = " ".join(f"when '{c}' then cue_{c}" for c in cats)
    rel = corpus.query(
        "corpus",
        f"""
        with
        texts as ({unions}),
        sentences as (
            select
                persona_id,
                field,
                generate_subscripts(parts, 1) as sentence_index,
                unnest(parts) as sentence,
            from (select *, string_split_regex(txt, '[.!?…]+\\s+') as parts from texts)
        ),
        flagged as (
            select
                persona_id,
                field,
                sentence_index,
                {cue_cols},
                regexp_matches(sentence, {_lit(CAUSAL_MARKERS)}) as has_causal,
                coalesce(lead(regexp_matches(sentence, {_lit(RESULT_MARKERS)})) over (
                    partition by persona_id, field order by sentence_index), false) as next_has_result,
            from sentences
        ),
        planned as (
            select distinct persona_id, unnest(constraint_categories) as category from corpus
        ),
        matched as (
            select
                planned.persona_id,
                planned.category,
                flagged.has_causal,
                flagged.next_has_result,
            from planned
            inner join flagged
                on planned.persona_id = flagged.persona_id
                and (case planned.category {mention} else false end)
        )
        select
            planned.persona_id,
            planned.category,
            count(matched.persona_id) > 0 as is_mentioned,
            coalesce(bool_or(matched.has_causal or matched.next_has_result), false) as is_hit,
        from planned
        left join matched
            on planned.persona_id = matched.persona_id and planned.category = matched.category
        group by all
        order by 1, 2
        """,
    )
    return _arrow(rel)


# --------------------------------------------------------------------------------------------------
# Uniqueness: MinHash LSH
# --------------------------------------------------------------------------------------------------
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from datasketch import MinHash

    a, b = MinHash(num_perm=num_perm, seed=seed, scheme="legacy").permutations
    return a.astype(np.uint64), b.astype(np.uint64)


_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_SHIFT61 = np.uint64(61)
# Odd 64-bit multipliers combining k token hashes into one shingle hash (wrapping uint64 arithmetic).
_COMBINE = np.array(
    [
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
        0xC4CEB9FE1A85EC53,
        0x94D049BB133111EB,
        0xBF58476D1CE4E5B9,
    ],
    dtype=np.uint64,
)


def minhash_signatures(shingle_hashes: list[np.ndarray], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MinHash signatures (n_docs x num_perm, uint64) of 32-bit shingle hashes, bit-identical to datasketch's
    'legacy' scheme: min over shingles of ((h * a + b) mod (2^61 - 1)) & (2^32 - 1), the product wrapping
    at 2^64 as in datasketch. The Mersenne modulo is computed with shifts (exact, ~3x faster than `%`).
    Docs without shingles get the maximum hash in every slot."""
    lengths = np.array([len(hv) for hv in shingle_hashes], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    flat = np.concatenate(shingle_hashes).astype(np.uint64) if len(shingle_hashes) else np.empty(0, np.uint64)
    return _flat_signatures(flat, offsets, a, b)


_BLOCK_SHINGLES = 1 << 10  # 1024 x 128 uint64 = 1 MiB temporaries stay in cache (2.3x faster than 64 MiB)


def _flat_signatures(hv: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """minhash_signatures over a flat array of shingle hashes (doc i = hv[offsets[i]:offsets[i + 1]]),
    vectorised over blocks of whole docs (np.minimum.reduceat) instead of one numpy call chain per doc."""
    n_docs = len(offsets) - 1
    out = np.full((n_docs, len(a)), _MAX_HASH, dtype=np.uint64)
    lengths = np.diff(offsets)
    docs = np.flatnonzero(lengths > 0)
    if len(docs) == 0:
        return out
    # group consecutive non-empty docs so each block holds about _BLOCK_SHINGLES shingles (at least one doc)
    ends = offsets[docs + 1]
    cuts = [0]
    while cuts[-1] < len(docs):
        base = offsets[docs[cuts[-1]]]
        nxt = int(np.searchsorted(ends, base + _BLOCK_SHINGLES, side="right"))
        cuts.append(max(nxt, cuts[-1] + 1))
    for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
        block_docs = docs[lo:hi]
        first, last = offsets[block_docs[0]], offsets[block_docs[-1] + 1]
        y = np.multiply.outer(hv[first:last], a)
        y += b
        r = y & _MERSENNE
        y >>= _SHIFT61
        r += y
        del y
        np.subtract(r, _MERSENNE, out=r, where=r >= _MERSENNE)
        r &= _MAX_HASH
        out[block_docs] = np.minimum.reduceat(r, offsets[block_docs] - first, axis=0)
    return out


def _flat_shingles(token_hashes: np.ndarray, offsets: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Word k-gram hashes of a chunk of docs as one flat array plus per-doc offsets (duplicates kept: they
    do not change a minimum). Same shingle hash as shingle_hashes()."""
    n_docs = len(offsets) - 1
    counts = np.maximum(offsets[1:] - offsets[:-1] - k + 1, 0)
    out_offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    n = len(token_hashes)
    if n < k or out_offsets[-1] == 0:
        return np.empty(0, np.uint64), np.zeros(n_docs + 1, np.int64)
    combined = _combine(token_hashes, k)
    # positions of valid shingle starts: doc start + 0..count-1
    pos = np.arange(out_offsets[-1], dtype=np.int64)
    pos += np.repeat(offsets[:-1].astype(np.int64) - out_offsets[:-1], counts)
    return combined[pos], out_offsets


def _combine(token_hashes: np.ndarray, k: int) -> np.ndarray:
    span = len(token_hashes) - k + 1
    combined = np.zeros(span, dtype=np.uint64)
    for j in range(k):
        combined += token_hashes[j : j + span] * _COMBINE[j]
    combined ^= combined >> np.uint64(29)
    combined *= np.uint64(0xBF58476D1CE4E5B9)
    combined ^= combined >> np.uint64(32)
    combined &= _MAX_HASH
    return combined


def shingle_hashes(token_hashes: np.ndarray, offsets: np.ndarray, k: int = SHINGLE_SIZE) -> list[np.ndarray]:
    """32-bit hashes of the word k-grams of each doc, from the flat 64-bit token hashes of a chunk of docs
    (`offsets`: Arrow list offsets, len = n_docs + 1). Vectorised over the chunk; duplicates removed."""
    n = len(token_hashes)
    if n < k:
        return [np.empty(0, np.uint64) for _ in range(len(offsets) - 1)]
    combined = _combine(token_hashes, k)
    out = []
    for start, end in zip(offsets[:-1], offsets[1:], strict=True):
        last = end - k + 1  # shingles must start at least k-1 tokens before the doc's end
        out.append(np.unique(combined[start:last]) if last > start else np.empty(0, np.uint64))
    return out


def _token_sql(fields: Iterable[str]) -> str:
    text = " || ' ' || ".join(_norm_sql(f) for f in fields)
    return f"""
        select
            persona_id,
            md5(toks::varchar) as doc_hash,
            list_transform(toks, t -> hash(t)) as th,
        from (select persona_id, regexp_extract_all({text}, {_lit(TOKEN_RE)}) as toks from corpus)
        order by persona_id
    """


def near_duplicates(
    corpus: Any,
    threshold: float = LSH_THRESHOLD,
    num_perm: int = NUM_PERM,
    shingle_size: int = SHINGLE_SIZE,
    fields: Iterable[str] = NARRATIVE_TEXT_FIELDS,
    chunk_rows: int = CHUNK_ROWS,
    seed: int = MINHASH_SEED,
) -> pa.Table:
    """One row per persona: near-duplicate cluster, neighbours and similarity to a random other persona.

    Streams the corpus in chunks of `chunk_rows`; keeps only LeanMinHash-sized signatures in memory.
    """
    from datasketch import LeanMinHash, MinHashLSH

    a, b = _permutations(num_perm, seed)
    reader = corpus.query("corpus", _token_sql(list(fields))).to_arrow_reader(chunk_rows)
    ids: list[str] = []
    doc_hashes: list[str] = []
    sigs: list[np.ndarray] = []
    empty: list[bool] = []
    for batch in reader:
        ids.extend(batch.column("persona_id").to_pylist())
        doc_hashes.extend(batch.column("doc_hash").to_pylist())
        th = batch.column("th")
        offsets = th.offsets.to_numpy()
        values = th.values.to_numpy(zero_copy_only=False).astype(np.uint64)[offsets[0] : offsets[-1]]
        flat, doc_offsets = _flat_shingles(values, offsets - offsets[0], shingle_size)
        empty.extend((np.diff(doc_offsets) == 0).tolist())
        sigs.append(_flat_signatures(flat, doc_offsets, a, b))
    n = len(ids)
    sig = np.vstack(sigs) if sigs else np.zeros((0, num_perm), dtype=np.uint64)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    lean = [LeanMinHash(seed=seed, hashvalues=sig[i], scheme="legacy") for i in range(n)]
    with lsh.insertion_session() as session:
        for i in range(n):
            if not empty[i]:  # docs without shingles are unique by construction (exact dups still flagged)
                session.insert(i, lean[i], check_duplication=False)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    best_sim = np.zeros(n)
    best_nb: list[int | None] = [None] * n
    n_near = np.zeros(n, dtype=np.int64)
    for i in range(n):
        if empty[i]:
            continue
        cands = [j for j in lsh.query(lean[i]) if j != i]
        if not cands:
            continue
        sims = (sig[cands] == sig[i]).mean(axis=1)
        for j, s in zip(cands, sims, strict=True):
            if s > best_sim[i]:
                best_sim[i], best_nb[i] = s, j
            if s >= threshold:
                n_near[i] += 1
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
    roots = [find(i) for i in range(n)]
    sizes: dict[int, int] = {}
    for r in roots:
        sizes[r] = sizes.get(r, 0) + 1
    hash_counts: dict[str, int] = {}
    for h in doc_hashes:
        hash_counts[h] = hash_counts.get(h, 0) + 1
    # Similarity to one pseudo-random other persona (a fixed permutation): the corpus baseline.
    order = sorted(range(n), key=lambda i: hashlib.md5(f"{seed}:{ids[i]}".encode()).hexdigest())
    partner = [0] * n
    for pos, i in enumerate(order):
        partner[i] = order[(pos + 1) % n] if n > 1 else i
    rand_sim = (sig == sig[partner]).mean(axis=1) if n > 1 else np.full(n, np.nan)
    return pa.table(
        {
            "persona_id": pa.array(ids, pa.string()),
            "near_duplicate_cluster_id": pa.array([ids[r] for r in roots], pa.string()),
            "cluster_size": pa.array([sizes[r] for r in roots], pa.int64()),
            "n_near_duplicates": pa.array(n_near, pa.int64()),
            "nearest_persona_id": pa.array([ids[j] if j is not None else None for j in best_nb], pa.string()),
            "max_candidate_similarity": pa.array(best_sim, pa.float64()),
            "random_pair_persona_id": pa.array([ids[p] for p in partner], pa.string()),
            "random_pair_similarity": pa.array(rand_sim, pa.float64()),
            "is_exact_duplicate": pa.array([hash_counts[h] > 1 for h in doc_hashes], pa.bool_()),
        }
    )


__all__ = [
    "CONSTRAINT_CUES",
    "constraint_consequences",
    "field_stats",
    "minhash_signatures",
    "near_duplicates",
    "shingle_hashes",
]
