"""The quality report: one self-contained HTML file per built tier, read from the marts.

`python -m moldova_personas.release.report --db moldova_personas.duckdb --out reports/` writes
`reports/<tier>/quality_report.html` for the released tier (release_cores) and every other tier whose
cores are in the database. Everything is inline (CSS, PNG plots as base64 data URIs); the page carries a
Content-Security-Policy that forbids any network load, and no script.

Three layers of pure functions: queries (DuckDB connection -> DataFrame, or None when the relation is not
built), figures (DataFrame -> matplotlib Figure -> data URI) and HTML (context -> Jinja template). The
database is opened read-only.
"""

from __future__ import annotations

import argparse
import base64
import io
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from moldova_personas.schema import (  # noqa: E402
    NARRATIVE_FIELDS,
    NARRATIVE_LIST_FIELDS,
    NARRATIVE_TEXT_FIELDS,
)

TEXT_FIELDS, LIST_FIELDS = NARRATIVE_TEXT_FIELDS, NARRATIVE_LIST_FIELDS

# census_table (int_census_targets) -> labels_ro dimension of its categories.
TABLE_DIMENSION = {
    "census__age_sex": "sex",
    "census__education_level": "education_level",
    "census__education_by_area": "education_level",
    "census__ethnicity_by_area": "ethnicity",
    "census__ethnicity_by_region": "ethnicity",
    "census__ethnicity_national": "ethnicity",
    "census__localities_urban_rural": "residence_type",
    "census__marital_status": "marital_status",
    "census__native_language": "mother_tongue",
    "census__population_by_region": "region",
    "census__population_single_age": "age_group",
    "census__religion_national": "religion",
    "lfs__employment_status": "employment_status",
    "assumption__isco_major_by_sex_area": "isco_major",
}
TABLE_TITLES = {
    "assumption__isco_major_by_sex_area": "ISCO-08 major group by sex and area (assumption raked to the LFS)",
    "census__age_sex": "Sex",
    "census__education_level": "Education level",
    "census__education_by_area": "Higher education by area of residence",
    "census__education_by_raion": "Higher education by raion (5 units published, the rest modelled)",
    "census__ethnicity_by_area": "Ethnicity by area of residence",
    "census__ethnicity_by_region": "Ethnicity by development region (published cells)",
    "census__ethnicity_national": "Ethnicity",
    "census__localities_urban_rural": "Area of residence",
    "census__marital_status": "Marital status",
    "census__native_language": "Mother tongue",
    "census__population_by_raion": "Population by raion",
    "census__population_by_region": "Population by development region",
    "census__population_single_age": "Age group",
    "census__religion_national": "Religion",
    "census__religion_by_raion": "Orthodox share by raion",
    "lfs__employment_rate_20_64": "Employment rate, ages 20-64 (LFS)",
    "lfs__employment_status": "Employment status (LFS)",
}
GROUP_LABELS = {"all": "all", "urban": "urban", "rural": "rural", "all=all": "all"}
# Tables with one group per raion: drawn as one panel of the headline category's share in each unit
# (35 small panels of 13 religions would bury the figure the reader looks for).
UNIT_HEADLINES = {
    "census__religion_by_raion": ("Orthodox", "Orthodox Christians"),
    "census__education_by_raion": ("higher", "higher education"),
}
EXTRA_LABELS = {"employed": "employed", "not_employed": "not employed"}
REGION_COLORS = {
    "Chisinau": "#4C72B0",
    "Nord": "#55A868",
    "Centru": "#DD8452",
    "Sud": "#C44E52",
    "Gagauzia": "#8172B3",
}
SYNTH_COLOR = "#3B6EA8"
CENSUS_COLOR = "#B8B8B8"
DPI = 96


class ReportError(RuntimeError):
    """A condition the user must fix (printed without a traceback)."""


# --------------------------------------------------------------------------------------------- queries


