"""The perception survey's analysis, as seed 000 and issue 8 define it. Pure and vectorised:
answers become one respondents × items matrix (NaN where an item was not answered) and every
figure is a weighted sum over its rows.

- weights: a respondent of primary participant type t weighs ``w = (N_t / N) / (n_t / n)``
  (N, N_t from the population of members; n, n_t from the respondents);
- item mean: the weighted mean of the answers to the item; by community type (eup, myeon,
  dong) the same over that type's respondents;
- scale score of a respondent: the plain mean of the scale's items they answered; a scale's
  mean is the weighted mean of those scores;
- agree / neither / disagree: weighted shares (0–1) of the answers 5–7, 4 and 1–3;
- quintiles: communities with at least 3 respondents (and a score on the scale) are ranked by
  their weighted mean score on the scale, ascending, ties by community code; rank r of m is in
  quintile ``floor(5 r / m)``; top20 / bottom20 are the weighted means over the respondents of
  the communities in quintile 4 / 0 and gap is top20 − bottom20. An item's quintiles are its
  scale's; an intent item (no scale) has none.

A figure that has no respondents behind it is None (JSON null), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl
from django.utils.translation import gettext as _

from maeul.errors import DomainError

COMMUNITY_TYPES = ("eup", "myeon", "dong")
#: Communities with fewer respondents than this are left out of the quintile ranking.
QUINTILE_MIN_RESPONDENTS = 3
RESPONSE_COLUMNS = (
    "respondent",
    "community",
    "community_type",
    "participant_type",
    "item",
    "answer",
)


class SurveyInputError(DomainError):
    """The survey's files or rows cannot be analysed as given."""


@dataclass(frozen=True)
class Item:
    item: str
    scale: str | None
    text_ko: str = ""
    text_en: str = ""


@dataclass
class SurveyResult:
    """The analysis. `as_json()` is the contract of `survey_analyse --json`; the rest feeds the
    tables, charts and the flags of communities for intensive support."""

    items: dict[str, dict]
    scales: dict[str, dict]
    communities: dict[str, dict[str, float | None]]
    respondents: int
    #: scale → community code → quintile (0 = bottom 20 %, 4 = top 20 %) of the ranked ones.
    quintiles: dict[str, dict[str, int]] = field(default_factory=dict)
    #: community code → (community type, respondents).
    community_info: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: participant type → (members N_t, respondents n_t, weight w_t).
    weights: dict[str, tuple[int, int, float | None]] = field(default_factory=dict)
    #: community type → respondents.
    respondents_by_type: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "items": self.items,
            "scales": self.scales,
            "communities": self.communities,
            "respondents": self.respondents,
        }

    def flagged(self) -> dict[str, list[str]]:
        """Community code → the scales on which it is in the bottom quintile (seed 000: those
        communities get intensive support)."""
        out: dict[str, list[str]] = {}
        for scale, ranks in self.quintiles.items():
            for code, quintile in ranks.items():
                if quintile == 0:
                    out.setdefault(code, []).append(scale)
        return dict(sorted(out.items()))


def _num(value: float) -> float | None:
    return None if not np.isfinite(value) else float(value)


