"""Compiled (numba) inner loops of the quality marts: per-token work over ~95M tokens at 100K personas.

numpy needs one temporary array per arithmetic step (MinHash over 128 permutations was ~8 full passes over
shingles x 128 values); these loops do each token once, in registers, in parallel over documents. Every
kernel is pure: same inputs, same outputs, whatever the thread count (documents never share an output).
Compiled code is cached next to this file (numba `cache=True`), so only the first build pays the JIT
(~50 s for all kernels on this 2-core machine).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
from numba import njit, prange

# numba's fallback threading layer (workqueue, used when neither OpenMP nor TBB is installed) aborts the
# process when two threads launch parallel kernels at once, as two dbt threads running quality models
# would. Kernels already use every core, so running them one at a time costs nothing.
_LOCK = threading.Lock()


def _one_at_a_time(kernel: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(kernel)
    def call(*args: Any) -> Any:
        with _LOCK:
            return kernel(*args)

    return call


MERSENNE = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)
SHIFT61 = np.uint64(61)
SHIFT29 = np.uint64(29)
SHIFT32 = np.uint64(32)
MIX = np.uint64(0xBF58476D1CE4E5B9)
# Odd 64-bit multipliers combining k token hashes into one shingle hash (wrapping uint64 arithmetic).
COMBINE = np.array(
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


@njit(cache=True, inline="always")
def _mix(h: np.uint64) -> np.uint64:
    h ^= h >> SHIFT29
    h *= MIX
    h ^= h >> SHIFT32
    return h


@njit(cache=True, inline="always")
def _gram(tokens: np.ndarray, start: int, k: int) -> np.uint64:
    """64-bit hash of the word k-gram tokens[start:start + k] (trigrams use it whole, shingles 32 bits)."""
    h = np.uint64(0)
    for j in range(k):
        h += tokens[start + j] * COMBINE[j]
    return _mix(h)


@njit(cache=True, inline="always")
def _shingle(tokens: np.ndarray, start: int, k: int) -> np.uint64:
    return _gram(tokens, start, k) & MAX_HASH


@njit(cache=True, inline="always")
def _permuted(h: np.uint64, a: np.uint64, b: np.uint64) -> np.uint64:
    # datasketch 'legacy': ((h * a + b) mod (2^61 - 1)) & (2^32 - 1), the product wrapping at 2^64;
    # the Mersenne modulo by shift-and-add is exact because y < 2^64 leaves hi + lo < 2 * (2^61 - 1).
    y = h * a + b
    r = (y & MERSENNE) + (y >> SHIFT61)
    r = r - MERSENNE if r >= MERSENNE else r
    return r & MAX_HASH


@njit(cache=True, inline="always")
def _update(sig: np.ndarray, h: np.uint64, a: np.ndarray, b: np.ndarray) -> None:
    for p in range(a.shape[0]):
        sig[p] = min(sig[p], _permuted(h, a[p], b[p]))


@_one_at_a_time
@njit(cache=True, parallel=True)
def signatures_of_shingles(
    hashes: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """MinHash signatures (n_docs x num_perm) of shingle hashes; doc i = hashes[offsets[i]:offsets[i+1]],
    docs without shingles keep the maximum hash in every slot (an empty datasketch MinHash)."""
    n_docs = offsets.shape[0] - 1
    out = np.full((n_docs, a.shape[0]), MAX_HASH, dtype=np.uint64)
    for d in prange(n_docs):
        sig = out[d]
        for i in range(offsets[d], offsets[d + 1]):
            _update(sig, hashes[i], a, b)
    return out


@_one_at_a_time
@njit(cache=True, parallel=True)
def signatures_of_tokens(
    tokens: np.ndarray, offsets: np.ndarray, k: int, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures of the word k-gram shingles of each doc (tokens: 64-bit token hashes, doc i =
    tokens[offsets[i]:offsets[i+1]]), shingling fused in; also returns each doc's shingle count."""
    n_docs = offsets.shape[0] - 1
    out = np.full((n_docs, a.shape[0]), MAX_HASH, dtype=np.uint64)
    n_shingles = np.zeros(n_docs, dtype=np.int64)
    for d in prange(n_docs):
        sig = out[d]
        last = offsets[d + 1] - k + 1
        s = offsets[d]
        # four shingles per pass over the permutations: 1.8x faster than one (fewer loads/stores of sig)
        while s + 4 <= last:
            h0 = _shingle(tokens, s, k)
            h1 = _shingle(tokens, s + 1, k)
            h2 = _shingle(tokens, s + 2, k)
            h3 = _shingle(tokens, s + 3, k)
            for p in range(a.shape[0]):
                ap, bp = a[p], b[p]
                m01 = min(_permuted(h0, ap, bp), _permuted(h1, ap, bp))
                m23 = min(_permuted(h2, ap, bp), _permuted(h3, ap, bp))
                sig[p] = min(sig[p], min(m01, m23))
            s += 4
        while s < last:
            _update(sig, _shingle(tokens, s, k), a, b)
            s += 1
        n_shingles[d] = max(last - offsets[d], 0)
    return out, n_shingles


