"""Who is looking at a page: their language, their session (if signed in), and what their key allows.

A page needs a session (``SignedInDep``); a form also needs its CSRF token (``checked_form``). What the
session's key may do is the application's rule (``application.policy``), asked by the use cases the pages
call, as the JSON API's routes call them: the pages allow exactly what the key allows, and offer only that."""

import hmac
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request
from starlette.datastructures import FormData

from api.dependencies import ServicesDep
from api.guards import MAX_UPLOAD_BYTES
from api.web import i18n
from application import policy
from application.access.sessions import WebSession
from domain.access import Principal
from domain.parties.contact import Contact

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
        return policy.allows(policy.records, self.principal)

    @property
    def can_write_everything(self) -> bool:
        return policy.allows(policy.records_everything, self.principal)

    @property
    def can_audit(self) -> bool:
        return policy.allows(policy.audits, self.principal)

    @property
    def can_administer(self) -> bool:
        return policy.allows(policy.administers, self.principal)

    def may_change_commitment_of(self, parties: Iterable[str | UUID]) -> bool:
        """Whether the key may change what these parties lead or support (the actions offered)."""
        return policy.allows(policy.changes_commitment, self.principal, parties)


def visitor(request: Request, services: ServicesDep) -> Visitor:
    language = i18n.negotiate(request.headers.get("accept-language"), request.cookies.get(LANGUAGE_COOKIE))
    token = request.cookies.get(SESSION_COOKIE, "")
    session = services.web_sessions.find(token) if token else None
    if session is not None:
        request.state.principal = session.principal  # named in the denial log if a check refuses it
    digits = "arab" if request.cookies.get(DIGITS_COOKIE) == "arab" else "latn"
    return Visitor(language, request.cookies.get(HIJRI_COOKIE) == "1", session, digits)


VisitorDep = Annotated[Visitor, Depends(visitor)]


def in_their_language(visitor: Visitor, contact: Contact) -> Visitor:
    """A page for a party's contact (its e-mail's links): in the contact's language, if the pages speak it."""
    language = contact.language.split("-")[0]
    return replace(visitor, language=language) if language in i18n.LANGUAGES else visitor


@dataclass(frozen=True)
class SignedInVisitor(Visitor):
    """A visitor with a session (as ``SignedInDep`` gives one)."""

    session: WebSession

    @property
    def principal(self) -> Principal:
        return self.session.principal


def signed_in(visitor: VisitorDep) -> SignedInVisitor:
    if visitor.session is None:
        policy.nobody()
        raise SignInNeeded()
    policy.reads(visitor.session.principal)
    return SignedInVisitor(
        language=visitor.language, hijri=visitor.hijri, session=visitor.session, digits=visitor.digits
    )


SignedInDep = Annotated[SignedInVisitor, Depends(signed_in)]


def recorder(visitor: SignedInVisitor) -> Principal:
    """The visitor's key, if it records records of every party: the application's rule, asked early so that
    a page's form is refused before it is read (the use case asks it again)."""
    return policy.records_everything(visitor.principal)


async def checked_form(request: Request, visitor: SignedInDep) -> FormData:
    """The posted form, once its CSRF token is the session's."""
    form = await request.form(max_part_size=MAX_UPLOAD_BYTES)  # a spreadsheet kept for its confirmation
    sent = form.get("csrf")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, visitor.session.csrf):
        raise ForgedForm()
    return form


FormDep = Annotated[FormData, Depends(checked_form)]


async def link_form(request: Request) -> FormData:
    """A form posted from a page a signed link opened (no session: the link is the credential), bounded: one
    file at most (evidence; its size bounded by the request's guard and the deployment's setting)."""
    return await request.form(max_files=1, max_fields=20, max_part_size=20_000)


LinkFormDep = Annotated[FormData, Depends(link_form)]
