"""Meeting series: meetings that recur, how often they meet, and the follow-up sessions awaited in each."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.commitments.due import Due
from domain.commitments.promise import FollowUp
from domain.commitments.written_dues import span_words, written_span
from domain.errors import InvalidValue
from domain.identifiers import derived_id
from domain.text import MultilingualText

MOST_MONTHS = 120  # a series that meets less often than every ten years states no rhythm


def series_id(slug: str) -> UUID:
    return derived_id("series", slug)


@dataclass(frozen=True)
class HeldSession:
    """A meeting of the series recorded as held, and its last day."""

    meeting_id: UUID
    session_number: int | None
    held_on: date


@dataclass(frozen=True)
class Rhythm:
    """How often a series meets: a session every ``months`` months, organised by ``organiser_id``
    (the party that leads the follow-up expected for the next session)."""

    months: int
    organiser_id: UUID

    @classmethod
    def of(cls, months: int, organiser_id: UUID) -> "Rhythm":
        if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MOST_MONTHS:
            raise InvalidValue("a series meets every 1 to {most} months", "every_months", most=MOST_MONTHS)
        if months > 100 and months % 12:
            raise InvalidValue("past 100 months, a series meets every whole number of years", "every_months")
        return cls(months, organiser_id)


def _phrases(*written: str) -> set[str]:
    return {" ".join(span_words(phrase)) for phrase in written}


_ONCE_A_YEAR = _phrases(
    "annual",
    "annually",
    "yearly",
    "every year",
    "each year",
    "once a year",
    "سنوي",
    "سنويا",
    "سنوياً",
    "كل سنة",
    "كل عام",
    "مرة كل سنة",
    "مرة كل عام",
    "مرة في السنة",
    "مرة في العام",
    "annuel",
    "annuellement",
    "chaque année",
    "tous les ans",
)
_BIENNIAL = _phrases("biennial", "biennially", "every other year", "every two years", "biennal", "tous les deux ans")
_FILLER = _phrases(
    *[
        "every",
        "each",
        "once",
        "per",
        "tous",
        "les",
        "toutes",
        "chaque",
        "كل",
        "مرة",
        "واحدة",
        "في",
        "held",
        "meets",
        "يعقد",
        "تعقد",
        "ينعقد",
        "تنعقد",
        "a",
        "une",
        "fois",
    ]
)


def rhythm_months(text: str) -> int:
    """How many months apart sessions are, as people write it: "annual", "every two years",
    "every 6 months", «مرة كل سنتين», «سنوياً», «كل ستة أشهر», «tous les deux ans» (the spans
    themselves are read as a matrix's timeframes are: ``matrix_import.written_span``)."""
    words = span_words(text.replace("-", " "))
    phrase = " ".join(words)
    if phrase in _ONCE_A_YEAR:
        return 12
    if phrase in _BIENNIAL:
        return 24
    span = written_span([word for word in words if word not in _FILLER])
    if span is None or span[1] not in ("months", "years"):
        raise InvalidValue(
            "write how often the series meets, e.g. 'every two years', 'annual', 'every 6 months', «مرة كل سنتين»",
            "every",
        )
    amount, unit = span
    return amount * (12 if unit == "years" else 1)


def stated_months(every_months: int | None, every: str | None) -> int:
    """How many months apart, given as a number or as people write it (one of the two)."""
    if (every_months is None) == (every is None):
        raise InvalidValue("give every_months or every (not both)", "every_months")
    return every_months if every_months is not None else rhythm_months(every or "")


class MeetingSeries(Aggregate):
    """Remembers which follow-up commitments wait for a session of this series, and which
    sessions were held (so that a follow-up recorded after its session was held is fulfilled at once).

    Whether a held meeting meets a follow-up is the commitment's rule
    (``Commitment.is_met_by``); the series only knows whom to ask.
    Version 2 of the aggregate (in snapshots) added ``held``; version 3 ``rhythm``.
    """

    class_version = 3

    @staticmethod
    def upcast_v1_v2(state: dict[str, object]) -> None:
        state["held"] = ()

    @staticmethod
    def upcast_v2_v3(state: dict[str, object]) -> None:
        state["rhythm"] = None

    @staticmethod
    def create_id(slug: str, **_: object) -> UUID:
        return series_id(slug)

    @event("Opened")
    def __init__(self, slug: str, actor: str, timestamp: datetime) -> None:
        self.slug = slug
        self.awaiting: tuple[UUID, ...] = ()
        self.held: tuple[HeldSession, ...] = ()  # in the order recorded
        self.rhythm: Rhythm | None = None  # None: no session is expected by itself

    def state_rhythm(self, rhythm: Rhythm | None, actor: str, when: datetime) -> None:
        """How often the series meets from now on (None: it states no rhythm any more)."""
        if rhythm != self.rhythm:
            self._rhythm_stated(rhythm=rhythm, actor=actor, timestamp=when)

    @event("RhythmStated")
    def _rhythm_stated(self, rhythm: Rhythm | None, actor: str, timestamp: datetime) -> None:
        self.rhythm = rhythm

    def next_session_expected(self, session: HeldSession) -> FollowUp | None:
        """The follow-up to generate now that ``session`` was held (after the follow-ups it met were
        no longer awaited): the next session, if the series has a rhythm, this is its latest
        session, and no open follow-up awaits a session of the series already."""
        if self.rhythm is None or self.awaiting:
            return None
        if any(other.held_on > session.held_on for other in self.held):
            return None  # an earlier session recorded late: the next one was held already
        number = None if session.session_number is None else session.session_number + 1
        return FollowUp(series=self.slug, session_number=number, generated=True)

    def session_held(self, session: HeldSession, actor: str, when: datetime) -> None:
        self._session_recorded(session=session, actor=actor, timestamp=when)

    @event("SessionRecorded")
    def _session_recorded(self, session: HeldSession, actor: str, timestamp: datetime) -> None:
        self.held = (*self.held, session)

    def await_session(self, commitment_id: UUID, actor: str, when: datetime) -> None:
        if commitment_id not in self.awaiting:
            self._session_awaited(commitment_id=commitment_id, actor=actor, timestamp=when)

    @event("SessionAwaited")
    def _session_awaited(self, commitment_id: UUID, actor: str, timestamp: datetime) -> None:
        self.awaiting = (*self.awaiting, commitment_id)

    def stop_awaiting(self, commitment_id: UUID, meeting_id: UUID | None, actor: str, when: datetime) -> None:
        if commitment_id in self.awaiting:
            self._no_longer_awaited(commitment_id=commitment_id, meeting_id=meeting_id, actor=actor, timestamp=when)

    @event("NoLongerAwaited")
    def _no_longer_awaited(self, commitment_id: UUID, meeting_id: UUID | None, actor: str, timestamp: datetime) -> None:
        self.awaiting = tuple(awaited for awaited in self.awaiting if awaited != commitment_id)


# What a generated follow-up says, in the languages of the session's title (others read English).
_NEXT_SESSION = {
    "en": "Hold the next session of the series: {title}",
    "fr": "Tenir la prochaine session de la série : {title}",
    "ar": "عقد الدورة القادمة من السلسلة: {title}",
}
_NEXT_NUMBERED = {
    "en": "Hold session {number} of the series: {title}",
    "fr": "Tenir la session {number} de la série : {title}",
    "ar": "عقد الدورة {number} من السلسلة: {title}",
}


def next_session_text(title: MultilingualText, number: int | None) -> MultilingualText:
    """The text of the follow-up expected after a session titled ``title``."""
    templates = _NEXT_SESSION if number is None else _NEXT_NUMBERED
    return MultilingualText(
        {
            language: templates.get(language, templates["en"]).format(title=text, number=number)
            for language, text in title.texts.items()
        },
        title.authentic,
    )


def next_session_due(rhythm: Rhythm, time_zone: str) -> Due:
    """The next session is due by the end of the window: ``rhythm.months`` after the last day of
    the session held (a relative due, resolved from that day)."""
    if rhythm.months % 12 == 0:
        return Due.of("relative", time_zone, amount=rhythm.months // 12, unit="years")
    return Due.of("relative", time_zone, amount=rhythm.months, unit="months")