def shingles_of_tokens(tokens: np.ndarray, offsets: np.ndarray, k: int) -> np.ndarray:
    """All word k-gram hashes of each doc, flat, with the same hash as signatures_of_tokens (tests, tools)."""
    return _shingles(tokens.astype(np.uint64), offsets.astype(np.int64), k)


@njit(cache=True)
def _shingles(tokens: np.ndarray, offsets: np.ndarray, k: int) -> np.ndarray:
    n = 0
    for d in range(offsets.shape[0] - 1):
        n += max(offsets[d + 1] - offsets[d] - k + 1, 0)
    out = np.empty(n, dtype=np.uint64)
    pos = 0
    for d in range(offsets.shape[0] - 1):
        for s in range(offsets[d], offsets[d + 1] - k + 1):
            out[pos] = _shingle(tokens, s, k)
            pos += 1
    return out


# --------------------------------------------------------------------------------------------------
# Tokenizer: lowercase letter runs (\pL+(?:-\pL+)*), cedilla forms unified, hashed to 64 bits
# --------------------------------------------------------------------------------------------------
def _char_tables() -> tuple[np.ndarray, np.ndarray]:
    """Per BMP code point: is it a letter (Unicode category L*), and its lowercase form with the Romanian
    cedilla letters unified to comma-below (ş->ș, ţ->ț), as DuckDB lower() + replace() did before."""
    import unicodedata

    is_letter = np.zeros(0x10000, dtype=np.bool_)
    lower = np.arange(0x10000, dtype=np.int64)
    for cp in range(0x10000):
        ch = chr(cp)
        if unicodedata.category(ch).startswith("L"):
            is_letter[cp] = True
            low = ch.lower()
            if len(low) == 1:
                lower[cp] = ord(low)
    lower[lower == 0x015F] = 0x0219  # ş -> ș
    lower[lower == 0x0163] = 0x021B  # ţ -> ț
    return is_letter, lower


IS_LETTER, LOWER = _char_tables()
FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)
HYPHEN = 0x2D
# Sentence-start scanner states (the starter regex (?:^|[.!?…]\s+)[„"«»“”'—–\-\s]*(\pL+), as a machine).
_NONE, _TERM, _START = 0, 1, 2


@njit(cache=True, inline="always")
def _decode(data: np.ndarray, i: int, end: int) -> tuple[int, int]:
    c = np.int64(data[i])
    if c < 0x80:
        return c, 1
    if c < 0xE0 and i + 1 < end:
        return ((c & 0x1F) << 6) | (np.int64(data[i + 1]) & 0x3F), 2
    if c < 0xF0 and i + 2 < end:
        return ((c & 0x0F) << 12) | ((np.int64(data[i + 1]) & 0x3F) << 6) | (np.int64(data[i + 2]) & 0x3F), 3
    return 0x10000, 4  # outside the BMP (emoji...): never a letter


@njit(cache=True, inline="always")
def _is_space(cp: int) -> bool:  # RE2's \s: [\t\n\f\r ]
    return cp == 0x20 or cp == 0x09 or cp == 0x0A or cp == 0x0C or cp == 0x0D


@njit(cache=True, inline="always")
def _is_terminator(cp: int) -> bool:  # . ! ? …
    return cp == 0x2E or cp == 0x21 or cp == 0x3F or cp == 0x2026


@njit(cache=True, inline="always")
def _is_opener(cp: int) -> bool:  # „ " « » “ ” ' — – -
    return (
        cp == 0x201E
        or cp == 0x22
        or cp == 0xAB
        or cp == 0xBB
        or cp == 0x201C
        or cp == 0x201D
        or cp == 0x27
        or cp == 0x2014
        or cp == 0x2013
        or cp == HYPHEN
    )


