"""Writes of screening: crisis signals received, outcomes read from the hubs' records, and the
screening run — a background task that scores every household of a gu's dongs, lists per dong
as many as its hub can visit and registers each as a lead (source "screening") with its score
and the signals behind it in plain words. A person decides: the score only orders the list.

Who is never listed (docs/screening.md, "Who is listed"): a household with no signal in the
last ``ACTIVE_DAYS`` (stale signals list nobody), one under case management, one visited in
the last ``VISITED_DAYS``, one that refused a visit in the last ``REFUSAL_DAYS``, one with an
open lead already."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import default_task_backend
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from maeul.accounts.models import Role, User
from maeul.areas.models import Area
from maeul.cases.models import Case
from maeul.discovery.bulk import NewLead, leads_bulk_register
from maeul.discovery.models import Lead
from maeul.errors import DomainError, PermissionDenied
from maeul.people.models import Household, Resident
from maeul.people.selectors import dong_ids_of
from maeul.screening import features as F
from maeul.screening import report
from maeul.screening.catalogue import signal_phrase
from maeul.screening.model import Model, calibration_bins, listed, rule_scores
from maeul.screening.models import Outcome, ScreeningEntry, ScreeningRun, SignalEvent
from maeul.screening.pipeline import InputError, evaluate_events, fit
from maeul.screening.services.records import outcomes_collect, scoped
from maeul.visits.models import Visit

if TYPE_CHECKING:  # Polars loads when a run runs, not with the URLs
    import polars as pl

VISITED_DAYS = 90
REFUSAL_DAYS = 180
HOLDOUT_DAYS = 180
MIN_LABELS = 30  # of each kind, to train a model; fewer: the rule lists
STALE_AFTER = dt.timedelta(minutes=10)
PROGRESS_EVERY = 1.0
VISITING_ROLES = (Role.WELFARE_OFFICIAL, Role.WELFARE_MANAGER, Role.VISITING_NURSE)
#: the lead's crisis signals (discovery's vocabulary) for the codes that have one
LEAD_SIGNALS = {
    "electricity_arrears": "utility_arrears",
    "water_arrears": "utility_arrears",
    "gas_arrears": "utility_arrears",
    "electricity_cut": "utility_disconnection",
    "water_cut": "utility_disconnection",
    "gas_cut": "utility_disconnection",
    "health_insurance_arrears": "health_insurance_arrears",
    "pension_arrears": "pension_arrears",
    "telecom_arrears": "telecom_arrears",
    "rent_arrears": "rent_arrears",
    "maintenance_fee_arrears": "rent_arrears",
    "financial_delinquency": "loan_default",
    "job_loss": "job_loss",
    "business_closure": "business_closure",
    "catastrophic_medical": "medical_expense",
    "housing_vulnerable": "housing_vulnerable",
    "head_death": "head_death",
    "disaster": "disaster",
    "suicide_risk": "suicide_risk",
    "crime_victim": "crime_victim",
}


# Runs ----------------------------------------------------------------------------------------


def _run_dongs(actor: User | None) -> list[int]:
    if actor is None:
        return list(
            Area.objects.filter(level=Area.Level.DONG).order_by("pk").values_list("pk", flat=True)
        )
    if not actor.is_authenticated or actor.role not in (Role.GU_TEAM, Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only the gu team and administrators run a screening."))
    return sorted(dong_ids_of(actor))


def screening_run_abandoned(run: ScreeningRun) -> str:
    """Why a queued or running run will never finish, or "" while it may still."""
    if not run.is_active:
        return ""
    if run.status == ScreeningRun.Status.RUNNING and run.updated_at < timezone.now() - STALE_AFTER:
        return _("The screening stopped without finishing (was the worker stopped?).")
    if not run.task_id or not default_task_backend.supports_get_result:
        return ""
    try:
        result = default_task_backend.get_result(run.task_id)
    except TaskResultDoesNotExist:
        return _("The screening's task is no longer in the queue.")
    if result.status == TaskResultStatus.FAILED:
        return _("The worker could not run the screening.")
    if result.status == TaskResultStatus.SUCCESSFUL:
        return _("The screening's task ended without saving its results.")
    return ""


def screening_run_open(
    *, actor: User | None, as_of: dt.date | None = None, visits_per_staff: int = 4
) -> ScreeningRun:
    """Ask for a screening of the actor's dongs (the command: every dong), queued. Refused
    while another run of the same gu is waiting or running; an abandoned one is failed."""
    if not 1 <= visits_per_staff <= 200:
        raise DomainError(
            "invalid_capacity",
            _("Visits per staff member must be between 1 and 200."),
            field="visits_per_staff",
        )
    as_of = as_of or timezone.localdate()
    if as_of > timezone.localdate():
        raise DomainError(
            "future_date", _("A screening cannot be as of a future day."), field="as_of"
        )
    dongs = _run_dongs(actor)
    with transaction.atomic():
        gus = set(
            Area.objects.select_for_update()
            .filter(pk__in=dongs)
            .values_list("parent_id", flat=True)
        )
        for other in ScreeningRun.objects.filter(status__in=ScreeningRun.ACTIVE):
            other_gus = set(
                Area.objects.filter(pk__in=other.dong_ids).values_list("parent_id", flat=True)
            )
            if not gus & other_gus:
                continue
            reason = screening_run_abandoned(other)
            if reason:
                ScreeningRun.objects.filter(pk=other.pk).update(
                    status=ScreeningRun.Status.FAILED, error=reason, finished_at=timezone.now()
                )
                continue
            raise DomainError(
                "screening_running",
                _("A screening of this gu is already waiting or running; wait for it to end."),
            )
        return ScreeningRun.objects.create(
            actor=actor if actor is not None and actor.is_authenticated else None,
            as_of=as_of,
            visits_per_staff=visits_per_staff,
            dong_ids=dongs,
        )


def screening_start(
    *, actor: User, as_of: dt.date | None = None, visits_per_staff: int = 4
) -> ScreeningRun:
    """The page's button: open a run and queue the task that screens it."""
    from maeul.screening.tasks import screening_task  # tasks import the services they run

    run = screening_run_open(actor=actor, as_of=as_of, visits_per_staff=visits_per_staff)
    result = screening_task.enqueue(run_id=run.pk)
    ScreeningRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.refresh_from_db()
    return run


