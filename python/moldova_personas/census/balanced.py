"""Balanced categorical draws: every tier's marginals land within a person or two of their target.

Why not plain random draws: at 1,000 personas a 50% category has a sampling sd of 1.6 points, so a
census-fit gate of 1 point would fail by chance. Instead each conditional draw is a *controlled
rounding* of the expected counts table (groups x categories): every cell gets floor or ceil of its
expectation, every group keeps its size, and a running column deficit (sigma-delta) keeps each
category's total within about one person of its expectation. Deficits carry over between blocks,
so tier prefixes (1K, 25K, 100K, 1M) stay balanced as they grow. Which rows of a group receive
which category is a seeded shuffle, so rows inside a block are exchangeable.
"""

from __future__ import annotations

import numpy as np


def round_table(
    expected: np.ndarray,
    group_sizes: np.ndarray,
    carry: np.ndarray,
    rng: np.random.Generator,
    in_order: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Round an expected-counts table to integers with exact row sums and balanced column sums.

    expected: (G, K) non-negative, each row summing to its group size.
    carry: (K,) column deficit carried in (expected minus realised so far), updated and returned.
    in_order: visit the groups in index order instead of a random one. The running deficit then keeps
    every run of consecutive groups balanced too, so a caller whose group index is major in a unit
    (e.g. raion first) gets each unit's column totals within a person or two of their expectation.
    Returns (counts (G, K) int64, new carry).
    """
    n_groups, n_cats = expected.shape
    base = np.floor(expected + 1e-9)
    frac = np.clip(expected - base, 0.0, None)
    counts = base.astype(np.int64)
    need = group_sizes.astype(np.int64) - counts.sum(axis=1)
    deficit = carry.astype(float).copy()
    visit = np.arange(n_groups) if in_order else rng.permutation(n_groups)
    # Empty groups change nothing (expected 0, counts 0) and draw no random numbers: skipping them keeps
    # the result bit for bit and saves most of the loop where groups outnumber rows (education by raion,
    # band, sex and single age: 81,340 groups, a 1,000-row block).
    for g in visit[group_sizes[visit] > 0]:
        k = int(need[g])
        if k > 0:
            eligible = frac[g] > 1e-12
            # Deficit after this row if rounded down; tiny jitter breaks ties reproducibly.
            priority = deficit + frac[g] + rng.random(n_cats) * 1e-6
            priority[~eligible] = -np.inf
            if eligible.sum() < k:  # floating-point leftovers: fall back to any positive cell
                priority = np.where(expected[g] > 0, deficit + rng.random(n_cats) * 1e-6, -np.inf)
            chosen = np.argpartition(-priority, k - 1)[:k]
            counts[g, chosen] += 1
        deficit += expected[g] - counts[g]
    return counts, deficit


def draw_grouped(
    group_ids: np.ndarray,
    cond_probs: np.ndarray,
    carry: np.ndarray,
    rng: np.random.Generator,
    in_order: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Assign a category to every row from P(category | group) with balanced counts.

    group_ids: (n,) int group index per row, in [0, G).
    cond_probs: (G, K) rows summing to 1 (rows of empty groups may be anything).
    in_order: round the groups in index order (see `round_table`).
    Returns (category per row, new carry).
    """
    n_groups = cond_probs.shape[0]
    sizes = np.bincount(group_ids, minlength=n_groups)
    expected = cond_probs * sizes[:, None]
    counts, carry = round_table(expected, sizes, carry, rng, in_order)
    # Category list per group in group order, then shuffled inside each group.
    cats = np.repeat(np.tile(np.arange(cond_probs.shape[1]), n_groups), counts.ravel())
    # Rows of each group in random order: a stable integer sort of a random permutation.
    perm = rng.permutation(group_ids.size)
    order = perm[_stable_argsort(group_ids[perm], n_groups)]
    out = np.empty(group_ids.size, dtype=np.int64)
    out[order] = cats
    return out, carry


def _stable_argsort(keys: np.ndarray, n_keys: int) -> np.ndarray:
    """np.argsort(keys, kind="stable") for keys in [0, n_keys), as radix sorts: numpy's stable sort is a
    radix sort for 8- and 16-bit integers only, so wider keys are sorted by their low 16 bits, then
    stably by the rest (the same order; 1M rows, 81,340 groups: 0.07 s against 0.19 s)."""
    if n_keys <= 1 << 16:
        return np.argsort(keys.astype(np.min_scalar_type(max(n_keys - 1, 0))), kind="stable")
    low = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    high = (keys[low] >> 16).astype(np.min_scalar_type(max((n_keys - 1) >> 16, 0)))
    return low[np.argsort(high, kind="stable")]


def combine_keys(*columns: np.ndarray, sizes: tuple[int, ...]) -> np.ndarray:
    """Mixed-radix group index of several small-integer columns."""
    key = np.zeros(columns[0].size, dtype=np.int64)
    for col, size in zip(columns, sizes, strict=True):
        key = key * size + col
    return key
