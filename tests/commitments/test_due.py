"""Dues resolve once to the UTC instant from which a commitment is late."""

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.commitments.due import Due
from domain.commitments.written_dues import stated_due, written_due
from domain.errors import InvalidValue

UTC = UTC
GENEVA = "Europe/Zurich"  # Geneva keeps Zurich's time; "Europe/Geneva" is not an IANA zone
RIYADH = "Asia/Riyadh"


def resolve(
    precision: str,
    value: str | None = None,
    zone: str = RIYADH,
    *,
    amount: int | None = None,
    unit: str | None = None,
    meeting_ends_on: date | None = None,
) -> datetime:
    return Due.of(precision, zone, value, amount, unit).resolve(meeting_ends_on)


@pytest.mark.parametrize(
    ("precision", "value", "zone", "expected"),
    [
        # "in 2024" is due at the end of 2024, local midnight in Riyadh (UTC+3)
        ("year", "2024", RIYADH, datetime(2024, 12, 31, 21, 0, tzinfo=UTC)),
        # Geneva in winter is UTC+1
        ("year", "2024", GENEVA, datetime(2024, 12, 31, 23, 0, tzinfo=UTC)),
        # the third quarter ends on 30 September; Geneva in summer is UTC+2
        ("quarter", "2025-Q3", GENEVA, datetime(2025, 9, 30, 22, 0, tzinfo=UTC)),
        ("quarter", "2025-Q1", RIYADH, datetime(2025, 3, 31, 21, 0, tzinfo=UTC)),
        # a month ends on its last day, February in a leap year on the 29th
        ("month", "2024-02", RIYADH, datetime(2024, 2, 29, 21, 0, tzinfo=UTC)),
        ("month", "2023-02", GENEVA, datetime(2023, 2, 28, 23, 0, tzinfo=UTC)),
        # a day ends at the following local midnight
        ("day", "2024-06-10", RIYADH, datetime(2024, 6, 10, 21, 0, tzinfo=UTC)),
        ("day", "2024-06-10", GENEVA, datetime(2024, 6, 10, 22, 0, tzinfo=UTC)),
    ],
)
def test_a_calendar_due_ends_at_local_midnight_after_its_period(
    precision: str, value: str, zone: str, expected: datetime
) -> None:
    assert resolve(precision, value, zone) == expected


def test_a_relative_due_counts_from_the_meetings_last_day() -> None:
    # "within two years" of the meeting that ended on 20 July 2022
    ends = date(2022, 7, 20)
    assert resolve("relative", zone=GENEVA, amount=2, unit="years", meeting_ends_on=ends) == datetime(
        2024, 7, 20, 22, 0, tzinfo=UTC
    )
    assert resolve("relative", zone=RIYADH, amount=6, unit="months", meeting_ends_on=ends) == datetime(
        2023, 1, 20, 21, 0, tzinfo=UTC
    )
    assert resolve("relative", zone=RIYADH, amount=3, unit="weeks", meeting_ends_on=ends) == datetime(
        2022, 8, 10, 21, 0, tzinfo=UTC
    )
    assert resolve("relative", zone=RIYADH, amount=10, unit="days", meeting_ends_on=ends) == datetime(
        2022, 7, 30, 21, 0, tzinfo=UTC
    )


def test_a_relative_due_in_months_is_clamped_to_a_shorter_month() -> None:
    assert resolve("relative", zone=RIYADH, amount=1, unit="months", meeting_ends_on=date(2024, 1, 31)) == datetime(
        2024, 2, 29, 21, 0, tzinfo=UTC
    )


def test_the_day_that_loses_an_hour_is_23_hours_long() -> None:
    # On 31 March 2024 Geneva moved from UTC+1 to UTC+2.
    before = resolve("day", "2024-03-30", GENEVA)
    short_day_end = resolve("day", "2024-03-31", GENEVA)
    assert short_day_end - before == timedelta(hours=23)
    assert short_day_end == datetime(2024, 3, 31, 22, 0, tzinfo=UTC)


def test_the_day_that_gains_an_hour_is_25_hours_long() -> None:
    # On 27 October 2024 Geneva moved from UTC+2 back to UTC+1.
    before = resolve("day", "2024-10-26", GENEVA)
    long_day_end = resolve("day", "2024-10-27", GENEVA)
    assert long_day_end - before == timedelta(hours=25)
    assert long_day_end == datetime(2024, 10, 27, 23, 0, tzinfo=UTC)


def test_riyadh_has_no_daylight_saving_so_every_day_is_24_hours() -> None:
    assert resolve("day", "2024-03-31", RIYADH) - resolve("day", "2024-03-30", RIYADH) == timedelta(hours=24)


def test_the_resolved_instant_is_in_utc() -> None:
    assert resolve("year", "2024").utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("precision", "value", "field"),
    [
        ("day", "2024-02-30", "due.value"),  # impossible
        ("day", "2023-02-29", "due.value"),  # not a leap year
        ("day", "10/06/2024", "due.value"),  # malformed
        ("month", "2024-13", "due.value"),
        ("quarter", "2024-Q5", "due.value"),
        ("year", "24", "due.value"),
        ("year", "1066", "due.value"),  # out of range
        ("decade", "2020", "due.precision"),
    ],
)
def test_malformed_or_impossible_dues_are_refused_naming_the_field(precision: str, value: str, field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Due.of(precision, RIYADH, value)
    assert refused.value.field == field


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        Due.of("year", "Mars/Olympus", "2024")
    assert refused.value.field == "due.time_zone"


def test_a_city_written_as_a_zone_is_refused_with_the_zone_to_use() -> None:
    with pytest.raises(InvalidValue) as refused:
        Due.of("year", "Europe/Geneva", "2024")
    assert "Europe/Zurich" in refused.value.detail


def test_a_relative_due_needs_amount_and_unit() -> None:
    with pytest.raises(InvalidValue) as refused:
        Due.of("relative", RIYADH, amount=2, unit="fortnights")
    assert refused.value.field == "due.unit"
    with pytest.raises(InvalidValue) as refused:
        Due.of("relative", RIYADH, amount=0, unit="years")
    assert refused.value.field == "due.amount"


@pytest.mark.parametrize(
    "given, expected",
    [
        ({"precision": "quarter", "value": "Q3 2025"}, ("quarter", "2025-Q3")),
        ({"precision": "quarter", "value": "الربع الثالث 2025"}, ("quarter", "2025-Q3")),
        ({"precision": "month", "value": "June 2024"}, ("month", "2024-06")),
        ({"precision": "day", "value": "30/06/2024"}, ("day", "2024-06-30")),
        ({"precision": "relative", "value": "18 months"}, ("relative", None)),
        ({"value": "Q3 2025"}, ("quarter", "2025-Q3")),
        ({"value": "سنتين"}, ("relative", None)),
    ],
)
def test_a_due_written_as_the_import_reads_it_is_read_alike_through_the_api(
    given: dict[str, str], expected: tuple[str, str | None]
) -> None:
    read = stated_due(given.get("precision"), "Asia/Riyadh", given.get("value"))
    assert read is not None and (read.precision.value, read.value) == expected
    assert read == written_due(given["value"], "Asia/Riyadh", "due")


def test_a_written_due_of_another_precision_is_refused_as_before() -> None:
    with pytest.raises(InvalidValue, match="is not a quarter"):
        stated_due("quarter", "Asia/Riyadh", "June 2024")
    assert stated_due(None, "Asia/Riyadh", "ongoing") is None