def screening_run_execute(*, run_id: int) -> ScreeningRun | None:
    """Run a queued run (the task's body; the command calls it too): running, progress at
    most once a second, done with lists and leads in one transaction, or failed with the
    reason and nothing kept. A run no longer queued is left alone: None."""
    now = timezone.now()
    claimed = ScreeningRun.objects.filter(pk=run_id, status=ScreeningRun.Status.QUEUED).update(
        status=ScreeningRun.Status.RUNNING, started_at=now, updated_at=now
    )
    if not claimed:
        return None
    run = ScreeningRun.objects.select_related("actor").get(pk=run_id)
    reported = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal reported
        if 0 < done < total and time.monotonic() - reported < PROGRESS_EVERY:
            return
        reported = time.monotonic()
        ScreeningRun.objects.filter(pk=run_id).update(
            done=done, total=total, updated_at=timezone.now()
        )

    try:
        return screening_run(run=run, progress=progress)
    except Exception as exc:
        message = exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
        ScreeningRun.objects.filter(pk=run_id, status=ScreeningRun.Status.RUNNING).update(
            status=ScreeningRun.Status.FAILED,
            error=str(message)[:2000],
            finished_at=timezone.now(),
        )
        raise


def _capacity(dong_ids: list[int], per_staff: int) -> dict[int, int]:
    """Households each hub can visit for this list: its visiting staff × visits each."""
    staff = dict(
        User.objects.filter(
            home_area_id__in=dong_ids, role__in=VISITING_ROLES, is_active=True, left_on__isnull=True
        )
        .values_list("home_area_id")
        .annotate(n=Count("pk"))
        .values_list("home_area_id", "n")
    )
    return {d: max(1, staff.get(d, 1)) * per_staff for d in dong_ids}


