"""A file's type, read from its bytes with ``filetype`` (pure Python: the signatures of PDF, office documents and
images), never from its name. Text is what ``filetype`` does not name: valid UTF-8 with no control character but
line ends and tabs, that does not open as markup (an HTML page or an SVG drawing run script in a browser)."""

import filetype

MARKUP_STARTS = (b"<", b"\xef\xbb\xbf<")


def detected_type(data: bytes) -> str | None:
    """The type of ``data`` as its bytes say, or None when they say nothing known."""
    found = filetype.guess_mime(data[:8192])
    if found:
        return str(found)
    head = data[:65536]
    if head.lstrip(b" \t\r\n").startswith(MARKUP_STARTS) or b"<script" in head.lower() or b"<svg" in head.lower():
        return "text/html"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text[:65536]):
        return None
    return "text/plain"
