"""Forms of the platform pages. Labels are lazy so they follow the request's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from tenants.limits import Limited, limit
from tenants.models import LinkGrant, Role, TenantKind
from tenants.security import MIN_PASSWORD_LENGTH


def kind_choices() -> list[tuple[str, str]]:
    return [
        (TenantKind.enterprise, str(_l("Manufacturing enterprise"))),
        (TenantKind.association, str(_l("Industry association"))),
        (TenantKind.consultancy, str(_l("Consultancy"))),
    ]


def role_choices() -> list[tuple[str, str]]:
    return [(role.value, str(ROLE_LABELS[role])) for role in Role]


ROLE_LABELS = {
    Role.owner: _l("Owner"),
    Role.admin: _l("Administrator"),
    Role.assessor: _l("Assessor"),
    Role.viewer: _l("Viewer"),
}

GRANT_LABELS = {
    LinkGrant.scores: _l("Finalised scores, for benchmarking"),
    LinkGrant.answers: _l("Full questionnaire answers"),
    LinkGrant.reports: _l("Reports"),
    LinkGrant.review: _l("Review of assessments"),
}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SignupForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Limited("email")])
    name = StringField(_l("Your name"), validators=[Optional(), Limited("person_name")])
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=limit("password")),
                    Limited("password", check_length=False)]
    )
    organisation = StringField(_l("Organisation name"), validators=[Limited("organisation_name")])
    kind = RadioField(_l("Organisation type"), default=TenantKind.enterprise)
    slug = StringField(
        _l("Address (optional)"),
        validators=[Optional(), Length(min=3, max=limit("slug")),
                    Limited("slug", check_length=False),
                    Regexp(r"^[a-z0-9][a-z0-9-]*$",
                           message=_l("Use lower-case letters, digits and hyphens only."))],
        description=_l("Your pages will live under /t/<address>/. Leave empty to choose one "
                       "automatically."),
    )
    invitation = HiddenField()
    # PIPL art. 14: consent, given by a clear action, after reading the notice (/privacy).
    privacy = BooleanField(
        _l("I have read the privacy notice and agree that ChainGauge processes my personal "
           "information as it describes."),
        validators=[DataRequired(_l("Agree to the privacy notice to create an account."))])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = kind_choices()


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=limit("password")),
                    Limited("password", check_length=False)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Limited("email")])
    role = SelectField(_l("Role"), default=Role.assessor)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class ActionForm(FlaskForm):
    """A bare form for buttons that POST: it carries the CSRF token and nothing else."""


class LinkRequestForm(FlaskForm):
    enterprise = StringField(
        _l("Enterprise address or owner e-mail"),
        validators=[DataRequired(), Limited("link_target")],
    )
    grants = MultiCheckboxField(_l("The link grants"), default=[LinkGrant.scores])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.grants.choices = [(g.value, str(label)) for g, label in GRANT_LABELS.items()]


class LinkResponseForm(FlaskForm):
    may_be_named = BooleanField(_l("We agree to be named in ranked tables"))


class TimezoneForm(FlaskForm):
    timezone = SelectField(_l("Time zone"), validators=[DataRequired()],
                           description=_l("Times on every page are shown in this zone."))

    def __init__(self, *args: object, **kwargs: object) -> None:
        from tenants.localtime import TIMEZONE_CHOICES

        super().__init__(*args, **kwargs)
        self.timezone.choices = [(name, str(label)) for name, label in TIMEZONE_CHOICES]


class LanguageForm(FlaskForm):
    locale = HiddenField(validators=[DataRequired()])
