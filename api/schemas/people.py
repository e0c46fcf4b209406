"""People's accounts: an invitation, a change of role and parties, the second factor required, and the account
as an administrator sees it."""

from typing import Literal
from uuid import UUID

from pydantic import Field

from api.schemas.common import Answer, Language, Name, Reasoned, Schema

RoleName = Literal["admin", "coordinator", "auditor"]


class PersonIn(Schema):
    """Who to invite: an e-mail with a link to choose a password (valid seven days) is sent to them."""

    name: Name
    email: str = Field(min_length=3, max_length=254)
    role: RoleName
    party_scope: list[UUID] = Field(default=[], max_length=200, description="a coordinator limited to these parties")
    language: Language = "en"


class RoleChange(Reasoned):
    role: RoleName
    party_scope: list[UUID] = Field(default=[], max_length=200)


class SecondFactorRequirement(Schema):
    required: bool


class PersonOut(Answer):
    id: str
    name: str
    address: str
    role: str
    party_scope: list[str]
    language: str
    standing: Literal["invited", "active", "disabled"]
    second_factor_required: bool
    second_factor: bool
    last_sign_in: str | None
    version: int


class Invited(Answer):
    person_id: str
    mailed: bool = Field(description="the invitation was handed to the mail server (false: send it again later)")
