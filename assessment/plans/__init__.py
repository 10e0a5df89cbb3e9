"""Improvement plans: from a finalised assessment's weakest indicators to actions that
members own, with due dates, status, history and comments, and their measured effect in
the next year's assessment."""