def _heads(household_ids: Iterable[int], on: dt.date) -> dict[int, dict[str, Any]]:
    """Age band, sex and disability of each household's head (the groups compared)."""
    out: dict[int, dict[str, Any]] = {}
    for hid, birth, sex, disability, name in Resident.objects.filter(
        household_id__in=list(household_ids), relation=Resident.Relation.HEAD
    ).values_list("household_id", "birth_date", "sex", "disability", "name"):
        age = (
            None
            if birth is None
            else on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
        )
        out[hid] = {
            "band": report.age_band(age),
            "sex": sex or "?",
            "disability": "yes" if disability else "no",
            "name": name,
        }
    return out


def _labels(dong_ids: list[int], before: dt.date) -> pl.DataFrame:
    import polars as pl  # noqa: PLC0415

    rows = Outcome.objects.filter(
        dong_id__in=dong_ids,
        observed_on__lt=before,
        result__in=[Outcome.Result.IN_NEED, Outcome.Result.NOT_IN_NEED],
    ).values_list("household_id", "observed_on", "result")
    return pl.DataFrame(
        [(h, d, int(r == Outcome.Result.IN_NEED)) for h, d, r in rows],
        schema={"household": pl.Int64, "observed_on": pl.Date, "in_need": pl.Int64},
        orient="row",
    )


def _enough(frame: pl.DataFrame) -> bool:
    if frame.height == 0:
        return False
    positives = int(frame["in_need"].sum())
    return positives >= MIN_LABELS and frame.height - positives >= MIN_LABELS


def screening_run(
    *, run: ScreeningRun, progress: Callable[[int, int], None] | None = None
) -> ScreeningRun:
    """Screen the run's dongs as of its day (see the module's docstring). The reasons are
    written in the project's language (Korean), whoever runs it."""
    with translation.override(settings.LANGUAGE_CODE):
        return _screening_run(run=run, progress=progress)


