"""The audit chain: its state, the signed head, a verification, the refused requests (denials)."""

from typing import Literal

from pydantic import AnyHttpUrl, Field

from api.schemas.common import Answer, Name, Schema


class ChainState(Answer):
    intact: bool
    verified_up_to: int
    last_check_at: str | None
    last_full_check_at: str | None
    first_broken_position: int | None
    problem: str | None
    broken_since: str | None


class SigningKey(Answer):
    """A key that has signed heads; each after the first signed by the one before it (``endorsement``, over
    ``commitments-audit-key:{number}:{public_key}:{created_at}``)."""

    number: int
    public_key: str
    endorsed_by: str | None
    endorsement: str | None
    created_at: str


class Head(Answer):
    position: int
    link: str
    signed_at: str
    algorithm: Literal["Ed25519"]
    public_key: str
    signature: str
    keys: list[SigningKey]
    chain: ChainState
    receipts: list["Receipt"]


class FileFound(Answer):
    sha256: str
    cited_at: int = Field(description="the position of the first event that cites it")


class FilesChecked(Answer):
    files: int = Field(description="the files the record cites")
    missing: list[FileFound]
    altered: list[FileFound] = Field(description="kept, but their bytes no longer have the hash cited")


class Verification(Answer):
    intact: bool
    checked: int
    position: int
    link: str
    first_broken_position: int | None
    problem: str | None
    saved_head_matches: bool | None = None
    files: FilesChecked


class Denial(Answer):
    at: str
    principal: str | None = Field(description="the key's id; null: no valid key was given")
    method: str
    path: str
    status: int
    reason: str
    client: str | None = Field(description="the client's address, for refusals without a valid key")
    repeats: int = Field(description="refusals of the same client in the same minute counted here, not kept as rows")


class DenialPage(Answer):
    items: list[Denial]
    next_cursor: str | None


class WitnessIn(Schema):
    name: Name = Field(max_length=200)
    url: AnyHttpUrl = Field(description="where the witness answers (its `POST /heads`)")
    public_key: str = Field(max_length=200, description="the Ed25519 key that signs its receipts (base64 or PEM)")


class Receipt(Answer):
    witness: str
    name: str
    deployment: str
    position: int
    link: str
    witnessed_at: str
    signature: str
