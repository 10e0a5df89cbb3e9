"""What other packages do when an assessment is finalised, without ``assessments`` importing
them (they sit above it).

A package registers a callback when the app initialises (:func:`on_finalised`; the
benchmarks do, to refresh their snapshots). :func:`~assessment.assessments.services.finalise`
calls every callback of the current app once the new revision and its figures are flushed,
inside the request's transaction: a callback whose work must wait for the commit queues it
(``tenants.db.after_commit``), as the benchmark refresh does.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

_ON_FINALISED = "assessment.on_finalised"


@dataclass(frozen=True)
class Finalised:
    """An assessment was finalised: its figures of ``year`` now count for its division."""

    assessment_id: uuid.UUID
    tenant_id: uuid.UUID
    year: int
    industry_division: str


OnFinalised = Callable[[Finalised], None]


def on_finalised(app: Flask, callback: OnFinalised) -> None:
    """Call ``callback`` after every finalisation in ``app`` (registering it again is
    harmless: each callback runs once)."""
    callbacks: list[OnFinalised] = app.extensions.setdefault(_ON_FINALISED, [])
    if callback not in callbacks:
        callbacks.append(callback)


def finalised(event: Finalised) -> None:
    """Run the current app's callbacks for ``event``, in the order they were registered."""
    for callback in list(current_app.extensions.get(_ON_FINALISED, ())):
        callback(event)


IndustryCohorts = Callable[[int, str, list[str], uuid.UUID, int], dict[str, list[float]]]
_INDUSTRY_COHORTS = "assessment.industry_cohorts"


def provide_industry_cohorts(app: Flask, provider: IndustryCohorts) -> None:
    """Register where scoring finds an enterprise's industry cohort (the benchmarks do, from
    the platform pool): ``provider(year, industry, codes, exclude_tenant, minimum)`` returns
    the peers' values per code."""
    app.extensions[_INDUSTRY_COHORTS] = provider


def industry_cohort_values(year: int, industry: str, codes: list[str],
                           exclude_tenant: uuid.UUID, minimum: int) -> dict[str, list[float]]:
    """The registered provider's cohorts; none (the engine's cited bands) when no package
    provides them."""
    provider: IndustryCohorts | None = current_app.extensions.get(_INDUSTRY_COHORTS)
    if provider is None:
        return {}
    return provider(year, industry, codes, exclude_tenant, minimum)
