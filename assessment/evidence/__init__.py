"""Evidence files per indicator: checked by content, stored outside the web root."""
