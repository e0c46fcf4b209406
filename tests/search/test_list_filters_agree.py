"""A list of commitments is filtered in two places: in SQL (``SqlCatalogue.find_commitments``, the
list as it stands now) and in Python (``application.listing.lists``, a list asked ``as_of`` an instant: the
records are replayed and filtered one by one). Asked as of an instant just after the last record,
both must give the same commitments, in the same order, with the same total: for every filter
alone, any combination of them and every sort. The records are generated (a seeded ``Random``), on
SQLite and on PostgreSQL, through the use cases, along every lifecycle path, with the clock's facts
(overdue, due soon, review due) and the escalation ladder's steps recorded by the scanner."""

import random
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from api.bootstrap import Services, build
from application.inputs import DueInput, ParticipantInput, PeriodInput, RowInput, TextInput
from application.listing import lists
from application.listing.queries import MAX_LIMIT, CommitmentFilter, Results, RollupScope
from application.notices.scanner import ScanResult
from domain.commitments.lifecycle import ALLOWED_FROM, Action, Status
from domain.commitments.promise import CommitmentKind, Evidence
from domain.commitments.rollup import roll_up
from domain.errors import DomainError
from domain.meetings.meeting import Venue
from domain.search import query_words
from infrastructure.persistence.scratch import scratch_database
from infrastructure.read_model.tables import meetings_view
from tests.actors import acting
from tests.conftest import ENGINES, settings_for_tests
from tests.fakes import FrozenClock

UTC = UTC
SEED = 20220721
COMMITMENTS = 180  # and a few successors: a list of every one of them fits a page of MAX_LIMIT
START = datetime(2023, 3, 6, 8, 41, 17, 250_000, tzinfo=UTC)
END = datetime(2024, 6, 14, 10, 17, 23, 500_000, tzinfo=UTC)  # no due or review falls at this minute anywhere
AT = END + timedelta(seconds=1)  # just after the last record
ACTOR = acting("key_filters")
SORTS = ("recorded", "due", "-due")
AXES = ("effective", "recorded")  # as of an instant, replayed (effective), or the versions kept (recorded)
ZONES = (None, "Asia/Riyadh", "America/New_York", "Asia/Kuala_Lumpur", "Africa/Casablanca", "UTC")
LADDER = "20:lead_party,60:parent_organisation,150:meeting_chairs"  # the deployment's

ENGLISH = (
    "report",
    "workshop",
    "training",
    "statistics",
    "matrix",
    "food",
    "security",
    "Genève",
    "capacity",
    "review",
    "2024",
    "youth",
    "water",
    "trade",
    "forum",
    "CO2",
    "e-learning",
    "Côte",
    "d'Ivoire",
)
ARABIC = (
    "تقرير",
    "ورشة",
    "الإطار",
    "للإنتربول",
    "التعاون",
    "الإسلامي",
    "مصفوفة",
    "الأنشطة",
    "المشتركة",
    "الأمن",
    "الغذائي",
    "والتدريب",
    "الإحصائية",
    "المياه",
    "الشباب",
    "تَقْرِيرٌ",
    "الـتـعـاون",
    "٢٠٢٥",
    "بالمنظمة",
    "وفلسطين",
)
SEARCHED = (
    "report",
    "rep",
    "workshop",
    "geneve",
    "Genève",
    "2024",
    "2025",
    "food security",
    "co2",
    "learning",
    "cote d'ivoire",
    "paragraph 3",
    "الإطار",
    "اطار",
    "انتربول",
    "للإنتربول",
    "التعاون الإسلامي",
    "تدريب",
    "مصفوفه",
    "تقرير",
    "المنظمة",
    "فلسطين",
    "قرار",
    "nothing-of-the-kind",
)


@dataclass
class Recorded:
    services: Services
    parties: list[UUID]
    meetings: list[UUID]
    agreements: list[UUID]
    themes: list[str]
    instants: list[datetime]  # for due_before and due_after: dues recorded, a microsecond either side, others


