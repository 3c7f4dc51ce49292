"""The stream decode benchmark (``stream_decode.measure_all``) as rows of the table."""

from __future__ import annotations

from typing import List

from ._table import Row
from .stream_decode import MODES, measure_all


def rows(events: int, repeat: int, rounds: int) -> List[Row]:
    rates = measure_all(events, repeat, rounds)
    result: List[Row] = []
    for mode in MODES:
        ours, floor, theirs = (rates[impl, mode, "event"] for impl in ("ours", "floor", "official"))
        name = f"stream decode, {mode}, one chunk per event (events/s)"
        result.append(
            Row(
                name,
                f"{ours:,.0f}",
                f"floor {floor:,.0f}",
                f"{ours / floor:.2f}x floor",
                "≥ 1.0x floor",
                ours / floor >= 1.0,
            )
        )
        result.append(
            Row(
                name,
                f"{ours:,.0f}",
                f"official {theirs:,.0f}",
                f"{ours / theirs:.1f}x official",
                "≥ 5x official",
                ours / theirs >= 5.0,
            )
        )
    for mode in MODES:
        ours, floor, theirs = (rates[impl, mode, "4096"] for impl in ("ours", "floor", "official"))
        result.append(
            Row(
                f"stream decode, {mode}, 4 KiB reads (events/s)",
                f"{ours:,.0f}",
                f"floor {floor:,.0f} / official {theirs:,.0f}",
                f"{ours / floor:.2f}x floor, {ours / theirs:.1f}x official",
                "— (report)",
                None,
            )
        )
    return result
