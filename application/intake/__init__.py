"""What comes from files and reports: matrix imports (a row as the domain reads it), drafts read from reports (their
proposals, their confirmation checked), the texts a spreadsheet would run."""