# -- the generated records -------------------------------------------------------------------------


class Generator:
    def __init__(self, services: Services, clock: FrozenClock, rng: random.Random) -> None:
        self.tracker = services.tracker
        self.scanner = services.scanner
        self.clock = clock
        self.rng = rng

    def world(self) -> tuple[list[UUID], list[UUID], list[UUID], dict[UUID, UUID], list[str]]:
        """Parties (some with a parent, two with a ladder of their own), meetings of one series and
        one of none, a matrix and a framework, and the themes."""
        register = self.tracker.parties.register
        oic = UUID(
            register(
                ACTOR,
                TextInput({"ar": "منظمة التعاون الإسلامي", "en": "OIC"}, "ar"),
                "OIC",
                "international_organisation",
            ).id
        )
        un = UUID(
            register(
                ACTOR,
                TextInput({"en": "United Nations", "ar": "الأمم المتحدة"}, "en"),
                "UN",
                "international_organisation",
            ).id
        )
        children = [
            UUID(register(ACTOR, TextInput({"en": f"The {name}"}), name, "subsidiary_organ", parent).id)
            for name, parent in (("SESRIC", oic), ("IOFS", oic), ("ICDT", oic), ("UNDP", un), ("FAO", un))
        ]
        ministry = UUID(register(ACTOR, TextInput({"ar": "وزارة الخارجية"}), None, "ministry").id)
        parties = [oic, un, *children, ministry]
        self.tracker.parties.keep_ladder(children[0], ACTOR, [(10, "lead_party"), (40, "meeting_chairs")], "own")
        self.tracker.parties.keep_ladder(children[3], ACTOR, [(0, "parent_organisation")], "own")
        meetings = []
        for n, (starts, zone) in enumerate(
            (
                (date(2022, 7, 18), "Europe/Zurich"),
                (date(2022, 11, 14), "Asia/Riyadh"),
                (date(2023, 1, 9), "America/New_York"),
            )
        ):
            meetings.append(
                UUID(
                    self.tracker.meetings.record(
                        ACTOR,
                        TextInput({"ar": f"الاجتماع العام رقم {n + 1}", "en": f"General meeting {n + 1}"}, "ar"),
                        "general_meeting",
                        PeriodInput(starts, starts + timedelta(days=2)),
                        Venue("Headquarters", zone),
                        series="joint-committee",
                        session_number=n + 1,
                        participants=[
                            ParticipantInput(oic, "chair"),
                            ParticipantInput(parties[n + 1], "co_chair"),
                            ParticipantInput(parties[n + 4], "participant"),
                        ],
                    ).id
                )
            )
        meetings.append(
            UUID(
                self.tracker.meetings.record(
                    ACTOR,
                    TextInput({"en": "Expert group on food security"}),
                    "working_group",
                    PeriodInput(date(2022, 9, 5), date(2022, 9, 6)),
                    Venue("FAO", "Africa/Casablanca"),
                ).id
            )
        )
        matrix = UUID(
            self.tracker.agreements.adopt(
                ACTOR,
                meetings[0],
                TextInput({"en": "Matrix of joint activities"}),
                "action_matrix",
                [oic, un],
                rows=[
                    RowInput(
                        TextInput({"en": f"Activity {n}"}),
                        parties[n % 7],
                        [parties[(n + 1) % 7]],
                        DueInput("relative", amount=6 * n + 3, unit="months"),
                    )
                    for n in range(6)
                ],
            ).id
        )
        framework = UUID(
            self.tracker.agreements.adopt(
                ACTOR,
                meetings[1],
                TextInput({"en": "Framework of cooperation", "ar": "إطار التعاون"}, "en"),
                "framework",
                [oic, children[1]],
                text=TextInput({"en": "The parties agree to cooperate."}),
                validity=PeriodInput(date(2022, 11, 16), date(2026, 11, 15)),
            ).id
        )
        themes = ["food-security", "statistics", "youth", "water"]
        for code in themes:
            self.tracker.themes.define(ACTOR, code, TextInput({"en": code.replace("-", " ").capitalize()}))
        return parties, meetings, [matrix, framework], {matrix: meetings[0], framework: meetings[1]}, themes

    def text(self) -> TextInput:
        english = " ".join(self.rng.sample(ENGLISH, self.rng.randint(2, 5)))
        arabic = " ".join(self.rng.sample(ARABIC, self.rng.randint(2, 5)))
        languages = self.rng.choice((("en",), ("ar",), ("en", "ar"), ("ar", "en")))
        texts = {"en": english.capitalize(), "ar": arabic}
        return TextInput({language: texts[language] for language in languages}, languages[0])

    def due(self) -> DueInput | None:
        rng, zone = self.rng, self.rng.choice(ZONES)
        precision = rng.choice(("none", "day", "day", "month", "quarter", "year", "year", "relative"))
        if precision == "none":
            return None
        if precision == "relative":
            unit = rng.choice(("days", "weeks", "months", "years"))
            amount = {
                "days": rng.randint(1, 100),
                "weeks": rng.randint(1, 60),
                "months": rng.randint(1, 30),
                "years": rng.randint(1, 2),
            }[unit]
            return DueInput("relative", amount=amount, unit=unit, time_zone=zone)
        day = date(2023, 1, 1) + timedelta(days=rng.randint(0, 900))
        if rng.random() < 0.3:  # due soon, or overdue for less than a step of the ladder
            day = END.date() + timedelta(days=rng.randint(-25, 65))
        value = {
            "day": day.isoformat(),
            "month": day.isoformat()[:7],
            "year": str(day.year),
            "quarter": f"{day.year}-Q{(day.month - 1) // 3 + 1}",
        }[precision]
        return DueInput(precision, value, time_zone=zone)

    def day(self) -> date:
        return date(2023, 3, 1) + timedelta(days=self.rng.randint(0, 600))

    def commitments(
        self,
        parties: list[UUID],
        meetings: list[UUID],
        agreements: list[UUID],
        held_at: dict[UUID, UUID],
        themes: list[str],
    ) -> list[str]:
        rng, recorded = self.rng, []
        leads = [*parties, parties[2], parties[2], parties[5], parties[5]]  # those with a ladder of their own, more
        for n in range(COMMITMENTS):
            self.clock.set(START + (END - START) * 0.9 * n / COMMITMENTS + timedelta(seconds=rng.randint(0, 600)))
            kind = rng.choices(list(CommitmentKind), (6, 3, 1))[0]
            meeting, agreement, row, clause = rng.choice(meetings), None, None, None
            if kind is CommitmentKind.CLAUSE:
                agreement = agreements[1]
                meeting, clause = held_at[agreement], f"Paragraph {rng.randint(1, 9)}"
            elif kind is CommitmentKind.ACTION and rng.random() < 0.2:
                agreement, row = agreements[0], rng.randint(1, 6)
                meeting = held_at[agreement]
            lead = rng.choice(leads)
            supporting = rng.sample([p for p in parties if p != lead], rng.choice((0, 0, 1, 1, 2)))
            follow_up: dict[str, Any] = {}
            if kind is CommitmentKind.FOLLOW_UP_SESSION:
                follow_up = {"follow_up_series": "joint-committee", "follow_up_session_number": rng.randint(2, 6)}
            view = self.tracker.commitments.record(
                ACTOR,
                self.text(),
                lead,
                meeting,
                kind=kind.value,
                supporting_party_ids=supporting,
                agreement_id=agreement,
                row_number=row,
                clause=clause,
                quote=TextInput({"ar": " ".join(rng.sample(ARABIC, 4))}) if rng.random() < 0.2 else None,
                due=None if row is not None and rng.random() < 0.7 else self.due(),
                status=rng.choice(("draft", "agreed", "agreed", "agreed", "noted")),
                reminder_days=rng.choice((None, None, [60, 14], [7])),
                review_on=self.day() if rng.random() < 0.25 else None,
                **follow_up,
            )
            recorded.append(view.id)
            self.walk(view.id, view.status, themes, parties)
            if n % 12 == 11:
                self.scanner.tick()  # the clock's facts and the ladder's steps, as the scanner finds them on the way
        return recorded

    def walk(self, commitment_id: str, status: str, themes: list[str], parties: list[UUID]) -> None:
        """A few random changes: lifecycle actions (as the lifecycle's table allows), progress, a new due, a
        review day, themes, a correction."""
        rng, use = self.rng, self.tracker.commitments
        actions = [
            a
            for a in Action
            if a not in (Action.SUPERSEDE, Action.REVISE_DUE, Action.SCHEDULE_REVIEW, Action.REPORT_PROGRESS)
        ]
        for _ in range(rng.choice((0, 1, 2, 2, 3, 4, 5))):
            self.clock.advance(minutes=rng.randint(1, 300))
            allowed = [a for a in actions if Status(status) in ALLOWED_FROM[a]]
            change = rng.choice((*allowed, *allowed, "progress", "due", "review", "themes", "correct"))
            try:
                if change is Action.SUSPEND:
                    status = use.suspend(UUID(commitment_id), ACTOR, "CFM/50/Res.3", "by decision").status
                elif change is Action.DELIVER:
                    delivered_on = None if rng.random() < 0.5 else (self.clock.now - timedelta(days=rng.randint(0, 40)))
                    status = use.deliver(
                        UUID(commitment_id),
                        ACTOR,
                        [Evidence("Report", "https://example.org/r")],
                        None if delivered_on is None else delivered_on.date(),
                    ).status
                elif change is Action.ASSESS:
                    outcome = rng.choice(("fulfilled", "partially_fulfilled", "not_fulfilled"))
                    status = use.assess(UUID(commitment_id), ACTOR, outcome, "assessed").status
                elif isinstance(change, Action):
                    status = use.act(change, commitment_id, ACTOR, "as decided").status
                elif change == "progress":
                    use.report_progress(UUID(commitment_id), ACTOR, rng.randint(0, 100), "تم عقد ورشة العمل")
                elif change == "due":
                    use.revise_due(UUID(commitment_id), ACTOR, self.due(), "revised")
                elif change == "review":
                    use.schedule_review(UUID(commitment_id), ACTOR, rng.choice((self.day(), None)), "to look at")
                elif change == "themes":
                    self.tracker.themes.choose(
                        UUID(commitment_id), ACTOR, rng.sample(themes[:3], rng.randint(0, 2)), "tagged"
                    )
                else:
                    lead = rng.choice(parties)
                    use.correct(
                        UUID(commitment_id),
                        ACTOR,
                        "written wrong",
                        text=self.text(),
                        lead_party_id=lead,
                        supporting_party_ids=[p for p in rng.sample(parties, 2) if p != lead][:1],
                    )
            except DomainError:
                continue  # not allowed from here (a reason missing, the same due again): the walk goes on

    def supersede(self, recorded: list[str], meetings: list[UUID], parties: list[UUID]) -> None:
        """A few commitments of the first meeting superseded by new ones of a later session."""
        for commitment_id in self.rng.sample(recorded, 40):
            view = self.tracker.commitments.get(commitment_id)
            if (
                view.provenance["meeting_id"] != str(meetings[0])
                or Status(view.status) not in ALLOWED_FROM[Action.SUPERSEDE]
            ):
                continue
            self.clock.advance(minutes=7)
            successor = self.tracker.commitments.record(
                ACTOR, self.text(), self.rng.choice(parties), meetings[2], due=self.due(), status="agreed"
            )
            self.tracker.commitments.supersede(
                UUID(commitment_id), ACTOR, UUID(successor.id), meetings[2], "renewed at the next session"
            )
            recorded.append(successor.id)