@njit(cache=True)
def _scan(data, start, end, is_letter, lower, tok_out, tok_at, st_out, st_pos, st_len, st_at, write):
    """Tokenise data[start:end]; with write, store token hashes from tok_at and sentence starters (hash,
    byte position, byte length) from st_at. Returns (n_tokens, n_starters)."""
    n_tok = 0
    n_st = 0
    state = _START
    i = start
    in_tok = False
    in_starter = False
    h = FNV_OFFSET
    sh = FNV_OFFSET
    s_begin = 0
    while i < end:
        cp, w = _decode(data, i, end)
        letter = cp < 0x10000 and is_letter[cp]
        if letter:
            low = np.uint64(lower[cp])
            if not in_tok:
                in_tok = True
                h = FNV_OFFSET
                if state == _START:
                    in_starter = True
                    sh = FNV_OFFSET
                    s_begin = i
                state = _NONE
            h = (h ^ low) * FNV_PRIME
            if in_starter:
                sh = (sh ^ low) * FNV_PRIME
        else:
            if in_starter:  # the starter is the first letter run only (a hyphen ends it)
                if write:
                    st_out[st_at + n_st] = _mix(sh)
                    st_pos[st_at + n_st] = s_begin
                    st_len[st_at + n_st] = i - s_begin
                n_st += 1
                in_starter = False
            if in_tok and cp == HYPHEN and i + 1 < end:
                nxt, _ = _decode(data, i + 1, end)
                if nxt < 0x10000 and is_letter[nxt]:
                    h = (h ^ np.uint64(HYPHEN)) * FNV_PRIME  # hyphenated words stay whole
                    i += w
                    continue
            if in_tok:
                if write:
                    tok_out[tok_at + n_tok] = _mix(h)
                n_tok += 1
                in_tok = False
            if _is_terminator(cp):
                state = _TERM
            elif _is_space(cp):
                if state == _TERM:
                    state = _START
            elif not (_is_opener(cp) and state == _START):
                state = _NONE
        i += w
    if in_starter:
        if write:
            st_out[st_at + n_st] = _mix(sh)
            st_pos[st_at + n_st] = s_begin
            st_len[st_at + n_st] = end - s_begin
        n_st += 1
    if in_tok:
        if write:
            tok_out[tok_at + n_tok] = _mix(h)
        n_tok += 1
    return n_tok, n_st


@_one_at_a_time
@njit(cache=True, parallel=True)
def _tokenize(data, offsets, is_letter, lower):
    n = offsets.shape[0] - 1
    n_tok = np.zeros(n, dtype=np.int64)
    n_st = np.zeros(n, dtype=np.int64)
    dummy_u = np.empty(0, dtype=np.uint64)
    dummy_i = np.empty(0, dtype=np.int64)
    for d in prange(n):
        n_tok[d], n_st[d] = _scan(
            data,
            offsets[d],
            offsets[d + 1],
            is_letter,
            lower,
            dummy_u,
            0,
            dummy_u,
            dummy_i,
            dummy_i,
            0,
            False,
        )
    tok_off = np.zeros(n + 1, dtype=np.int64)
    st_off = np.zeros(n + 1, dtype=np.int64)
    tok_off[1:] = np.cumsum(n_tok)
    st_off[1:] = np.cumsum(n_st)
    toks = np.empty(tok_off[n], dtype=np.uint64)
    st = np.empty(st_off[n], dtype=np.uint64)
    st_pos = np.empty(st_off[n], dtype=np.int64)
    st_len = np.empty(st_off[n], dtype=np.int64)
    for d in prange(n):
        _scan(
            data,
            offsets[d],
            offsets[d + 1],
            is_letter,
            lower,
            toks,
            tok_off[d],
            st,
            st_pos,
            st_len,
            st_off[d],
            True,
        )
    return toks, tok_off, st, st_off, st_pos, st_len


def tokenize(data: np.ndarray, offsets: np.ndarray) -> dict[str, np.ndarray]:
    """Tokens and sentence starters of n UTF-8 texts (text i = data[offsets[i]:offsets[i+1]]).

    tokens: 64-bit hashes of lowercase letter runs (\\pL+(?:-\\pL+)*, cedillas unified), flat, with
    token_offsets (n + 1); starters: hashes of the first word of each sentence (text start, or after
    . ! ? … and whitespace, skipping quotes and dashes), with starter_offsets and byte positions/lengths."""
    toks, tok_off, st, st_off, st_pos, st_len = _tokenize(
        np.ascontiguousarray(data, dtype=np.uint8), offsets.astype(np.int64), IS_LETTER, LOWER
    )
    return {
        "tokens": toks,
        "token_offsets": tok_off,
        "starters": st,
        "starter_offsets": st_off,
        "starter_pos": st_pos,
        "starter_len": st_len,
    }


