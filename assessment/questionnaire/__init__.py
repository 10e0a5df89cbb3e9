"""The questionnaire: pages generated from the framework, autosave, conflicts, assignments."""