def generate(services: Services, clock: FrozenClock) -> Recorded:
    rng = random.Random(SEED)
    generator = Generator(services, clock, rng)
    clock.set(START - timedelta(days=1))
    parties, meetings, agreements, held_at, themes = generator.world()
    recorded = generator.commitments(parties, meetings, agreements, held_at, themes)
    clock.set(START + (END - START) * 0.95)
    generator.supersede(recorded, meetings, parties)
    clock.advance(hours=1)
    services.tracker.meetings.hold(meetings[1], ACTOR, PeriodInput(date(2022, 11, 14), date(2022, 11, 16)))
    clock.set(END)
    while services.scanner.tick() != ScanResult():  # until it finds nothing more to record
        pass
    found = services.catalogue.find_commitments(CommitmentFilter(has_due=True, limit=MAX_LIMIT, sort="due"))
    dues = sorted({datetime.fromisoformat(item["due_at"].replace("Z", "+00:00")) for item in found.items})
    tick = timedelta(microseconds=1)
    instants = [
        *(due + shift for due in rng.sample(dues, 4) for shift in (-tick, timedelta(0), tick)),
        END,
        AT,
        datetime(2024, 1, 1, tzinfo=UTC),
        datetime(2025, 1, 1, tzinfo=UTC),
        datetime(2024, 7, 1, 3, 0, tzinfo=timezone(timedelta(hours=3))),
    ]  # (midnight UTC, written in Riyadh)
    return Recorded(services, parties, meetings, agreements, themes, instants)


