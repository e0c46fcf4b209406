"""A visitor of the web pages, in-process: a test client that signs in with a key, keeps its
cookies, and fills in forms with the CSRF token of its session, as a browser would."""

import re
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from lxml import html

from api.app import WEB_PREFIX


@dataclass
class Page:
    status: int
    text: str
    url: str

    @property
    def tree(self) -> Any:
        return html.fromstring(self.text)

    def all(self, xpath: str) -> list[Any]:
        found: list[Any] = self.tree.xpath(xpath)
        return found

    def words(self) -> str:
        """What a reader sees (no markup)."""
        return " ".join(self.tree.text_content().split())


class Visitor:
    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf = ""

    def open(self, path: str, **headers: str) -> Page:
        response = self.client.get(WEB_PREFIX + path, headers=headers)
        page = Page(response.status_code, response.text, str(response.url))
        found = re.search(r'name="csrf" value="([^"]+)"', response.text)
        if found:
            self.csrf = found.group(1)
        return page

    def sign_in(self, key: str, next_page: str = "/") -> Page:
        form = self.client.get(f"{WEB_PREFIX}/sign-in")
        found = re.search(r'name="token" value="([^"]+)"', form.text)
        assert found is not None, "the sign-in form has no token"
        token = found.group(1)
        response = self.client.post(
            f"{WEB_PREFIX}/sign-in", data={"key": key, "token": token, "next": WEB_PREFIX + next_page}
        )
        page = Page(response.status_code, response.text, str(response.url))
        self.open(next_page)  # keeps the session's CSRF token for its forms
        return page

    def post(
        self, path: str, data: dict[str, Any] | list[tuple[str, str]], csrf: bool = True, follow: bool = True
    ) -> Page:
        fields: dict[str, list[str]] = {}
        for name, value in data.items() if isinstance(data, dict) else data:
            fields.setdefault(name, []).extend(value if isinstance(value, list) else [value])
        if csrf:
            fields["csrf"] = [self.csrf]
        response = self.client.post(WEB_PREFIX + path, data=fields, follow_redirects=follow)
        return Page(response.status_code, response.text, str(response.headers.get("location") or response.url))

    def upload(self, path: str, file: tuple[str, bytes], data: dict[str, str], field: str = "file") -> Page:
        """A multipart form with one file, as a browser sends a form with ``enctype="multipart/form-data"``."""
        response = self.client.post(WEB_PREFIX + path, data={**data, "csrf": self.csrf}, files={field: file})
        return Page(response.status_code, response.text, str(response.url))