def relation_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_name = ? and table_schema = 'main'",
        [name],
    ).fetchone()
    return bool(row and row[0])


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def built_tiers(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tiers with at least one core (the built_tiers view), smallest first."""
    if not relation_exists(con, "built_tiers"):
        return []
    return [
        row[0] for row in con.sql("select tier from built_tiers group by tier order by count(*)").fetchall()
    ]


def released_tier(con: duckdb.DuckDBPyConnection) -> str | None:
    if not relation_exists(con, "release_cores"):
        return None
    row = con.sql("select min(tier) from release_cores").fetchone()
    return row[0] if row else None


def labels_en(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    """English display labels of the codes: the report speaks one language (the marts' and README's)."""
    for name in ("stg_reference__labels_ro", "labels_ro"):
        if relation_exists(con, name):
            try:
                rows = con.sql(f"select dimension, code, label_en from {name}").fetchall()
            except duckdb.Error:  # e.g. a view of a database file that was renamed
                continue
            return {(d, str(c)): label for d, c, label in rows if label}
    return {}


def query_header(con: duckdb.DuckDBPyConnection, tier: str, is_released: bool) -> dict[str, Any]:
    """Tier, seed, record count and the model (from rpt_release_candidate for the released tier)."""
    head: dict[str, Any] = {"tier": tier, "is_released": is_released}
    row = con.sql(f"select count(*), min(sample_seed) from {tier}").fetchone()
    head["record_count"], head["seed"] = int(row[0]), row[1]
    head["narrated_count"] = head["main_model"] = None
    if is_released and relation_exists(con, "rpt_release_candidate"):
        cand = _df(con, "select * from rpt_release_candidate")
        if len(cand):
            head["narrated_count"] = int(cand["narrated_count"].iloc[0])
            head["main_model"] = cand["main_model"].iloc[0]
    return head


def query_census_fit(con: duckdb.DuckDBPyConnection, tier: str) -> pd.DataFrame | None:
    if not relation_exists(con, "rpt_census_fit"):
        return None
    return _df(
        con,
        """
        select census_table, n_cells, chi_square, degrees_of_freedom, p_value, srmse,
            max_abs_deviation_pp, deviation_threshold_pp, is_within_tolerance,
            max_within_group_deviation_pp,
            within_group_deviation_group || ' (' || cast(within_group_size as bigint) || ')'
                as within_group_deviation_group,
            within_group_threshold_pp, is_within_group_tolerance
        from rpt_census_fit where tier = ? order by census_table
        """,
        [tier],
    )


def query_fit_cells(con: duckdb.DuckDBPyConnection, tier: str) -> pd.DataFrame | None:
    if not relation_exists(con, "fct_census_fit_cells"):
        return None
    return _df(
        con,
        """
        select census_table, group_value, category, group_size, observed_count, observed_share,
            expected_share
        from fct_census_fit_cells where tier = ? order by census_table, group_value, category
        """,
        [tier],
    )


PYRAMID_TOP = 85  # the census age-sex table's open band is 85+


def query_age_sex(con: duckdb.DuckDBPyConnection, tier: str) -> pd.DataFrame:
    """Personas per five-year age band and sex (band 15 = 18-19, band 85 = 85+)."""
    return _df(
        con,
        f"""
        select least(age // 5 * 5, {PYRAMID_TOP}) as band, sex, count(*) as n
        from {tier} group by all order by band, sex
        """,
    )


def query_census_age_sex(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """Adult population share per five-year band and sex (NBS 2024 estimate split by sex), same bands."""
    name = "stg_assumptions__assumption_age_sex_adults_2024"
    if not relation_exists(con, name):
        return None
    return _df(
        con,
        f"""
        select least(age_min // 5 * 5, {PYRAMID_TOP}) as band, sex, sum(share_of_adults_pct) / 100 as share
        from {name} group by all order by band, sex
        """,
    )


def query_raions(con: duckdb.DuckDBPyConnection, tier: str) -> pd.DataFrame:
    """Personas per raion with its region, and the census-expected count when fit cells exist."""
    expected = "null::double"
    join = ""
    if relation_exists(con, "fct_census_fit_cells"):
        join = f"""
        left join (
            select category, expected_share * group_size as expected_n
            from fct_census_fit_cells
            where tier = '{tier}' and census_table = 'census__population_by_raion' and group_value = 'all'
        ) as e on e.category = p.raion"""
        expected = "e.expected_n"
    return _df(
        con,
        f"""
        select p.region, p.raion, count(*) as n, any_value({expected}) as expected_n
        from {tier} as p {join}
        group by all order by p.region, n desc
        """,
    )


def query_openings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    if not relation_exists(con, "rpt_quality_openings"):
        return None
    return _df(con, "select * from rpt_quality_openings order by share_of_personas desc, opening_move")


def query_anchors(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    if not relation_exists(con, "rpt_quality_anchors"):
        return None
    return _df(con, "select * from rpt_quality_anchors order by anchor_rank")


def query_field_lengths(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """One row per persona, one column per narrative field: characters of texts, items of lists."""
    if not relation_exists(con, "fct_personas"):
        return None
    cols = [f"length(trim(coalesce({f}, ''))) as {f}" for f in TEXT_FIELDS]
    cols += [f"coalesce(len({f}), 0) as {f}" for f in LIST_FIELDS]
    return _df(con, f"select {', '.join(cols)} from fct_personas where is_narrated")


def query_field_stats(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    if not relation_exists(con, "rpt_quality_field_stats"):
        return None
    return _df(
        con,
        """
        select field, unit, target_min, target_max, p05_chars, p50_chars, p95_chars, share_on_target
        from rpt_quality_field_stats
        """,
    )


def query_batches(con: duckdb.DuckDBPyConnection, tier: str) -> pd.DataFrame | None:
    if not relation_exists(con, "fct_generation_batches"):
        return None
    return _df(
        con,
        """
        select batch_index, first_persona_index, last_persona_index, n_personas, n_paid_attempts,
            success_rate, repair_rate, mean_latency_ms, p50_latency_ms, p95_latency_ms, p99_latency_ms
        from fct_generation_batches where tier = ? order by batch_index
        """,
        [tier],
    )


def query_safety(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame | None]:
    out: dict[str, pd.DataFrame | None] = {}
    out["summary"] = (
        _df(con, "select gate, n_critical, n_warning, passed from rpt_safety_summary order by gate")
        if relation_exists(con, "rpt_safety_summary")
        else None
    )
    out["findings"] = (
        _df(
            con,
            """
            select gate, severity, rule, field, matched_text from fct_safety_findings
            order by severity, gate, rule, finding_id limit 50
            """,
        )
        if relation_exists(con, "fct_safety_findings")
        else None
    )
    out["fairness"] = (
        _df(
            con,
            """
            select dimension, category, n_observed, expected_n, observed_share, expected_share,
                relative_deviation, max_relative_deviation, is_judged, severity
            from rpt_safety_fairness order by dimension, expected_share desc
            """,
        )
        if relation_exists(con, "rpt_safety_fairness")
        else None
    )
    return out


def query_release_contract(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    if not relation_exists(con, "rpt_release_contract"):
        return None
    return _df(
        con,
        """
        select guard, metric, kind, baseline_value, candidate_value, threshold, passed, detail
        from rpt_release_contract order by passed, guard
        """,
    )


# --------------------------------------------------------------------------------------------- figures


@dataclass
class Plot:
    """One rendered figure: a PNG data URI with its caption and alt text."""

    plot_id: str
    title: str
    alt: str
    uri: str
    width: int
    height: int
    caption: str = ""


def _style() -> None:
    plt.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.titlesize": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.color": "#E5E5E5",
            "grid.linewidth": 0.6,
            "axes.axisbelow": True,
            "legend.frameon": False,
        }
    )


def figure_to_plot(fig: Figure, plot_id: str, title: str, alt: str, caption: str = "") -> Plot:
    """Render a figure to a PNG data URI (deterministic: no software metadata) and close it."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)
    data = buf.getvalue()
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    return Plot(plot_id, title, alt, uri, width, height, caption)


def _label(labels: dict[tuple[str, str], str], dimension: str | None, code: str) -> str:
    if code in EXTRA_LABELS:
        return EXTRA_LABELS[code]
    if dimension and (dimension, code) in labels:
        return labels[(dimension, code)]
    if " + " in code and dimension:
        return " + ".join(labels.get((dimension, c), c) for c in code.split(" + "))
    return code


def _group_label(labels: dict[tuple[str, str], str], group: str) -> str:
    if group in GROUP_LABELS:
        return GROUP_LABELS[group]
    parts = []
    for part in group.replace("|", ",").split(","):
        key, _, value = part.partition("=")
        value = value or key
        found = next((lab for (d, c), lab in labels.items() if c == value and d != "ethnicity"), value)
        parts.append(found)
    return " · ".join(parts)


def headline_by_unit(cells: pd.DataFrame, category: str, title: str) -> pd.DataFrame:
    """One group (`title`) whose categories are the units (raions): each unit's share of `category`."""
    sub = cells[cells["category"] == category].copy()
    sub["category"] = sub["group_value"]
    sub["group_value"] = title
    sub["group_size"] = sub["group_size"].sum()  # the panel's n: personas over all units
    return sub


def fig_census_table(
    cells: pd.DataFrame, census_table: str, tier: str, labels: dict[tuple[str, str], str]
) -> Figure:
    """Small multiples (one panel per group) of synthetic vs census share by category.

    When every group has the same categories the panels share one category axis, labelled on the left
    column only (long ISCO titles would run into the next panel otherwise).
    """
    dimension = TABLE_DIMENSION.get(census_table)
    groups = list(dict.fromkeys(cells["group_value"]))
    cat_sets = {frozenset(cells.loc[cells["group_value"] == g, "category"]) for g in groups}
    shared = len(cat_sets) == 1 and len(groups) > 1
    order = cells.groupby("category")["expected_share"].mean().sort_values().index.tolist()
    if len(groups) == 1:
        ncols = 1
    elif shared:
        ncols = 2 if len(groups) == 4 else min(len(groups), 3)
    else:
        ncols = min(len(groups), 3)
    nrows = -(-len(groups) // ncols)
    n_cat = max(cells.groupby("group_value")["category"].nunique())
    panel_h = max(1.3, 0.5 + 0.24 * n_cat)
    width = 7.5 if ncols == 1 else (3.0 * ncols + 3.2 if shared else 3.7 * ncols + 0.6)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width, panel_h * nrows + 0.5), squeeze=False, sharey=shared
    )
    for ax, group in zip(axes.flat, groups, strict=False):
        sub = cells[cells["group_value"] == group].set_index("category")
        cats = [c for c in order if c in sub.index]
        sub = sub.loc[cats]
        y = list(range(len(sub)))
        names = [_label(labels, dimension, str(c)) for c in cats]
        ax.barh(
            [i + 0.2 for i in y],
            sub["expected_share"] * 100,
            height=0.4,
            color=CENSUS_COLOR,
            label="Census / target",
        )
        ax.barh(
            [i - 0.2 for i in y],
            sub["observed_share"] * 100,
            height=0.4,
            color=SYNTH_COLOR,
            label=f"Synthetic ({tier})",
        )
        ax.set_yticks(y, names)
        # log scale: a 94 % majority would flatten every minority on a linear axis; values are printed
        ax.set_xscale("log")
        shares = pd.concat([sub["expected_share"], sub["observed_share"]]) * 100
        ax.set_xlim(max(0.01, shares[shares > 0].min() / 2) if (shares > 0).any() else 0.01, 250)
        for i, (exp, obs) in enumerate(zip(sub["expected_share"], sub["observed_share"], strict=True)):
            ax.text(max(obs * 100, 0.01) * 1.08, i - 0.2, f"{obs * 100:.1f}", va="center", fontsize=6.5)
            ax.text(
                max(exp * 100, 0.01) * 1.08,
                i + 0.2,
                f"{exp * 100:.1f}",
                va="center",
                fontsize=6.5,
                color="#666666",
            )
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        ax.set_xlabel("Share within group (%, log scale)")
        size = int(sub["group_size"].max())
        ax.set_title(f"{_group_label(labels, str(group))} (n = {size:,})".replace(",", " "), loc="left")
        ax.grid(axis="y", visible=False)
    for ax in list(axes.flat)[len(groups) :]:
        ax.set_visible(False)
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles[::-1], names[::-1], loc="upper left", ncols=2, bbox_to_anchor=(0.0, 1.0))
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.35 / (panel_h * nrows + 0.5)))
    return fig


