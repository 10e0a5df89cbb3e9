"""Import and export of answers: the contract JSON document and an XLSX workbook."""
