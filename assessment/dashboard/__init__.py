"""The association dashboard, and the enterprise's "you vs. peers" comparison."""