def fig_age_pyramid(age_sex: pd.DataFrame, census: pd.DataFrame | None, tier: str) -> Figure:
    """Personas per five-year band and sex, with the census pyramid (scaled to the tier) as outlines."""
    bands = list(range(15, PYRAMID_TOP + 1, 5))
    pivot = (
        age_sex.pivot_table(index="band", columns="sex", values="n", aggfunc="sum").reindex(bands).fillna(0)
    )
    male = pivot.get("male", pd.Series(0, index=bands))
    female = pivot.get("female", pd.Series(0, index=bands))
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    y = list(range(len(bands)))
    ax.barh(y, -male.to_numpy(), color="#4C72B0", height=0.85, label=f"Men ({int(male.sum()):,})")
    ax.barh(y, female.to_numpy(), color="#DD8452", height=0.85, label=f"Women ({int(female.sum()):,})")
    lim = max(male.max(), female.max())
    if census is not None and not census.empty:
        total = float(male.sum() + female.sum())
        expected = (
            census.pivot_table(index="band", columns="sex", values="share", aggfunc="sum")
            .reindex(bands)
            .fillna(0)
            * total
        )
        for sign, sex in ((-1, "male"), (1, "female")):
            ax.barh(
                y,
                sign * expected.get(sex, pd.Series(0, index=bands)).to_numpy(),
                height=0.85,
                fill=False,
                edgecolor="#111111",
                linewidth=1.0,
                label="Census (NBS 2024, same total)" if sex == "male" else None,
            )
        lim = max(lim, expected.to_numpy().max())
    names = [f"{b}–{b + 4}" for b in bands]
    names[0], names[-1] = "18–19", f"{PYRAMID_TOP}+"
    ax.set_yticks(y, names)
    lim = lim * 1.1 or 1
    ax.set_xlim(-lim, lim)
    ticks = ax.get_xticks()
    ax.set_xticks(ticks, [f"{abs(int(t)):,}".replace(",", " ") for t in ticks])
    ax.set_xlim(-lim, lim)
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_xlabel("Personas (men left, women right)")
    ax.set_ylabel("Age (years)")
    ax.set_title(f"Age pyramid, {tier}", loc="left")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper right")
    fig.tight_layout()
    return fig