def _wsum(weights: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Weighted column sums (`weights` one row or k rows over the respondents). Not `@`:
    BLAS's threads spin for these thin products and, on a busy machine, one call took seconds
    of wall time for milliseconds of work; einsum's single loop takes ~0.1 s at 50,000 × 60."""
    return np.einsum("...n,nm->...m", weights, values.astype(float, copy=False))


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _where(rows: np.ndarray, limit: int = 5) -> str:
    """File line numbers (header = line 1) of the first offending rows."""
    return ", ".join(str(int(i) + 2) for i in rows[:limit])


def _coded(
    column: pl.Series, choices: list[str], *, code: str, message: str, blank_ok: bool = False
) -> np.ndarray:
    """Index of each value in `choices` (-1 for a blank where `blank_ok`); a value outside
    them (surrounding spaces aside) is refused with its file line."""
    text = column.cast(pl.Utf8).fill_null("")
    coded = text.cast(pl.Enum(choices), strict=False)
    if coded.null_count() and (text != "").any():
        text = text.str.strip_chars()  # the slow path, only for untidy files
        coded = text.cast(pl.Enum(choices), strict=False)
    bad = coded.is_null() & ((text != "") if blank_ok else pl.Series([True] * len(text)))
    if bad.any():
        rows = np.flatnonzero(bad.to_numpy())
        raise SurveyInputError(code, message % {"value": text[int(rows[0])], "rows": _where(rows)})
    return coded.to_physical().fill_null(-1).cast(pl.Int64).to_numpy()


def _dense(column: pl.Series, what: str) -> tuple[np.ndarray, list[str]]:
    """Codes 0..m-1 in the order of the sorted values (surrounding spaces aside), and the
    values. Hashes the column once against its own distinct values, never sorts it."""
    text = column.cast(pl.Utf8).fill_null("")
    raw = text.unique().sort()
    stripped = raw.str.strip_chars()
    names = stripped.unique().sort()
    raw_to_name = stripped.cast(pl.Enum(names.to_list())).to_physical().cast(pl.Int64).to_numpy()
    codes = raw_to_name[text.cast(pl.Enum(raw.to_list())).to_physical().cast(pl.Int64).to_numpy()]
    if names[0] == "":
        rows = np.flatnonzero(codes == 0)
        raise SurveyInputError(
            "blank_value",
            _("%(what)s is required (rows %(rows)s).") % {"what": what, "rows": _where(rows)},
        )
    return codes, names.to_list()


def _per_respondent(codes: np.ndarray, values: np.ndarray, n: int) -> tuple[np.ndarray, int]:
    """Each respondent's value, and a respondent whose rows disagree (-1 if none)."""
    first = np.empty(n, dtype=values.dtype)
    first[codes] = values
    clash = np.flatnonzero(first[codes] != values)
    return first, (int(codes[clash[0]]) if len(clash) else -1)


@dataclass
class _Coded:
    names: list[str]  # respondents, sorted
    codes: list[str]  # communities, sorted
    community: np.ndarray  # per respondent: index into codes
    community_type: np.ndarray  # per respondent: index into COMMUNITY_TYPES
    participant: np.ndarray  # per respondent: index into the population's types
    answers: np.ndarray  # respondents × items, NaN where not answered


def _encode(responses: pl.DataFrame, items: list[str], types: list[str]) -> _Coded:
    missing = [c for c in RESPONSE_COLUMNS if c not in responses.columns]
    if missing:
        raise SurveyInputError(
            "missing_columns",
            _("The responses lack the column(s): %(columns)s.") % {"columns": ", ".join(missing)},
        )
    if responses.height == 0:
        raise SurveyInputError("no_responses", _("There are no responses to analyse."))
    r, names = _dense(responses["respondent"], _("The respondent"))
    c, codes = _dense(responses["community"], _("The community"))
    ctype = _coded(
        responses["community_type"],
        list(COMMUNITY_TYPES),
        code="unknown_community_type",
        message=_("Unknown community type %(value)r (rows %(rows)s): use eup, myeon or dong."),
    )
    item = _coded(
        responses["item"],
        items,
        code="unknown_item",
        message=_("Unknown item %(value)r (rows %(rows)s): not in the instrument."),
    )
    ptype = _coded(
        responses["participant_type"],
        types,
        code="unknown_participant_type",
        message=_("Unknown participant type %(value)r (rows %(rows)s): not in the population."),
    )
    answer = _coded(
        responses["answer"],
        [str(i) for i in range(1, 8)],
        code="answer_out_of_range",
        message=_("Answer %(value)r out of range (rows %(rows)s): answers are whole numbers 1–7."),
        blank_ok=True,
    )
    n = len(names)
    per = {}
    for key, values in (("community", c), ("community_type", ctype), ("participant", ptype)):
        per[key], clash = _per_respondent(r, values, n)
        if clash >= 0:
            raise SurveyInputError(
                "inconsistent_respondent",
                _(
                    "Respondent %(value)r has more than one community, community type or "
                    "participant type: each respondent has one of each."
                )
                % {"value": names[clash]},
            )
    comm_type, clash = _per_respondent(per["community"], per["community_type"], len(codes))
    if clash >= 0:
        raise SurveyInputError(
            "inconsistent_community",
            _("Community %(value)r is given more than one community type.")
            % {"value": codes[clash]},
        )
    given = answer >= 0
    slot = r[given] * len(items) + item[given]
    seen = np.bincount(slot, minlength=n * len(items))
    if (seen > 1).any():
        twice = np.flatnonzero(given)[np.flatnonzero(seen[slot] > 1)]
        raise SurveyInputError(
            "duplicate_answer",
            _("Respondent %(value)r answers item %(item)r more than once (rows %(rows)s).")
            % {"value": names[r[twice[0]]], "item": items[item[twice[0]]], "rows": _where(twice)},
        )
    matrix = np.full(n * len(items), np.nan)
    matrix[slot] = answer[given] + 1.0
    return _Coded(
        names=names,
        codes=codes,
        community=per["community"],
        community_type=per["community_type"],
        participant=per["participant"],
        answers=matrix.reshape(n, len(items)),
    )


def analyse(
    *, items: list[Item], responses: pl.DataFrame, population: dict[str, int]
) -> SurveyResult:
    """Analyse the answers (`responses`: one row per answer, the columns of
    `RESPONSE_COLUMNS`, as text or numbers; a blank answer counts the respondent but no
    answer) against the instrument and the population of members per participant type."""
    if not items:
        raise SurveyInputError("empty_instrument", _("The instrument has no items."))
    item_codes = [i.item for i in items]
    if len(set(item_codes)) != len(item_codes):
        raise SurveyInputError("duplicate_item", _("An item appears twice in the instrument."))
    if not population or any(members < 0 for members in population.values()):
        raise SurveyInputError(
            "bad_population", _("The population needs member counts, none negative.")
        )
    types = sorted(population)
    coded = _encode(responses, item_codes, types)
    n = len(coded.names)
    p_idx = coded.participant

    # Weights from the participant-type cells.
    n_t = np.bincount(p_idx, minlength=len(types)).astype(float)
    N_t = np.array([population[t] for t in types], dtype=float)
    N = N_t.sum()
    empty = [types[i] for i in range(len(types)) if n_t[i] > 0 and N_t[i] == 0]
    if empty:
        raise SurveyInputError(
            "empty_stratum",
            _("Participant type %(value)r has respondents but no members in the population.")
            % {"value": empty[0]},
        )
    w_t = _ratio(N_t / N if N else np.zeros_like(N_t), n_t / n)
    w = w_t[p_idx]

    A = coded.answers
    present = ~np.isnan(A)
    A0 = np.where(present, A, 0.0)
    presentf = present.astype(float)

    def wmean(rowweights: np.ndarray, zeroed: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Weighted means by column; `zeroed` has 0 where `mask` (as 0/1) is 0."""
        return _ratio(_wsum(rowweights, zeroed), _wsum(rowweights, mask))

    type_masks = {t: coded.community_type == k for k, t in enumerate(COMMUNITY_TYPES)}

    # One product for the overall column and the three community types.
    W = np.stack([w, *(w * m for m in type_masks.values())])
    item_cols = wmean(W, A0, presentf)
    item_mean = item_cols[0]
    item_by_type = {t: item_cols[1 + k] for k, t in enumerate(type_masks)}
    den = _wsum(w, presentf)
    shares = {
        "agree": _ratio(_wsum(w, A0 >= 5), den),
        "neither": _ratio(_wsum(w, A0 == 4), den),
        "disagree": _ratio(_wsum(w, (A0 <= 3) & present), den),
    }

    # Scale scores per respondent.
    scales: list[str] = []
    for it in items:
        if it.scale and it.scale not in scales:
            scales.append(it.scale)
    S = np.full((n, len(scales)), np.nan)
    for j, scale in enumerate(scales):
        cols = [k for k, it in enumerate(items) if it.scale == scale]
        S[:, j] = _ratio(A0[:, cols].sum(axis=1), present[:, cols].sum(axis=1))
    s_present = ~np.isnan(S)
    S0 = np.where(s_present, S, 0.0)
    s_presentf = s_present.astype(float)
    scale_cols = wmean(W, S0, s_presentf)
    scale_mean = scale_cols[0]
    scale_by_type = {t: scale_cols[1 + k] for k, t in enumerate(type_masks)}

    # Communities: weighted mean score per scale, ranking, quintiles.
    codes = coded.codes
    c_idx = coded.community
    m_all = len(codes)
    resp_count = np.bincount(c_idx, minlength=m_all)
    comm_scores = np.full((m_all, len(scales)), np.nan)
    for j in range(len(scales)):
        ok = s_present[:, j]
        comm_scores[:, j] = _ratio(
            np.bincount(c_idx[ok], weights=(w * S[:, j])[ok], minlength=m_all),
            np.bincount(c_idx[ok], weights=w[ok], minlength=m_all),
        )

    quintiles: dict[str, dict[str, int]] = {}
    resp_quintile = np.full((n, len(scales)), -1, dtype=np.int64)
    for j, scale in enumerate(scales):
        eligible = np.flatnonzero(
            (resp_count >= QUINTILE_MIN_RESPONDENTS) & ~np.isnan(comm_scores[:, j])
        )
        order = eligible[np.lexsort((eligible, comm_scores[eligible, j]))]
        m = len(order)
        q = np.full(m_all, -1, dtype=np.int64)
        if m:
            q[order] = (5 * np.arange(m)) // m
        quintiles[scale] = {codes[i]: int(q[i]) for i in order}
        resp_quintile[:, j] = q[c_idx]

    def group(zeroed: np.ndarray, mask: np.ndarray, qcol: np.ndarray) -> dict[str, np.ndarray]:
        top, bottom = wmean(np.stack([w * (qcol == 4), w * (qcol == 0)]), zeroed, mask)
        return {"top20": top, "bottom20": bottom, "gap": top - bottom}

    scale_groups = [
        group(S0[:, [j]], s_presentf[:, [j]], resp_quintile[:, j]) for j in range(len(scales))
    ]
    item_groups: dict[int, dict[str, float | None]] = {}
    for j, scale in enumerate(scales):
        cols = [k for k, it in enumerate(items) if it.scale == scale]
        g = group(A0[:, cols], presentf[:, cols], resp_quintile[:, j])
        for pos, k in enumerate(cols):
            item_groups[k] = {key: _num(v[pos]) for key, v in g.items()}

    out_items: dict[str, dict] = {}
    for k, it in enumerate(items):
        out_items[it.item] = {
            "mean": _num(item_mean[k]),
            "by_type": {t: _num(item_by_type[t][k]) for t in COMMUNITY_TYPES},
            "agree": _num(shares["agree"][k]),
            "neither": _num(shares["neither"][k]),
            "disagree": _num(shares["disagree"][k]),
            **item_groups.get(k, {"top20": None, "bottom20": None, "gap": None}),
        }
    out_scales: dict[str, dict] = {}
    for j, scale in enumerate(scales):
        out_scales[scale] = {
            "mean": _num(scale_mean[j]),
            "by_type": {t: _num(scale_by_type[t][j]) for t in COMMUNITY_TYPES},
            **{key: _num(v[0]) for key, v in scale_groups[j].items()},
        }
    communities = {
        code: {scale: _num(comm_scores[i, j]) for j, scale in enumerate(scales)}
        for i, code in enumerate(codes)
    }
    comm_type = np.zeros(len(codes), dtype=np.int64)
    comm_type[c_idx] = coded.community_type
    return SurveyResult(
        items=out_items,
        scales=out_scales,
        communities=communities,
        respondents=n,
        quintiles=quintiles,
        community_info={
            c: (COMMUNITY_TYPES[comm_type[i]], int(resp_count[i])) for i, c in enumerate(codes)
        },
        weights={t: (int(N_t[i]), int(n_t[i]), _num(w_t[i])) for i, t in enumerate(types)},
        respondents_by_type={t: int(m.sum()) for t, m in type_masks.items()},
    )
