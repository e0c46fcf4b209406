"""What comes from files and reports: matrix imports, hostile files, drafts from reports."""
