"""A file's type, read from its bytes with ``filetype`` (pure Python: the signatures of PDF, office documents and
images), never from its name. Text is what ``filetype`` does not name: valid UTF-8 with no control character but
line ends and tabs, holding no markup a browser would run anywhere in it (an HTML page or an SVG drawing, however
it starts): such a file is named ``text/html`` and refused."""

import re

import filetype

MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta|\?xml)|<[a-z][^<>]{0,200}?\son[a-z]+\s*=",
    re.I,
)


def detected_type(data: bytes) -> str | None:
    """The type of ``data`` as its bytes say, or None when they say nothing known."""
    found = filetype.guess_mime(data[:8192])
    if found:
        return str(found)
    if MARKUP.search(data):
        return "text/html"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text):
        return None
    return "text/plain"
