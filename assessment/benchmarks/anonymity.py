"""The anonymity rule, as published on every benchmark page and in every report.

One place for the text, so that pages, reports and the command line say the same thing.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from assessment.benchmarks.cohorts import ANONYMITY_MIN_COHORT

ANONYMITY_RULE = _l(
    "Benchmarks are anonymous. A statistic is shown only for a cohort of at least "
    "%(minimum)d enterprises; the lowest and highest figures are never shown; no enterprise "
    "ever sees another's identity. When your industry has too few enterprises, a broader "
    "cohort is used and named, or nothing is shown.",
    minimum=ANONYMITY_MIN_COHORT,
)

SUPPRESSED = _l("Not shown: fewer than %(minimum)d enterprises", minimum=ANONYMITY_MIN_COHORT)

NOTHING_TO_SHOW = _l("No benchmark: fewer than %(minimum)d enterprises even among all "
                     "manufacturers for this year.", minimum=ANONYMITY_MIN_COHORT)