def fig_raions(raions: pd.DataFrame, tier: str) -> Figure:
    order = [r for r in REGION_COLORS if r in set(raions["region"])]
    order += sorted(set(raions["region"]) - set(order))
    df = raions.assign(_r=raions["region"].map({r: i for i, r in enumerate(order)}))
    df = df.sort_values(["_r", "n"], ascending=[False, True]).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, 0.6 + 0.2 * len(df)))
    colors = [REGION_COLORS.get(r, "#777777") for r in df["region"]]
    ax.barh(df.index, df["n"], color=colors, height=0.75)
    if df["expected_n"].notna().any():
        ax.scatter(
            df["expected_n"],
            df.index,
            marker="|",
            s=90,
            color="#111111",
            zorder=3,
            label="Expected from the census",
        )
    ax.set_yticks(df.index, df["raion"])
    ax.set_ylim(-0.6, len(df) - 0.4)
    ax.set_xlabel("Personas")
    ax.set_title(f"Personas per raion, coloured by development region, {tier}", loc="left")
    ax.grid(axis="y", visible=False)
    from matplotlib.patches import Patch

    region_en = {"Chisinau": "Chișinău mun.", "Gagauzia": "ATU Gagauzia"}
    handles = [Patch(color=REGION_COLORS.get(r, "#777777"), label=region_en.get(r, r)) for r in order]
    marker = ax.get_legend_handles_labels()[0]
    ax.legend(handles=handles + marker, loc="lower right")
    fig.tight_layout()
    return fig


