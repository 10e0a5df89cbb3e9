"""A confirmation step before what cannot be undone (submit, finalise, return, reopen, ending a
link, removing a member, deleting evidence).

The first POST of such an action (a button on a page) carries no ``confirm`` field: the view
answers with a page that says in one sentence what the action will do and repeats the POST
with ``confirm=yes``. It needs no JavaScript, and a forged or replayed first POST still needs
a valid CSRF token (the view validates its form before it asks).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import render_template, request

CONFIRM_FIELD = "confirm"
CONFIRMED = "yes"
# Posted fields never repeated by the confirmation page (it adds its own token).
_NOT_CARRIED = frozenset({"csrf_token", CONFIRM_FIELD})


def confirmed() -> bool:
    """Whether this POST is the confirmed one."""
    return request.form.get(CONFIRM_FIELD) == CONFIRMED


def ask(*, title: str, sentence: str, button: str, cancel: str, danger: bool = False,
        extra: Sequence[Any] = (), template: str = "core/confirm.html",
        **context: Any) -> tuple[str, int]:
    """The confirmation page for the current POST: ``sentence`` says what it will do;
    ``button`` repeats the POST confirmed; ``cancel`` is where "Cancel" leads back to.
    ``extra`` are (name, label, hint) of checkboxes asked at the same time (e.g. the
    benchmark pool at the first finalisation)."""
    carried = [(key, value) for key, value in request.form.items(multi=True)
               if key not in _NOT_CARRIED and key not in {e[0] for e in extra}]
    return render_template(template, title=title, sentence=sentence, button=button,
                           cancel=cancel, danger=danger, action=request.full_path.rstrip("?"),
                           carried=carried, extra=extra, confirm_field=CONFIRM_FIELD,
                           confirm_value=CONFIRMED, **context), 200
