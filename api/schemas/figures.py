"""Figures: the roll-ups and statistics of commitments, overall, by party and by series."""

from pydantic import Field

from api.schemas.common import Answer


class Figures(Answer):
    commitments: int
    by_status: dict[str, int]
    overdue: int
    due_soon: int
    escalated: int
    counted: int = Field(description="those that count towards progress: not draft, noted, cancelled or superseded")
    weight: int = Field(description="their weights added (a commitment without a weight counts 1)")
    progress: float | None = Field(
        description="their weighted completion in percent: fulfilled or delivered 100, "
        "partially fulfilled its progress (else 50), not fulfilled 0, open ones their "
        "progress; null: none counts"
    )
    assessed: int
    fulfilled: int
    completion_rate: float | None = Field(description="fulfilled among the assessed, in percent")
    median_days_to_fulfil: float | None = Field(description="days from when it was made to when it was fulfilled")
    timed: int = Field(description="the fulfilled ones whose both days are known")


class RollupAnswer(Figures):
    scope: dict[str, str | None]
    as_of: str | None
    axis: str


class PartyFigures(Figures):
    party_id: str


class SeriesFigures(Figures):
    series: str | None


class Statistics(Answer):
    as_of: str | None
    axis: str
    overall: Figures
    parties: list[PartyFigures]
    series: list[SeriesFigures]
