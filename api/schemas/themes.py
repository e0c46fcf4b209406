"""Themes: adding one, renaming it."""

from pydantic import Field

from api.schemas.common import NameIn, Schema


class ThemeIn(Schema):
    code: str = Field(max_length=40, examples=["sdg-2"])
    names: NameIn


class ThemeRename(Schema):
    names: NameIn
