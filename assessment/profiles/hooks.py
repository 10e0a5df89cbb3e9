"""What other packages do when an enterprise joins or leaves the benchmark pool, without
``profiles`` (the bottom layer of ``assessment/``) importing them.

The benchmarks register a callback when the app initialises (:func:`on_opt_in_changed`): the
enterprise's result figures carry the opt-in, because the platform pool reads it there, so a
change rewrites them and marks their cohorts stale. Callbacks run inside the transaction that
changed the profile.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask import Flask, current_app

_ON_OPT_IN_CHANGED = "assessment.on_opt_in_changed"

OptInChanged = Callable[[uuid.UUID, bool], None]


def on_opt_in_changed(app: Flask, callback: OptInChanged) -> None:
    """Call ``callback(tenant_id, opted_in)`` whenever an enterprise's benchmark opt-in
    changes in ``app`` (registering it again is harmless)."""
    callbacks: list[OptInChanged] = app.extensions.setdefault(_ON_OPT_IN_CHANGED, [])
    if callback not in callbacks:
        callbacks.append(callback)


def opt_in_changed(tenant_id: uuid.UUID, opted_in: bool) -> None:
    """Run the current app's callbacks for an enterprise whose opt-in is now ``opted_in``."""
    for callback in list(current_app.extensions.get(_ON_OPT_IN_CHANGED, ())):
        callback(tenant_id, opted_in)