@pytest.fixture(scope="module", params=ENGINES)
def recorded(request: pytest.FixtureRequest, empty_schema: dict[str, str]) -> Iterator[Recorded]:
    """The generated records, once per module and engine (only read by the tests)."""
    clock = FrozenClock(START)
    with (
        scratch_database(request.param, "test", copy_of=empty_schema[request.param]) as url,
        build(settings_for_tests(url, escalation_ladder=LADDER), clock=clock) as services,
    ):
        yield generate(services, clock)


# -- the filters -----------------------------------------------------------------------------------


def alone(r: Recorded) -> list[dict[str, Any]]:
    """Each field of the filter alone, with each of its values worth asking (or a sample of them)."""
    filters: list[dict[str, Any]] = [{}]
    filters += [{"statuses": [status.value]} for status in Status]
    filters += [{"statuses": ["agreed", "in_progress", "stalled"]}, {"statuses": ["delivered", "fulfilled"]}]
    filters += [{"kinds": [kind.value]} for kind in CommitmentKind] + [{"kinds": ["action", "clause"]}]
    for party in r.parties:
        filters += [{"party": party}, {"lead_party": party}, {"supporting_party": party}, {"escalated_to": party}]
    filters += [
        {"any_party": frozenset(str(p) for p in r.parties[:2])},
        {"any_party": frozenset({str(r.parties[4])})},
        {"any_party": frozenset()},
    ]
    filters += [{"meeting": meeting} for meeting in r.meetings] + [{"agreement": a} for a in r.agreements]
    for instant in r.instants:
        filters += [{"due_before": instant}, {"due_after": instant}]
    for flag in ("overdue", "due_soon", "has_due", "review_due", "escalated"):
        filters += [{flag: True}, {flag: False}]
    filters += [{"themes": [theme]} for theme in r.themes] + [{"themes": r.themes[1:3]}]
    filters += [{"words": query_words(words)} for words in SEARCHED]
    return filters


