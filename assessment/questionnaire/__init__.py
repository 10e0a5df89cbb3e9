"""The questionnaire: pages generated from the framework, autosave, conflicts, assignments.

:func:`warnings_for` gives the plausibility warnings of an assessment's stored answers, placed
on the answers they concern (see ``checks``)."""

from assessment.questionnaire.checks import warnings_for

__all__ = ["warnings_for"]
