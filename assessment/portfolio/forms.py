"""Forms of the portfolio: the board's filters (a GET form) and a client's assignment."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SearchField, SelectField
from wtforms.validators import NumberRange, Optional

from assessment.portfolio.queries import SORTS, STATUSES, Filters

STATUS_LABELS = {
    "invited": _l("Invited, not yet answered"),
    "no_access": _l("Link does not grant review"),
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "submitted": _l("Submitted, waiting for review"),
    "returned": _l("Returned with comments"),
    "finalised": _l("Finalised"),
}
SORT_LABELS = {
    "name": _l("Name"), "-name": _l("Name, Z to A"), "status": _l("Status (what to do first)"),
    "-year": _l("Year, newest first"), "-score": _l("Overall score, highest first"),
    "score": _l("Overall score, lowest first"), "due": _l("Due date, soonest first"),
    "-activity": _l("Last activity, newest first"),
}


class BoardForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only reads

    status = SelectField(_l("Status"), validators=[Optional()])
    year = SelectField(_l("Year"), validators=[Optional()])
    reviewer = SelectField(_l("Reviewer"), validators=[Optional()])
    q = SearchField(_l("Name contains"), validators=[Optional()])
    sort = SelectField(_l("Sort by"), validators=[Optional()])
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=100_000)])

    def __init__(self, years: list[int], reviewers: list[tuple[str, str]], *args: Any,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = [("", str(_l("Any status")))] + [
            (s, str(STATUS_LABELS[s])) for s in STATUSES]
        self.year.choices = [("", str(_l("Each client's newest")))] + [
            (str(y), str(y)) for y in years]
        self.reviewer.choices = [("", str(_l("Anyone"))), ("none", str(_l("Nobody yet"))),
                                 *reviewers]
        self.sort.choices = [(s, str(SORT_LABELS[s])) for s in SORTS]

    def filters(self) -> Filters:
        return Filters(status=self.status.data or "",
                       year=int(self.year.data) if self.year.data else None,
                       reviewer=self.reviewer.data or "",
                       search=(self.q.data or "").strip()[:100],
                       sort=self.sort.data or "name", page=self.page.data or 1)


class AssignmentForm(FlaskForm):
    reviewer = SelectField(_l("Reviewer"), validators=[Optional()])
    due_on = DateField(_l("Due date"), validators=[Optional()])