def combinations(r: Recorded, rng: random.Random, count: int) -> list[dict[str, Any]]:
    """Random combinations of two to four fields, each with one of its values above."""
    by_field: dict[str, list[dict[str, Any]]] = {}
    for one in alone(r)[1:]:
        by_field.setdefault(next(iter(one)), []).append(one)
    found = []
    for _ in range(count):
        chosen: dict[str, Any] = {}
        for name in rng.sample(sorted(by_field), rng.randint(2, 4)):
            chosen.update(rng.choice(by_field[name]))
        found.append({**chosen, "sort": rng.choice(SORTS)})
    return found


# -- the comparison --------------------------------------------------------------------------------


def listed(answer: Callable[[CommitmentFilter], Results], query: CommitmentFilter) -> tuple[list[str], int]:
    """Every commitment of the list, page after page (following the cursors), and the total the first page gave."""
    ids: list[str] = []
    page = answer(replace(query, exact_total=True))
    total = page.total
    while True:
        ids += [item["id"] for item in page.items]
        if page.next_cursor is None:
            return ids, total
        page = answer(replace(query, exact_total=True, cursor=page.next_cursor))


def disagreements(r: Recorded, fields: dict[str, Any], limit: int = MAX_LIMIT) -> list[str]:
    """How the lists as of just after the last record differ from the list now (none: they agree)."""
    catalogue, histories = r.services.catalogue, r.services.tracker.histories
    query = CommitmentFilter(**fields, limit=limit)
    now, total = listed(catalogue.find_commitments, query)
    found = []
    for axis in AXES:
        then, then_total = listed(
            lambda q: lists.commitments(histories, catalogue, q), replace(query, as_of=AT, axis=axis)
        )
        if then != now or then_total != total:
            missing, extra = [i for i in now if i not in then], [i for i in then if i not in now]
            found.append(
                f"{fields} on the {axis} axis: now {len(now)} (total {total}), as of now {len(then)} "
                f"(total {then_total}); only now {missing[:3]}, only as of now {extra[:3]}"
                + ("; in another order" if not missing and not extra else "")
            )
    return found


