"""Texts that a spreadsheet would take for a formula: a cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return (or the full-width ``＝ ＋ － ＠`` that some spreadsheets also
read as formulas) runs when whoever opens the file opens it. Exports write such a text as text: a
string cell in XLSX, and in CSV behind an apostrophe (OWASP's rule for CSV injection). On the way
in, that protective apostrophe is taken off again, whoever wrote it, so that an exported file
imports back as it was."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PROTECTION = "'"


def starts_a_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def protected(value: object) -> object:
    """A CSV cell's value, behind an apostrophe if a spreadsheet would take it for a formula."""
    if isinstance(value, str) and starts_a_formula(value):
        return PROTECTION + value
    return value


def unprotected(value: object) -> object:
    """A cell read from a file, without the apostrophe that protected it."""
    if isinstance(value, str) and value.startswith(PROTECTION) and starts_a_formula(value[1:]):
        return value[1:]
    return value
