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
