"""Reading the spreadsheets people upload (CSV and XLSX) into tables, bounded in what any file may cost."""
