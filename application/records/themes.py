"""Themes: the deployment's managed list of tags (defined, renamed, retired), and the themes a
commitment carries."""

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from application import policy, translation
from application.errors import NotFound
from application.inputs import TextInput
from application.listing.histories import Histories
from application.storage.saving import Records
from application.views import CommitmentView, EventView, ThemeView
from domain.access import Principal
from domain.commitments.commitment import Commitment
from domain.theme import THEMES_ID, ThemeList, UnknownTheme, theme_code


class Themes:
    def __init__(self, records: Records, histories: Histories) -> None:
        self.records = records
        self.histories = histories

    def listed(self) -> list[ThemeView]:
        """Every theme of the list, in the order defined (retired ones too, marked so)."""
        found = self.records.load(ThemeList, THEMES_ID)
        return [] if found is None else [ThemeView.of(theme) for theme in found.themes]

    def get(self, code: str) -> ThemeView:
        try:
            return ThemeView.of(self._list().theme(theme_code(code)))
        except UnknownTheme:
            raise NotFound("theme", code) from None

    def _list(self) -> ThemeList:
        found = self.records.load(ThemeList, THEMES_ID)
        return found if found is not None else ThemeList(actor="", timestamp=self.records.now())

    def _change(self, actor: str, change: Callable[[ThemeList, datetime], None]) -> None:
        """Change the list; the first change starts it."""
        self.records.change_or_start(ThemeList, THEMES_ID, lambda now: ThemeList(actor=actor, timestamp=now), change)

    def define(self, caller: Principal, code: str, names: TextInput) -> ThemeView:
        actor = policy.records_everything(caller).id
        checked, text = theme_code(code), translation.name(names, "names")
        self._change(actor, lambda themes, when: themes.define(checked, text, actor, when))
        return self.get(checked)

    def rename(self, caller: Principal, code: str, names: TextInput) -> ThemeView:
        actor = policy.records_everything(caller).id
        checked, text = self.get(code).code, translation.name(names, "names")  # (404 for a theme not in the list)
        self._change(actor, lambda themes, when: themes.rename(checked, text, actor, when))
        return self.get(checked)

    def retire(self, caller: Principal, code: str, reason: str | None = None) -> ThemeView:
        actor = policy.records_everything(caller).id
        checked, why = self.get(code).code, translation.reason(reason)
        self._change(actor, lambda themes, when: themes.retire(checked, why, actor, when))
        return self.get(checked)

    def history(self, after_version: int = 0, limit: int | None = None) -> list[EventView]:
        if self.records.load(ThemeList, THEMES_ID) is None:
            return []
        return self.histories.events(ThemeList, THEMES_ID, after_version, limit)

    def choose(
        self,
        commitment_id: UUID,
        caller: Principal,
        codes: list[str],
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> CommitmentView:
        """The themes the commitment carries from now on (none: it carries none)."""
        actor = caller.id
        themes, why = self._list(), translation.reason(reason)
        return CommitmentView.of(
            self.records.change(
                Commitment,
                commitment_id,
                expected_version,
                lambda c, when: c.choose_themes(themes.chosen(codes, c.themes), why, actor, when),
                allowed=lambda c: policy.changes_commitment(caller, c.parties),
            )
        )
