"""The dashboard's filters: a GET form (no CSRF: it changes nothing) and what it selects.

Industry, size class and province narrow the member list and every statistic; the status and
the name search narrow the member list only (a statistic of "the members whose name contains
X" would be a way round the cohort rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SearchField, SelectField
from wtforms.validators import NumberRange, Optional

from assessment.profiles.rules import provinces, size_classes
from indicators.catalogue.industries import find_division, list_divisions, list_groups
from tenants.language import reader_language

YEAR_RANGE = (2000, 2100)
SORT_LABELS = {
    "name": _l("Name"), "-name": _l("Name, Z to A"),
    "-overall": _l("Overall score, highest first"), "overall": _l("Overall score, lowest first"),
    "division": _l("Industry"), "status": _l("Status"),
}


class MemberStatus(StrEnum):
    invited = "invited"
    not_started = "not_started"
    in_progress = "in_progress"
    submitted = "submitted"
    finalised = "finalised"


STATUS_LABELS = {
    MemberStatus.invited: _l("Invited"),
    MemberStatus.not_started: _l("Not started"),
    MemberStatus.in_progress: _l("In progress"),
    MemberStatus.submitted: _l("Submitted"),
    MemberStatus.finalised: _l("Finalised"),
}


@dataclass(frozen=True)
class Filters:
    year: int
    industry: str = ""  # a benchmark group code ("equipment") or a division ("C36")
    size_class: str = ""
    province: str = ""
    status: str = ""
    search: str = ""
    sort: str = "name"  # one of queries.SORTS
    page: int = 1

    def admits_cohort(self, division: str | None, size_class: str | None,
                      province: str | None) -> bool:
        if self.industry:
            found = find_division(division) if division else None
            if found is None or self.industry not in (found.code, found.group.code):
                return False
        if self.size_class and size_class != self.size_class:
            return False
        return not (self.province and province != self.province)

    def admits_member(self, name: str, status: str) -> bool:
        if self.status and status != self.status:
            return False
        return not (self.search and self.search.casefold() not in name.casefold())

    def query_args(self) -> dict[str, Any]:
        """The filters as URL arguments (for export links), empty ones left out."""
        values = {"year": self.year, "industry": self.industry, "size": self.size_class,
                  "province": self.province, "status": self.status, "q": self.search,
                  "sort": "" if self.sort == "name" else self.sort}
        return {k: v for k, v in values.items() if v not in ("", None)}

    def page_args(self, page: int) -> dict[str, Any]:
        """The URL arguments of another page of the member list."""
        return {**self.query_args(), "page": page}


def industry_choices() -> list[tuple[str, str]]:
    english = reader_language() == "en"
    choices = [("", str(_l("All industries")))]
    choices += [(g.code, g.name_en if english else g.name_zh) for g in list_groups()]
    choices += [(d.code, d.name_en if english else d.name_zh)
                for d in list_divisions()]
    return choices


class FilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only reads

    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(*YEAR_RANGE)])
    industry = SelectField(_l("Industry"), validators=[Optional()])
    size = SelectField(_l("Size class"), validators=[Optional()])
    province = SelectField(_l("Province"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    q = SearchField(_l("Name contains"), validators=[Optional()])
    sort = SelectField(_l("Sort by"), validators=[Optional()])
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=100_000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        english = reader_language() == "en"
        self.industry.choices = industry_choices()
        self.size.choices = [("", str(_l("All sizes")))] + [
            (c.code, c.name_en if english else c.name_zh) for c in size_classes()]
        self.province.choices = [("", str(_l("All provinces")))] + [
            (p.code, p.name_en if english else p.name_zh) for p in provinces()]
        self.status.choices = [("", str(_l("Any status")))] + [
            (str(status), str(label)) for status, label in STATUS_LABELS.items()]
        self.sort.choices = [(key, str(label)) for key, label in SORT_LABELS.items()]

    def filters(self, default_year: int) -> Filters:
        """The filters the form asks for (call after ``validate()`` succeeded)."""
        return Filters(year=self.year.data or default_year,
                       industry=self.industry.data or "", size_class=self.size.data or "",
                       province=self.province.data or "", status=self.status.data or "",
                       search=(self.q.data or "").strip()[:100],
                       sort=self.sort.data or "name", page=self.page.data or 1)