def fig_openings(openings: pd.DataFrame) -> Figure:
    df = openings.sort_values("share_of_personas")
    fig, ax = plt.subplots(figsize=(7.5, 0.8 + 0.32 * len(df)))
    ax.barh(df["opening_move"], df["share_of_personas"] * 100, color=SYNTH_COLOR, height=0.7)
    uniform = float(df["uniform_share"].iloc[0]) * 100 if len(df) else 0
    ax.axvline(uniform, color="#C44E52", linestyle="--", linewidth=1, label=f"Uniform ({uniform:.1f}%)")
    ax.set_xlabel("Personas (%)")
    ax.set_title("Opening moves of the persona summary", loc="left")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def fig_top_anchors(anchors: pd.DataFrame, top: int = 30) -> Figure:
    df = anchors.head(top).iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.8 + 0.22 * len(df)))
    ax.barh(df["anchor"], df["share_of_personas"] * 100, color=SYNTH_COLOR, height=0.7)
    if len(anchors):
        cap = float(anchors["cap_share"].iloc[0]) * 100
        over = float(anchors["overuse_share"].iloc[0]) * 100
        ax.axvline(cap, color="#DD8452", linestyle="--", linewidth=1, label=f"Cap, warn ({cap:g}%)")
        ax.axvline(over, color="#C44E52", linestyle="--", linewidth=1, label=f"Overuse, error ({over:g}%)")
        ax.set_xlim(0, max(over * 1.08, float(df["share_of_personas"].max()) * 108))
    ax.set_xlabel("Personas whose text carries the anchor (%)")
    ax.set_title(f"Top {len(df)} local anchors", loc="left")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def fig_anchor_distribution(anchors: pd.DataFrame, rare_share: float = 0.01) -> Figure:
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    shares = anchors["share_of_personas"] * 100
    ax.hist(shares, bins=30, color=SYNTH_COLOR, edgecolor="white")
    ax.axvline(
        rare_share * 100, color="#555555", linestyle=":", linewidth=1.2, label=f"Rare (< {rare_share:.0%})"
    )
    ax.set_xlabel("Share of personas using the anchor (%)")
    ax.set_ylabel("Anchors")
    n_rare = int(anchors["is_rare"].sum()) if "is_rare" in anchors else 0
    ax.set_title(f"Anchor use: {len(anchors)} anchors, {n_rare} rare", loc="left")
    ax.legend(loc="upper right")
    fig.tight_layout()
    return fig


def fig_field_lengths(lengths: pd.DataFrame, targets: dict[str, tuple[float, float]]) -> Figure:
    fields = [f for f in NARRATIVE_FIELDS if f in lengths.columns]
    ncols = 3
    nrows = -(-len(fields) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(11, 2.3 * nrows + 0.4), squeeze=False)
    for ax, name in zip(axes.flat, fields, strict=False):
        values = lengths[name]
        low, high = targets.get(name, (None, None))
        if low is not None:
            ax.axvspan(low, high, color="#55A868", alpha=0.15, label="Target band")
        is_list = name.endswith("_list")
        if is_list:
            top = int(max(values.max(), high or 0)) + 1
            bins = [b - 0.5 for b in range(0, top + 2)]
        else:
            top = max(float(values.max()), float(high or 0))
            bins = 30
        data_range = None if is_list else (float(values.min()), float(values.max()) + 1)
        ax.hist(values, bins=bins, range=data_range, color=SYNTH_COLOR)
        ax.set_xlim(left=0, right=None if is_list else top * 1.03)
        ax.set_title(name, loc="left", fontsize=9)
        ax.set_xlabel("items" if is_list else "characters")
        ax.set_ylabel("Personas")
    for ax in list(axes.flat)[len(fields) :]:
        ax.set_visible(False)
    handles, names = axes.flat[0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, names, loc="upper right")
    fig.suptitle("Length of each narrative field vs its target band", x=0.01, ha="left", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    return fig


def fig_latency(batches: pd.DataFrame, tier: str) -> Figure:
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    x = batches["batch_index"]
    for col, name, style in (
        ("p50_latency_ms", "p50", "-"),
        ("p95_latency_ms", "p95", "--"),
        ("p99_latency_ms", "p99", ":"),
        ("mean_latency_ms", "mean", "-."),
    ):
        ax.plot(x, batches[col], style, marker="o", markersize=3, label=name)
    ax.set_xlabel("Batch (persona_index // checkpoint interval)")
    ax.set_ylabel("Latency of non-cached attempts (ms)")
    ax.set_ylim(bottom=0)
    if len(x) <= 20:
        ax.set_xticks(list(x))
    ax.set_title(f"Generation latency percentiles per batch, {tier}", loc="left")
    ax.legend(loc="upper right", ncols=4)
    fig.tight_layout()
    return fig


def fig_fairness(fairness: pd.DataFrame, labels: dict[tuple[str, str], str]) -> Figure:
    df = fairness.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.5, 0.9 + 0.24 * len(df)))
    colors = [
        "#C44E52" if s == "critical" else ("#DD8452" if s == "warning" else SYNTH_COLOR)
        for s in df["severity"]
    ]
    ax.barh(df.index, df["relative_deviation"] * 100, color=colors, height=0.7)
    bound = float(df["max_relative_deviation"].max()) * 100 if len(df) else 15
    ax.axvspan(-bound, bound, color="#55A868", alpha=0.1, label=f"±{bound:g}% tolerance")
    names = [
        f"{_label(labels, d, str(c))} ({d})" for d, c in zip(df["dimension"], df["category"], strict=True)
    ]
    ax.set_yticks(df.index, names)
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_xlabel("Relative deviation from the census share (%)")
    ax.set_title("Safety gate 3: ethnicity and religion shares vs census", loc="left")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------------------------- assembly


