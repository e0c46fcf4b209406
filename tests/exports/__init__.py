"""What leaves: CSV and XLSX exports, IATI, calendar feeds."""
