"""Forms of the notification pages: a tenant's robot, a user's e-mail choices."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tenants.notifications.events import event_kinds
from tenants.notifications.robots import KIND_LABELS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def robot_event_choices() -> list[tuple[str, str]]:
    return [(k.key, str(k.label)) for k in event_kinds() if k.robot]


class RobotForm(FlaskForm):
    kind = SelectField(_l("Platform"))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)],
                       description=_l("How this page calls the robot, e.g. the group's name."))
    url = StringField(_l("Webhook address"), validators=[Optional(), Length(max=500)],
                      description=_l("As the platform shows it when you add the robot to a "
                                     "group. Once saved it is shown shortened."))
    secret = PasswordField(_l("Signing secret"), validators=[Optional(), Length(max=200)],
                           description=_l("DingTalk (SEC…) and Feishu: the secret of the "
                                          "robot's signature setting. WeCom has none. Once "
                                          "saved it is never shown; leave empty to keep it."))
    events = MultiCheckboxField(_l("Events the robot posts"))
    enabled = BooleanField(_l("Active"), default=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k.value, str(label)) for k, label in KIND_LABELS.items()]
        self.events.choices = robot_event_choices()