@dataclass
class Section:
    section_id: str
    title: str
    plots: list[Plot] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    tables_after: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def table(
    df: pd.DataFrame, caption: str, formats: dict[str, str] | None = None, names: dict[str, str] | None = None
) -> dict[str, Any]:
    """A DataFrame as template rows (strings), numeric columns right-aligned; `names` renames headers."""
    formats = formats or {}
    names = names or {}
    rows = []
    for rec in df.to_dict("records"):
        row = []
        for col, value in rec.items():
            if value is None or (isinstance(value, float) and pd.isna(value)):
                row.append(("", ""))
            elif isinstance(value, bool):
                row.append(("yes", "ok") if value else ("no", "bad"))
            elif str(value) in ("critical", "fail"):
                row.append((str(value), "bad"))
            elif col in formats:
                row.append((format(value, formats[col]), ""))
            elif isinstance(value, float):
                row.append((f"{value:.4g}", ""))
            else:
                row.append((str(value), ""))
        rows.append(row)
    numeric = [
        pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]) for c in df.columns
    ]
    columns = [names.get(c, c) for c in df.columns]
    return {"caption": caption, "columns": columns, "rows": rows, "numeric": numeric}


def _fit_sections(con: duckdb.DuckDBPyConnection, tier: str, labels: dict) -> tuple[Section, dict[str, Any]]:
    sec = Section("fit", "Census fit: synthetic vs census shares")
    gate: dict[str, Any] = {"status": "not built", "detail": "rpt_census_fit is not built (run `make run`)"}
    fit = query_census_fit(con, tier)
    cells = query_fit_cells(con, tier)
    if fit is None:
        sec.notes.append("rpt_census_fit: not built (run `make run`).")
    elif not len(fit):
        gate["detail"] = (
            "rpt_census_fit has no row for this tier: rebuild the fit marts"
            " (dbt build --select models/marts/fit)"
        )
        sec.notes.append(gate["detail"] + ".")
    else:
        ok = fit["is_within_tolerance"].astype(bool) & fit["is_within_group_tolerance"].astype(bool)
        n_ok = int(ok.sum())
        failed = list(fit.loc[~ok, "census_table"])
        gate = {
            "status": "pass" if not failed else "fail",
            "detail": f"{n_ok} of {len(fit)} census tables within tolerance"
            + (f"; failing: {', '.join(failed)}" if failed else ""),
        }
        sec.tables.append(
            table(
                fit,
                "rpt_census_fit: a table fails when p <= 0.05 or its largest deviation exceeds the limit"
                " (pp of the tier), or, from 25K, when a share inside a group of 500+ personas is off by"
                " more than the within-group limit (pp of the group, the scale of the plots below; the"
                " group named with its size).",
                {
                    "p_value": ".4f",
                    "chi_square": ".2f",
                    "srmse": ".4f",
                    "max_abs_deviation_pp": ".3f",
                    "max_within_group_deviation_pp": ".2f",
                },
                {
                    "census_table": "census table",
                    "n_cells": "cells",
                    "chi_square": "chi²",
                    "degrees_of_freedom": "df",
                    "p_value": "p",
                    "srmse": "SRMSE",
                    "max_abs_deviation_pp": "max |dev| pp",
                    "deviation_threshold_pp": "limit pp",
                    "is_within_tolerance": "within tolerance",
                    "max_within_group_deviation_pp": "max |dev| in group pp",
                    "within_group_deviation_group": "group (personas)",
                    "within_group_threshold_pp": "group limit pp",
                    "is_within_group_tolerance": "within group tolerance",
                },
            )
        )
    if cells is not None:
        for census_table in dict.fromkeys(cells["census_table"]):
            sub = cells[cells["census_table"] == census_table]
            if census_table in UNIT_HEADLINES:
                sub = headline_by_unit(sub, *UNIT_HEADLINES[census_table])
            title = TABLE_TITLES.get(census_table, census_table)
            sec.plots.append(
                figure_to_plot(
                    fig_census_table(sub, census_table, tier, labels),
                    f"fit-{census_table}",
                    f"{title} ({census_table})",
                    f"Bar chart of {census_table}: share of the {tier} personas (blue) next to the census "
                    f"target share (grey) for each of {sub['category'].nunique()} categories"
                    f" in {sub['group_value'].nunique()} group(s).",
                )
            )
    return sec, gate


def _population_section(con: duckdb.DuckDBPyConnection, tier: str) -> Section:
    sec = Section("population", "Age pyramid and raions")
    sec.plots.append(
        figure_to_plot(
            fig_age_pyramid(query_age_sex(con, tier), query_census_age_sex(con), tier),
            "age-pyramid",
            "Age pyramid by sex",
            f"Population pyramid of the {tier} personas: five-year age bands from 18 to 85+, men to the "
            "left and women to the right, with the census pyramid (same total) as black outlines.",
            "Census: NBS adult population estimate of 1 January 2024 by five-year band, split by sex "
            "(stg_assumptions__assumption_age_sex_adults_2024).",
        )
    )
    raions = query_raions(con, tier)
    sec.plots.append(
        figure_to_plot(
            fig_raions(raions, tier),
            "raions",
            "Personas per raion",
            f"Horizontal bars of personas per raion for {tier}, coloured by development region, with a black "
            "tick at the count the census implies.",
        )
    )
    return sec


