"""One row of the benchmark table: a figure, what it is compared with, and its goal."""

from __future__ import annotations

import dataclasses
import statistics
from typing import List, Optional


@dataclasses.dataclass
class Row:
    name: str
    ours: str
    reference: str  # what ours is compared with, measured in the same run
    result: str  # the figure the goal is about (a ratio, or ours itself)
    goal: str
    met: Optional[bool]  # None: informational, no goal

    def cells(self) -> List[str]:
        verdict = "—" if self.met is None else ("yes" if self.met else "**no**")
        return [self.name, self.ours, self.reference, self.result, self.goal, verdict]


HEADER = ["benchmark", "ours", "reference (same run)", "result", "goal", "met"]


def markdown(rows: List[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def median(values: List[float]) -> float:
    return statistics.median(values)