# --------------------------------------------------------------------------------------------------
# Per-text word statistics: trigrams, within-text repetition, MATTR
# --------------------------------------------------------------------------------------------------
@_one_at_a_time
@njit(cache=True, parallel=True)
def text_word_stats(tokens: np.ndarray, offsets: np.ndarray, window: int):
    """Per text: word trigram hashes (all, flat by tri_offsets) and its distinct trigrams (sorted, flat by
    the same offsets, first n_distinct of each slot used), trigram count, distinct count, and MATTR over
    consecutive non-overlapping windows of `window` tokens (NaN when the text is shorter than a window)."""
    n = offsets.shape[0] - 1
    n_tri = np.zeros(n, dtype=np.int64)
    for d in range(n):
        n_tri[d] = max(offsets[d + 1] - offsets[d] - 2, 0)
    tri_off = np.zeros(n + 1, dtype=np.int64)
    tri_off[1:] = np.cumsum(n_tri)
    tri = np.empty(tri_off[n], dtype=np.uint64)
    distinct = np.empty(tri_off[n], dtype=np.uint64)
    n_distinct = np.zeros(n, dtype=np.int64)
    mattr = np.full(n, np.nan)
    for d in prange(n):
        s, m = offsets[d], n_tri[d]
        for j in range(m):
            tri[tri_off[d] + j] = _gram(tokens, s + j, 3)
        if m > 0:
            srt = np.sort(tri[tri_off[d] : tri_off[d] + m])
            k = 0
            for j in range(m):
                if j == 0 or srt[j] != srt[j - 1]:
                    distinct[tri_off[d] + k] = srt[j]
                    k += 1
            n_distinct[d] = k
        n_windows = (offsets[d + 1] - s) // window
        if n_windows > 0:
            total = 0.0
            for w in range(n_windows):
                win = np.sort(tokens[s + w * window : s + (w + 1) * window])
                k = 1
                for j in range(1, window):
                    if win[j] != win[j - 1]:
                        k += 1
                total += k / window
            mattr[d] = total / n_windows
    return tri, tri_off, distinct, n_distinct, mattr


@njit(cache=True)
def compact(values: np.ndarray, offsets: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The first counts[i] values of each slot values[offsets[i]:offsets[i+1]], concatenated."""
    out = np.empty(counts.sum(), dtype=values.dtype)
    pos = 0
    for d in range(counts.shape[0]):
        out[pos : pos + counts[d]] = values[offsets[d] : offsets[d] + counts[d]]
        pos += counts[d]
    return out


@_one_at_a_time
@njit(cache=True, parallel=True)
def sequence_hashes(tokens: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """64-bit hash of each doc's whole token sequence (exact duplicates after normalisation)."""
    n = offsets.shape[0] - 1
    out = np.empty(n, dtype=np.uint64)
    for d in prange(n):
        h = FNV_OFFSET ^ np.uint64(offsets[d + 1] - offsets[d])
        for i in range(offsets[d], offsets[d + 1]):
            h = _mix((h ^ tokens[i]) * FNV_PRIME)
        out[d] = h
    return out


def normalise(word: str) -> str:
    """A word as the tokenizer sees it: lowercase, cedilla letters unified (ş->ș, ţ->ț)."""
    return "".join(chr(LOWER[ord(ch)]) if ord(ch) < 0x10000 else ch for ch in word)


def token_hash(word: str) -> int:
    """The tokenizer's hash of one token, in plain Python (tests and tools)."""
    h = int(FNV_OFFSET)
    for ch in normalise(word):
        h = ((h ^ ord(ch)) * int(FNV_PRIME)) & 0xFFFFFFFFFFFFFFFF
    h ^= h >> 29
    h = (h * int(MIX)) & 0xFFFFFFFFFFFFFFFF
    return h ^ (h >> 32)


@_one_at_a_time
@njit(cache=True, parallel=True)
def text_lengths(data: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per UTF-8 text: its length in characters without leading/trailing spaces (DuckDB
    length(trim(text)), which trims U+0020 only) and a 64-bit hash of its bytes (exact duplicates)."""
    n = offsets.shape[0] - 1
    n_chars = np.zeros(n, dtype=np.int64)
    hashes = np.empty(n, dtype=np.uint64)
    for d in prange(n):
        lo, hi = offsets[d], offsets[d + 1]
        h = FNV_OFFSET
        for i in range(lo, hi):
            h = (h ^ np.uint64(data[i])) * FNV_PRIME
        hashes[d] = _mix(h ^ np.uint64(hi - lo))
        while lo < hi and data[lo] == 0x20:
            lo += 1
        while hi > lo and data[hi - 1] == 0x20:
            hi -= 1
        count = 0
        for i in range(lo, hi):
            count += (data[i] & 0xC0) != 0x80  # one per code point: skip UTF-8 continuation bytes
        n_chars[d] = count
    return n_chars, hashes