def _release_gates(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    gates: list[dict[str, Any]] = []
    contract = query_release_contract(con)
    if contract is None:
        gates.append(
            {"name": "Release contract", "status": "not built", "detail": "rpt_release_contract not built"}
        )
    else:
        n_ok = int(contract["passed"].sum())
        gates.append(
            {
                "name": "Release contract (rpt_release_contract)",
                "status": "pass" if n_ok == len(contract) else "fail",
                "detail": f"{n_ok} of {len(contract)} guards pass",
            }
        )
    safety = query_safety(con)
    if safety["summary"] is None:
        gates.append({"name": "Safety", "status": "not built", "detail": "rpt_safety_summary not built"})
    else:
        summ = safety["summary"]
        gates.append(
            {
                "name": "Safety (rpt_safety_summary)",
                "status": "pass" if bool(summ["passed"].all()) else "fail",
                "detail": f"{summ['n_critical'].sum()} critical, {summ['n_warning'].sum()} warning(s)",
            }
        )
    return gates


def _narrative_section(con: duckdb.DuckDBPyConnection, tier: str, labels: dict) -> Section:
    narr = Section("narratives", "Narratives: opening moves, anchors and lengths")
    openings = query_openings(con)
    if openings is None:
        narr.notes.append("rpt_quality_openings: not built.")
    else:
        narr.plots.append(
            figure_to_plot(
                fig_openings(openings),
                "openings",
                "Opening moves",
                f"Bar chart of the share of personas per opening move ({len(openings)} moves) against the "
                "uniform share (dashed line).",
            )
        )
    anchors = query_anchors(con)
    if anchors is None:
        narr.notes.append("rpt_quality_anchors: not built.")
    else:
        narr.plots.append(
            figure_to_plot(
                fig_top_anchors(anchors),
                "anchors-top",
                "Most used anchors",
                "Horizontal bars of the 30 most used local anchors (Romanian place, food and custom names) "
                "as a share of personas, with the warn cap and the overuse bound as dashed lines.",
            )
        )
        narr.plots.append(
            figure_to_plot(
                fig_anchor_distribution(anchors),
                "anchors-distribution",
                "Distribution of anchor use",
                "Histogram of how many anchors reach each share of personas, with the rare-anchor "
                "threshold as a dotted line.",
            )
        )
    stats = query_field_stats(con)
    lengths = query_field_lengths(con)
    if lengths is None or not len(lengths):
        narr.notes.append("fct_personas: not built or no narrated persona; no length histograms.")
    else:
        if stats is not None and len(stats):
            targets = {r.field: (r.target_min, r.target_max) for r in stats.itertuples()}
        else:
            from moldova_personas.narration.validators import LENGTH_TARGETS

            targets = dict(LENGTH_TARGETS)
        narr.plots.append(
            figure_to_plot(
                fig_field_lengths(lengths, targets),
                "field-lengths",
                "Narrative field lengths",
                f"Twelve histograms, one per narrative field, of text length in characters (items for the "
                f"two lists) over {len(lengths):,} narrated personas, with the target band shaded green.",
            )
        )
    if stats is not None:
        narr.tables_after.append(
            table(
                stats,
                "rpt_quality_field_stats: length percentiles (characters; items for lists), share on target.",
                {"share_on_target": ".1%"},
                {
                    "target_min": "target min",
                    "target_max": "target max",
                    "p05_chars": "p5",
                    "p50_chars": "p50",
                    "p95_chars": "p95",
                    "share_on_target": "on target",
                },
            )
        )
    return narr


def _generation_section(con: duckdb.DuckDBPyConnection, tier: str, labels: dict) -> Section:
    gen = Section("generation", "Generation: latency and rates per batch")
    batches = query_batches(con, tier)
    if batches is None or not len(batches):
        gen.notes.append("fct_generation_batches: not built or no batch for this tier.")
    else:
        gen.plots.append(
            figure_to_plot(
                fig_latency(batches, tier),
                "latency",
                "Latency percentiles per batch",
                f"Line chart of p50, p95, p99 and mean latency in milliseconds over {len(batches)} batches.",
                "Latency of attempts answered from the response cache is left out.",
            )
        )
        gen.tables_after.append(
            table(
                batches.drop(columns=["first_persona_index", "last_persona_index"]),
                "fct_generation_batches: rates per persona; latency of non-cached attempts (ms).",
                {
                    "success_rate": ".1%",
                    "repair_rate": ".1%",
                    "mean_latency_ms": ".0f",
                    "p50_latency_ms": ".0f",
                    "p95_latency_ms": ".0f",
                    "p99_latency_ms": ".0f",
                },
                {
                    "batch_index": "batch",
                    "n_personas": "personas",
                    "n_paid_attempts": "paid attempts",
                    "success_rate": "success",
                    "repair_rate": "repair",
                    "mean_latency_ms": "mean ms",
                    "p50_latency_ms": "p50 ms",
                    "p95_latency_ms": "p95 ms",
                    "p99_latency_ms": "p99 ms",
                },
            )
        )
    return gen


def _safety_section(con: duckdb.DuckDBPyConnection, tier: str, labels: dict) -> Section:
    safety = query_safety(con)
    saf = Section("safety", "Safety")
    if all(v is None for v in safety.values()):
        saf.notes.append("Safety marts: not built.")
    else:
        if safety["summary"] is not None:
            saf.tables.append(table(safety["summary"], "rpt_safety_summary: one row per gate."))
        else:
            saf.notes.append("rpt_safety_summary: not built.")
        if safety["fairness"] is not None and len(safety["fairness"]):
            saf.plots.append(
                figure_to_plot(
                    fig_fairness(safety["fairness"], labels),
                    "fairness",
                    "Ethnicity and religion shares vs census",
                    "Horizontal bars of the relative deviation of each ethnicity and religion share from the "
                    "census, inside a shaded tolerance band.",
                    "Blue: ok; orange: warning (too few expected personas to judge); red: critical.",
                )
            )
        elif safety["fairness"] is None:
            saf.notes.append("rpt_safety_fairness: not built.")
        findings = safety["findings"]
        if findings is None:
            saf.notes.append("fct_safety_findings: not built.")
        elif not len(findings):
            saf.notes.append("fct_safety_findings: no finding (no sensitive claim, no PII).")
        else:
            saf.tables_after.append(table(findings, "fct_safety_findings (first 50, critical first)."))
    return saf


def _release_section(con: duckdb.DuckDBPyConnection, tier: str, labels: dict) -> Section:
    contract = query_release_contract(con)
    rel = Section("release", "Release contract")
    if contract is None:
        rel.notes.append("rpt_release_contract: not built.")
    else:
        rel.tables.append(
            table(
                contract.drop(columns=["metric"]),
                "rpt_release_contract: one row per guard (failing guards first).",
                {"baseline_value": ".4g", "candidate_value": ".4g"},
                {"baseline_value": "baseline", "candidate_value": "candidate"},
            )
        )
    return rel


def _guarded(builder, section_id: str, title: str, *args: Any) -> Section:
    """Build a section; a mart whose shape changed under us becomes a note, not a crash."""
    try:
        return builder(*args)
    except (duckdb.Error, KeyError, ValueError) as exc:
        plt.close("all")
        return Section(section_id, title, notes=[f"Could not read the marts of this section: {exc}"])


def build_tier_report(con: duckdb.DuckDBPyConnection, tier: str, release_tier: str | None) -> dict[str, Any]:
    """Everything the template needs for one tier."""
    _style()
    labels = labels_en(con)
    is_released = tier == release_tier
    header = query_header(con, tier, is_released)
    fit_sec, fit_gate = _fit_sections(con, tier, labels)
    sections = [fit_sec, _population_section(con, tier)]
    gates = [{"name": "Census fit (rpt_census_fit)", **fit_gate}]
    if not is_released:
        note = (
            f"Narrative quality, generation and safety marts describe the released tier ({release_tier}) "
            f"only; see ../{release_tier}/quality_report.html."
            if release_tier
            else "No tier is released in this database (release_cores is not built)."
        )
        sections.append(Section("released-only", "Narratives, generation and safety", notes=[note]))
        return {"header": header, "gates": gates, "sections": sections}

    try:
        gates += _release_gates(con)
    except (duckdb.Error, KeyError, ValueError) as exc:
        gates.append({"name": "Release contract and safety", "status": "not built", "detail": str(exc)})
    for builder, section_id, title in (
        (_narrative_section, "narratives", "Narratives: opening moves, anchors and lengths"),
        (_generation_section, "generation", "Generation: latency and rates per batch"),
        (_safety_section, "safety", "Safety"),
        (_release_section, "release", "Release contract"),
    ):
        sections.append(_guarded(builder, section_id, title, con, tier, labels))
    return {"header": header, "gates": gates, "sections": sections}


def render_html(context: dict[str, Any]) -> str:
    source = (
        resources.files("moldova_personas.release").joinpath("templates/report.html.j2").read_text("utf-8")
    )
    env = jinja2.Environment(
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined
    )
    context = {**context, "n_plots": sum(len(s.plots) for s in context["sections"])}
    return env.from_string(source).render(**context)


def connect_read_only(db_path: Path) -> duckdb.DuckDBPyConnection:
    if not db_path.exists():
        raise ReportError(f"database {db_path} not found: run `make run` first to build it.")
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:  # e.g. a dbt run holds the write lock
        raise ReportError(
            f"cannot open {db_path} read-only ({exc}); wait for the running build to end."
        ) from exc
    # A missing relation must be an error, never a scan of a Python variable of the same name.
    con.execute("set python_enable_replacements = false")
    return con


def build_reports(db_path: Path, out_dir: Path) -> list[Path]:
    """Write <out_dir>/<tier>/quality_report.html for the released tier and every tier with cores."""
    con = connect_read_only(Path(db_path))
    try:
        tiers = built_tiers(con)
        if not tiers:
            raise ReportError(f"no tier with cores in {db_path}: run `make run` first.")
        release = released_tier(con)
        written = []
        for tier in tiers:
            html = render_html(build_tier_report(con, tier, release))
            path = Path(out_dir) / tier / "quality_report.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
            written.append(path)
        return written
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m moldova_personas.release.report", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--db", default="moldova_personas.duckdb", type=Path, help="DuckDB file (read-only)")
    parser.add_argument("--out", default="reports", type=Path, help="output folder")
    args = parser.parse_args(argv)
    try:
        paths = build_reports(args.db, args.out)
    except ReportError as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 2
    for path in paths:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
