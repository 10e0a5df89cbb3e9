"""Assessments: one per enterprise and reporting year, with answers, history and revisions."""
