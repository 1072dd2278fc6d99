"""Classification by a poverty standard (Decree 07/2021, art. 3; Decree 351/2025).

Pure arithmetic on plain values, so that one survey and ten thousand are judged by the
same lines. Income is compared as the household's total against line × members, so a
household exactly at the line is at it, whatever the rounding of a per-person figure.
"""

from dataclasses import dataclass

POOR = "poor"
NEAR_POOR = "near_poor"
NOT_POOR = "not_poor"


@dataclass(frozen=True)
class Line:
    """What a survey is judged by: the income line of its area and the rule's count."""

    income: int
    poor_min_lacking: int


def per_person(income_total: int, members: int) -> int:
    """Income per person per month, in whole đồng (rounded down)."""
    return income_total // members if members > 0 else 0


def classify(income_total: int, members: int, lacking: int, line: Line) -> str:
    """Poor: at or below the line and lacking at least `poor_min_lacking` indicators;
    near-poor: at or below the line and lacking fewer; otherwise not poor."""
    if members <= 0 or income_total > line.income * members:
        return NOT_POOR
    return POOR if lacking >= line.poor_min_lacking else NEAR_POOR
