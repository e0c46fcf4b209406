"""Who is looking at a page: their language, their session (if signed in), and what their key allows.

A page needs a session (``SignedInDep``); a form also needs its CSRF token (``checked_form``). The
role and party scope of the session's key are checked by the same functions as the JSON API's
(``api.dependencies``), so the pages allow exactly what the key allows."""

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from api.dependencies import ServicesDep, unlimited_writer, writer
from api.guards import MAX_UPLOAD_BYTES
from api.web import i18n
from domain.access import Principal, may_change_other_records
from infrastructure.persistence.web_sessions import WebSession

SESSION_COOKIE = "session"
LANGUAGE_COOKIE = "lang"
HIJRI_COOKIE = "hijri"
DIGITS_COOKIE = "digits"  # "arab": numbers and dates in Arabic-Indic digits; else Latin ones
SIGN_IN_COOKIE = "sign_in"  # the CSRF token of the sign-in form, before any session exists


class SignInNeeded(Exception):
    """The page needs a session: the visitor is sent to the sign-in page, and back afterwards."""


class ForgedForm(Exception):
    """A form posted without the CSRF token of its session."""


@dataclass(frozen=True)
class Visitor:
    language: str
    hijri: bool
    session: WebSession | None
    digits: str = "latn"

    @property
    def formats(self) -> i18n.Formats:
        """Dates and numbers for the reader: Arabic-Indic digits on Arabic pages only, when chosen."""
        return i18n.Formats(self.language, self.hijri, self.digits if self.language == "ar" else "latn")

    @property
    def principal(self) -> Principal | None:
        return None if self.session is None else self.session.principal

    @property
    def can_write(self) -> bool:
        return self.principal is not None and self.principal.role.can_write

    @property
    def can_write_everything(self) -> bool:
        principal = self.principal
        return principal is not None and principal.role.can_write and may_change_other_records(principal.party_scope)

    @property
    def can_audit(self) -> bool:
        return self.principal is not None and self.principal.role.can_audit

    @property
    def can_administer(self) -> bool:
        return self.principal is not None and self.principal.role.can_administer


def visitor(request: Request, services: ServicesDep) -> Visitor:
    language = i18n.negotiate(request.headers.get("accept-language"), request.cookies.get(LANGUAGE_COOKIE))
    token = request.cookies.get(SESSION_COOKIE, "")
    session = services.web_sessions.find(token) if token else None
    if session is not None:
        request.state.principal = session.principal  # named in the denial log if a check refuses it
    digits = "arab" if request.cookies.get(DIGITS_COOKIE) == "arab" else "latn"
    return Visitor(language, request.cookies.get(HIJRI_COOKIE) == "1", session, digits)


VisitorDep = Annotated[Visitor, Depends(visitor)]


@dataclass(frozen=True)
class SignedInVisitor(Visitor):
    """A visitor with a session (as ``SignedInDep`` gives one)."""

    session: WebSession

    @property
    def principal(self) -> Principal:
        return self.session.principal


def signed_in(visitor: VisitorDep) -> SignedInVisitor:
    if visitor.session is None:
        raise SignInNeeded()
    return SignedInVisitor(
        language=visitor.language, hijri=visitor.hijri, session=visitor.session, digits=visitor.digits
    )


SignedInDep = Annotated[SignedInVisitor, Depends(signed_in)]


def coordinator_id(visitor: SignedInVisitor) -> str:
    """The visitor's key, if it records and changes records of every party (as ``WriterDep`` asks)."""
    return unlimited_writer(writer(visitor.principal)).id


async def checked_form(request: Request, visitor: SignedInDep) -> FormData:
    """The posted form, once its CSRF token is the session's."""
    form = await request.form(max_part_size=MAX_UPLOAD_BYTES)  # a spreadsheet kept for its confirmation
    sent = form.get("csrf")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, visitor.session.csrf):
        raise ForgedForm()
    return form


FormDep = Annotated[FormData, Depends(checked_form)]
