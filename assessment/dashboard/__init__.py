"""The association dashboard: members, statistics, charts and exports."""
