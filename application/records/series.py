"""Meeting series: how often one meets, and what it awaits. A series is opened the first time a
meeting or a follow-up names it; its rhythm is stated here (``domain.meetings.series.Rhythm``)."""

from datetime import datetime
from uuid import UUID

from application import policy
from application.errors import NotFound
from application.listing.histories import Histories
from application.storage.saving import Records
from application.views import EventView, SeriesView
from domain.access import Principal
from domain.identifiers import series_slug
from domain.meetings.series import MeetingSeries, Rhythm, series_id, stated_months
from domain.parties.party import Party


def series_of(records: Records, slug: str, actor: str, when: datetime) -> MeetingSeries:
    """The series named by ``slug``, opened now if it was never named before."""
    return records.load(MeetingSeries, series_id(slug)) or MeetingSeries(slug=slug, actor=actor, timestamp=when)


class Series:
    def __init__(self, records: Records, histories: Histories) -> None:
        self.records = records
        self.histories = histories

    def get(self, slug: str) -> SeriesView:
        return SeriesView.of(self._named(slug))

    def history(self, slug: str, after_version: int = 0, limit: int | None = None) -> list[EventView]:
        """The series' events, oldest first: its rhythm stated and stopped, its sessions held, the
        follow-ups it awaited."""
        return self.histories.events(MeetingSeries, self._named(slug).id, after_version, limit)

    def _named(self, slug: str) -> MeetingSeries:
        series = self.records.load(MeetingSeries, series_id(series_slug(slug, "slug")))
        if series is None:
            raise NotFound("meeting series", slug)
        return series

    def state_rhythm(
        self,
        slug: str,
        caller: Principal,
        organiser_party_id: UUID,
        every_months: int | None = None,
        every: str | None = None,
        expected_version: int | None = None,
    ) -> SeriesView:
        """The series meets every ``every_months`` months (or as ``every`` says it, «مرة كل سنتين»):
        when a session is held and no follow-up awaits the next, one is generated, led by the organiser."""
        actor = policy.records_everything(caller).id
        months = stated_months(every_months, every)
        organiser = self.records.ref(Party, organiser_party_id, "organiser_party_id")
        rhythm = Rhythm.of(months, organiser.id)
        return self._change(slug, actor, rhythm, expected_version)

    def stop_rhythm(self, slug: str, caller: Principal, expected_version: int | None = None) -> SeriesView:
        """No session of the series is expected by itself any more (those generated stay)."""
        actor = policy.records_everything(caller).id
        return self._change(self._named(slug).slug, actor, None, expected_version)

    def _change(self, slug: str, actor: str, rhythm: Rhythm | None, expected_version: int | None) -> SeriesView:
        key = series_slug(slug, "slug")
        if self.records.load(MeetingSeries, series_id(key)) is None:
            if expected_version is not None:
                raise NotFound("meeting series", slug)
            series = series_of(self.records, key, actor, self.records.now())
            series.state_rhythm(rhythm, actor, self.records.now())
            return SeriesView.of(self.records.create(series))
        return SeriesView.of(
            self.records.change(
                MeetingSeries,
                series_id(key),
                expected_version,
                lambda series, when: series.state_rhythm(rhythm, actor, when),
            )
        )