# -- the rules -------------------------------------------------------------------------------------


def test_the_generated_records_reach_every_state_a_filter_asks_about(recorded: Recorded) -> None:
    """Else an agreement below would prove little: each status, kind, flag and party is found, and not
    everything is."""
    catalogue = recorded.services.catalogue
    everything = catalogue.find_commitments(CommitmentFilter(limit=1)).total
    assert 150 <= everything <= MAX_LIMIT
    for fields in alone(recorded)[1:]:
        if next(iter(fields)) in (
            "statuses",
            "kinds",
            "overdue",
            "due_soon",
            "has_due",
            "review_due",
            "escalated",
            "lead_party",
            "themes",
        ):
            total = catalogue.find_commitments(CommitmentFilter(**fields, limit=1)).total
            assert 0 < total < everything or fields == {"themes": ["water"]}, fields  # (a theme nobody chose)
    told = {
        party
        for party in recorded.parties
        if catalogue.find_commitments(CommitmentFilter(escalated_to=party, limit=1)).total
    }
    assert len(told) >= 3
    items = catalogue.find_commitments(CommitmentFilter(limit=MAX_LIMIT)).items
    assert {item["due"]["precision"] for item in items if item["due"]} == {
        "day",
        "month",
        "quarter",
        "year",
        "relative",
    }


@pytest.mark.slow  # every filter over 192 commitments, replayed as of now
def test_every_commitment_filter_answers_the_same_now_and_as_of_now(recorded: Recorded) -> None:
    assert [found for fields in alone(recorded) for found in disagreements(recorded, fields)] == []


@pytest.mark.slow  # every sort over 192 commitments, replayed as of now
def test_every_sort_orders_the_same_now_and_as_of_now(recorded: Recorded) -> None:
    """Dues tie (every commitment due "in 2024" where it was agreed): ties are in recorded order, or
    in the reverse order with ``-due``, the exact reverse of ``due``; page after page (the list now
    continues after a due and a position, the list as of an instant after an offset)."""
    samples: list[dict[str, Any]] = [
        {},
        {"has_due": True},
        {"statuses": ["agreed"]},
        {"kinds": ["clause"]},
        {"overdue": True},
        {"words": query_words("report")},
        {"themes": ["food-security"]},
    ]
    assert [
        found
        for fields in samples
        for sort in SORTS
        for limit in (MAX_LIMIT, 64)
        for found in disagreements(recorded, {**fields, "sort": sort}, limit)
    ] == []


