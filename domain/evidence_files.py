"""What an evidence file may be: a document, a spreadsheet, a presentation, an image or plain text, its type read
from its bytes (never from its name); at most so many bytes. A page of HTML or an SVG drawing can run script in
a reader's browser: neither is kept. Images are the only files a browser shows in the page; every other file is
downloaded. The file itself is kept once, by its SHA-256; the event that cites it holds its hash, size, type and
name (``EvidenceFile``)."""

import re
import unicodedata
from dataclasses import dataclass

from domain.errors import InvalidValue

DEFAULT_MAX_BYTES = 25 * 1024 * 1024

# The types of file kept, and the extensions each is saved under (a name that ends otherwise gets the first).
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "application/msword": (".doc",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.oasis.opendocument.text": (".odt",),
    "application/rtf": (".rtf",),
    "application/vnd.ms-excel": (".xls",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.oasis.opendocument.spreadsheet": (".ods",),
    "application/vnd.ms-powerpoint": (".ppt",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx",),
    "application/vnd.oasis.opendocument.presentation": (".odp",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "image/tiff": (".tif", ".tiff"),
    "text/plain": (".txt", ".csv", ".md"),
}
ACCEPTED_TYPES = frozenset(EXTENSIONS)
SHOWN_IN_THE_PAGE = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
SHA256 = re.compile(r"[0-9a-f]{64}")
NAME_MAX = 200


@dataclass(frozen=True)
class EvidenceFile:
    """A file kept as evidence: the SHA-256 of its bytes (hex), how many bytes, its type as read from them, and
    the name it was sent under."""

    sha256: str
    size: int
    media_type: str
    name: str

    def checked(self, field_name: str = "file") -> "EvidenceFile":
        if not isinstance(self.sha256, str) or not SHA256.fullmatch(self.sha256):
            raise InvalidValue(
                "a file is named by the SHA-256 of its bytes, 64 hexadecimal digits", f"{field_name}.sha256"
            )
        if isinstance(self.size, bool) or not isinstance(self.size, int) or self.size < 1:
            raise InvalidValue("a file holds at least one byte", f"{field_name}.size")
        accepted_type(self.media_type, f"{field_name}.media_type")
        return EvidenceFile(self.sha256, self.size, self.media_type, file_name(self.name, f"{field_name}.name"))

    @property
    def shown_in_the_page(self) -> bool:
        return self.media_type in SHOWN_IN_THE_PAGE


def accepted_type(media_type: str | None, field_name: str = "file") -> str:
    """The type read from a file's bytes, if a file of that type is kept as evidence."""
    if media_type not in ACCEPTED_TYPES:
        raise InvalidValue(
            "a file of this type is not kept ({media_type}): send a PDF, an office document, an image or plain text",
            field_name,
            media_type=media_type or "?",
        )
    return media_type


def accepted_size(size: int, most: int, field_name: str = "file") -> int:
    if size < 1:
        raise InvalidValue("the file is empty", field_name)
    if size > most:
        raise InvalidValue("a file has at most {most} bytes", field_name, most=most)
    return size


def named_for(name: str, media_type: str) -> str:
    """The name a file is offered under, ending as its type does: a file is saved under a name its reader's
    system opens it by, and never as a page (``report.html`` holding text is saved ``report.html.txt``)."""
    endings = EXTENSIONS.get(media_type, ())
    if not endings or name.casefold().endswith(endings):
        return name
    return name[: NAME_MAX - len(endings[0])] + endings[0]


def file_name(value: str | None, field_name: str = "file.name") -> str:
    """The name a file was sent under, without any folder, control character or direction mark, at most 200
    characters (its extension kept): it is shown, and offered when the file is downloaded."""
    name = (value or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C").strip(" .")
    if not name:
        raise InvalidValue("a file needs a name", field_name)
    if len(name) > NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        name = (
            (stem[: NAME_MAX - len(extension) - 1] + dot + extension)
            if dot and len(extension) <= 10
            else name[:NAME_MAX]
        )
    return name