def _screening_run(
    *, run: ScreeningRun, progress: Callable[[int, int], None] | None = None
) -> ScreeningRun:
    import polars as pl  # noqa: PLC0415 — heavy, loaded when a run runs

    started = time.perf_counter()
    report_progress = progress or (lambda done, total: None)
    dongs = list(run.dong_ids)
    households = list(
        Household.objects.filter(dong_id__in=dongs, anonymised_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "dong_id")
    )
    ids = np.array([h for h, _d in households], dtype=np.int64)
    dong_of = np.array([d for _h, d in households], dtype=np.int64)
    report_progress(0, len(ids))
    outcomes_collect(actor=run.actor, dong_ids=dongs)
    rows = SignalEvent.objects.filter(dong_id__in=dongs, observed_on__lt=run.as_of).values_list(
        "household_id", "signal", "observed_on", "value"
    )
    frame = pl.DataFrame(
        list(rows),
        schema={
            "household": pl.Int64,
            "signal": pl.String,
            "observed_on": pl.Date,
            "value": pl.Float64,
        },
        orient="row",
    )
    events = F.read_signals(F.connect(), frame)
    codes = F.signal_codes(events) if frame.height else []
    capacity = _capacity(dongs, run.visits_per_staff)
    metrics: dict[str, Any] = {"codes": codes, "capacity": {str(k): v for k, v in capacity.items()}}

    labels = _labels(dongs, run.as_of)
    split = run.as_of - dt.timedelta(days=HOLDOUT_DAYS)
    past = labels.filter(pl.col("observed_on") < split)
    later = labels.filter(pl.col("observed_on") >= split)
    if codes and _enough(past) and later.height:
        k = min(sum(capacity.values()), later["household"].n_unique())
        metrics["holdout"] = _holdout(events, labels, codes=codes, split=split, k=k)
    model: Model | None = None
    dong_by_h = dict(households)
    yields: dict[str, Any] | None = None
    if codes and labels.height:
        if _enough(labels):
            model, past_feats, y = fit(events, labels, codes=codes, before=run.as_of)
        else:
            y = labels["in_need"].to_numpy()
            past_feats = F.features_at_points(
                events,
                households=labels["household"].to_numpy(),
                days=labels["observed_on"].to_numpy().astype("datetime64[D]"),
                codes=codes,
            )
        heads = _heads(labels["household"].unique().to_list(), run.as_of)
        hh = labels["household"].to_list()
        visited: dict[str, Any] = {
            "features": past_feats,
            "y": y,
            "dong": [dong_by_h.get(h) for h in hh],
            "band": [heads.get(h, {}).get("band", "?") for h in hh],
        }
        metrics["yield"] = report.signal_yield(**visited)[:80]
        if model is None:
            yields = report.yield_table(**visited)
    feats = F.features_as_of(events, as_of=run.as_of, codes=codes, households=ids)
    if model is not None:
        score = model.predict(feats.X)
    elif yields is not None:
        # too few outcomes for a model: what paid off so far orders the list
        bands = _heads(ids.tolist(), run.as_of)
        score = report.yield_scores(
            features=feats,
            dong=dong_of.tolist(),
            band=[bands.get(int(h), {}).get("band", "?") for h in ids],
            table=yields,
        )
    else:
        score = rule_scores(feats)
    report_progress(len(ids) // 2, len(ids))

    excluded = _excluded(run, ids)
    chosen: list[tuple[int, int, int]] = []  # (row, dong, rank)
    for dong_id in dongs:
        in_dong = np.flatnonzero(dong_of == dong_id)
        picks = listed(
            score[in_dong], feats.active[in_dong], capacity[dong_id], excluded=excluded[in_dong]
        )
        chosen += [(int(in_dong[p]), dong_id, r + 1) for r, p in enumerate(picks)]
    contrib = model.contributions(feats.X[[c[0] for c in chosen]]) if model and chosen else None
    heads = _heads([int(ids[c[0]]) for c in chosen], run.as_of)
    info = {
        h.pk: h
        for h in Household.objects.filter(pk__in=[int(ids[c[0]]) for c in chosen]).only(
            "pk", "address", "address_detail", "dong_id"
        )
    }
    entries, leads = [], []
    for n, (row, dong_id, rank) in enumerate(chosen):
        reasons = _reasons(feats, row, None if contrib is None else contrib[n])
        hid = int(ids[row])
        household = info[hid]
        text = "; ".join(signal_phrase(code, value) for code, value, _c in reasons)
        entries.append((hid, dong_id, rank, float(score[row]), int(feats.active[row]), reasons))
        leads.append(
            NewLead(
                dong_id=dong_id,
                household_id=hid,
                source=Lead.Source.SCREENING.value,
                match=Lead.Match.RRN.value,
                subject_name=heads.get(hid, {}).get("name", ""),
                address=f"{household.address} {household.address_detail}".strip(),
                description=_("Blind-spot screening: %(reasons)s") % {"reasons": text},
                crisis_signals=sorted(
                    {LEAD_SIGNALS[c] for c, _v, _x in reasons if c in LEAD_SIGNALS}
                ),
            )
        )
    with transaction.atomic():
        lead_ids = leads_bulk_register(leads, actor_id=run.actor_id, now=timezone.now())
        ScreeningEntry.objects.bulk_create(
            [
                ScreeningEntry(
                    run=run,
                    lead_id=lead_id,
                    household_id=hid,
                    dong_id=dong_id,
                    rank=rank,
                    score=s,
                    active_signals=active,
                    reasons=reasons,
                )
                for (hid, dong_id, rank, s, active, reasons), lead_id in zip(
                    entries, lead_ids, strict=True
                )
            ]
        )
        run.status = ScreeningRun.Status.DONE
        run.finished_at = timezone.now()
        run.households = len(ids)
        run.listed = len(entries)
        run.leads_created = len(lead_ids)
        run.scorer = "model" if model is not None else "yield" if yields is not None else "rule"
        run.metrics = metrics
        run.done = run.total = len(ids)
        run.seconds = time.perf_counter() - started
        run.save()
    report_progress(len(ids), len(ids))
    return run


def _excluded(run: ScreeningRun, ids: np.ndarray) -> np.ndarray:
    """Households not to list: under case management, visited lately, refused lately, or
    with an open lead."""
    scope = scoped(run.actor, run.dong_ids)
    visited_since = run.as_of - dt.timedelta(days=VISITED_DAYS)
    refused_since = run.as_of - dt.timedelta(days=REFUSAL_DAYS)
    out = set(scope["cases"].filter(status=Case.Status.OPEN).values_list("household_id", flat=True))
    out |= set(
        scope["visits"]
        .filter(status=Visit.Status.DONE, planned_on__gte=visited_since)
        .values_list("household_id", flat=True)
    )
    out |= set(
        Outcome.objects.filter(
            dong_id__in=run.dong_ids,
            result=Outcome.Result.REFUSED,
            observed_on__gte=refused_since,
        ).values_list("household_id", flat=True)
    )
    out |= set(
        Lead.objects.filter(
            Q(dong_id__in=run.dong_ids), status__in=Lead.OPEN_STATUSES, household__isnull=False
        ).values_list("household_id", flat=True)
    )
    return np.isin(ids, np.fromiter(out, dtype=np.int64, count=len(out)))


def _reasons(
    feats: F.Features, row: int, contribution: np.ndarray | None, top: int = 3
) -> list[list[Any]]:
    """The signals behind a household's place: by the model's contribution (positive only),
    else the active signals, most recent first; each with its value of the last year."""
    active = [
        i
        for i, code in enumerate(feats.codes)
        if feats.column(code, "last_days")[row] < F.ACTIVE_DAYS
    ]
    if contribution is not None:
        order = [i for i in np.argsort(-contribution) if contribution[i] > 0 and i in active]
        order += [i for i in active if i not in order]
    else:
        order = sorted(active, key=lambda i: feats.column(feats.codes[i], "last_days")[row])
    out = []
    for i in order[:top]:
        code = feats.codes[i]
        value = feats.column(code, "value")[row]
        out.append(
            [
                code,
                float(value) if value else None,
                float(contribution[i]) if contribution is not None else None,
            ]
        )
    return out


def _holdout(
    events: Any, labels: pl.DataFrame, *, codes: list[str], split: dt.date, k: int
) -> dict[str, Any]:
    """The hold-out figures the run page shows: both scorers, calibration, groups."""
    try:
        ev = evaluate_events(events, labels, codes=codes, split=split, k=max(k, 1))
    except InputError:
        return {}
    out = ev.summary()
    out["split"] = split.isoformat()
    out["calibration"] = calibration_bins(ev.scores_model, ev.y)
    order = np.argsort(-ev.scores_model, kind="stable")[: ev.k]
    selected = np.zeros(len(ev.y), dtype=bool)
    selected[order] = True
    heads = _heads(ev.households.tolist(), split)
    dongs = dict(
        Household.objects.filter(pk__in=ev.households.tolist()).values_list("pk", "dong_id")
    )
    names = dict(Area.objects.filter(pk__in=set(dongs.values())).values_list("pk", "name"))
    hh = ev.households.tolist()
    out["fairness"] = report.fairness(
        selected=selected,
        y=ev.y,
        groups={
            "age_band": [heads.get(h, {}).get("band", "?") for h in hh],
            "sex": [heads.get(h, {}).get("sex", "?") for h in hh],
            "disability": [heads.get(h, {}).get("disability", "?") for h in hh],
            "dong": [names.get(dongs.get(h, 0), "?") for h in hh],
        },
    )
    return out