@pytest.mark.slow  # 60 combinations, replayed as of now
def test_any_combination_of_commitment_filters_answers_the_same_now_and_as_of_now(recorded: Recorded) -> None:
    rng = random.Random(SEED + 1)
    assert [found for fields in combinations(recorded, rng, 60) for found in disagreements(recorded, fields)] == []


# -- what the rules above once found -----------------------------------------------------------------


def test_with_minus_due_the_commitments_due_alike_come_last_recorded_first_now_and_as_of_now(
    services: Services, clock: FrozenClock
) -> None:
    """``-due`` is the exact reverse of ``due``: dues alike come in the reverse of the order recorded.
    The replayed list (as of an instant) once kept them in the order recorded."""
    tracker = services.tracker
    party = tracker.parties.register(ACTOR, TextInput({"en": "The SESRIC"}), "SESRIC", "subsidiary_organ").id
    meeting = tracker.meetings.record(
        ACTOR,
        TextInput({"en": "General meeting"}),
        "general_meeting",
        PeriodInput(date(2022, 7, 18), date(2022, 7, 20)),
        Venue("Palais des Nations", "Europe/Zurich"),
    ).id
    ids = []
    for due in (DueInput("year", "2024"), DueInput("year", "2024"), None, DueInput("year", "2023")):
        clock.advance(minutes=1)
        ids.append(
            tracker.commitments.record(
                ACTOR, TextInput({"en": "A report"}), UUID(party), UUID(meeting), due=due, status="agreed"
            ).id
        )
    first, second, open_ended, earlier = ids
    query = CommitmentFilter(sort="-due")
    assert [item["id"] for item in services.catalogue.find_commitments(query).items] == [
        open_ended,
        second,
        first,
        earlier,
    ]
    for axis in AXES:
        then = lists.commitments(
            tracker.histories, services.catalogue, replace(query, as_of=clock.now + timedelta(seconds=1), axis=axis)
        )
        assert [item["id"] for item in then.items] == [open_ended, second, first, earlier], axis


# -- the roll-ups ----------------------------------------------------------------------------------


def test_roll_ups_from_the_kept_counts_agree_with_counting_each_commitment_now_and_as_of_now(
    recorded: Recorded,
) -> None:
    """Three ways to one roll-up: the counts the projector keeps (now), each commitment of the scope
    counted by the domain's rule, and the versions recorded as of an instant after the last record."""
    figures, catalogue = recorded.services.figures, recorded.services.catalogue
    with recorded.services.engine.connect() as connection:
        series = sorted(s for (s,) in connection.execute(select(meetings_view.c.series).distinct()) if s)
    assert series  # and meetings of none
    scopes = [
        RollupScope(),
        *(RollupScope(party=p) for p in recorded.parties),
        *(RollupScope(meeting=m) for m in recorded.meetings),
        *(RollupScope(agreement=a) for a in recorded.agreements),
        *(RollupScope(series=s) for s in series),
        RollupScope(agreement=recorded.agreements[0], party=recorded.parties[0]),
    ]

    def figures_only(rollup: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in rollup.items() if k not in ("scope", "as_of", "axis")}

    for scope in scopes:
        kept = figures_only(figures.rollup(scope))
        one_by_one = asdict(roll_up(row.counted for row in catalogue.rollup_rows(scope)))
        as_of_now = figures_only(figures.rollup(scope, AT, "recorded"))
        assert kept == one_by_one == as_of_now, scope
    everything = figures_only(figures.rollup(RollupScope()))
    assert everything["commitments"] > COMMITMENTS and everything["median_days_to_fulfil"] is not None
    assert len(everything["by_status"]) >= 10
    now, then = figures.statistics(), figures.statistics(AT, "recorded")
    assert {k: now[k] for k in ("overall", "parties", "series")} == {
        k: then[k] for k in ("overall", "parties", "series")
    }
