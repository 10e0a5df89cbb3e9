"""Reports: one template per report, rendered to HTML and, through WeasyPrint, to PDF."""
