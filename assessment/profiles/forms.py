"""The enterprise profile form. Fields are plain text so that the service reports every
problem at once, in its own words (see ``services.save_profile``)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField

from assessment.profiles.models import EnterpriseProfile
from assessment.profiles.rules import provinces
from indicators.catalogue.industries import list_divisions
from tenants.language import reader_language
from tenants.limits import Limited


def division_choices() -> list[tuple[str, str]]:
    """GB/T 4754-2017 divisions C13-C43, named in the user's language."""
    english = reader_language() == "en"
    return [("", str(_l("Choose…")))] + [
        (d.code, d.name_en if english else d.name_zh)
        for d in list_divisions()
    ]


def province_choices() -> list[tuple[str, str]]:
    locale = reader_language()
    return [("", str(_l("Choose…")))] + [(p.code, p.name(locale)) for p in provinces()]


class ProfileForm(FlaskForm):
    legal_name = StringField(_l("Legal name"), validators=[Limited("legal_name")])
    credit_code = StringField(
        _l("Unified social credit code"), validators=[Limited("credit_code")],
        description=_l("18 characters; the last one is a check character."))
    industry_division = SelectField(_l("Industry (GB/T 4754-2017 division)"), choices=[],
                                    validate_choice=False)
    employees = StringField(_l("Employees"), render_kw={"inputmode": "numeric"})
    revenue_wan = StringField(_l("Operating revenue (10,000 CNY)"),
                              render_kw={"inputmode": "decimal"})
    province = SelectField(_l("Province"), choices=[], validate_choice=False)
    export_oriented = BooleanField(_l("Export-oriented enterprise"))
    chain_leader = BooleanField(_l("Supply-chain leading enterprise (供应链主导企业)"))
    benchmark_opt_in = BooleanField(
        _l("Include our finalised, anonymised results in the platform's benchmark pool"))
    version = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.industry_division.choices = division_choices()
        self.province.choices = province_choices()

    @classmethod
    def for_profile(cls, profile: EnterpriseProfile | None,
                    organisation: str = "") -> ProfileForm:
        """The form of ``profile``; before there is one, the legal name starts as the
        organisation's name given at sign-up."""
        if profile is None:
            return cls(data={"legal_name": organisation})
        return cls(data={
            "legal_name": profile.legal_name, "credit_code": profile.credit_code,
            "industry_division": profile.industry_division,
            "employees": str(profile.employees), "revenue_wan": str(profile.revenue_wan),
            "province": profile.province, "export_oriented": profile.export_oriented,
            "chain_leader": profile.chain_leader, "benchmark_opt_in": profile.benchmark_opt_in,
            "version": str(profile.version),
        })
