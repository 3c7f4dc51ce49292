"""The stream decode benchmark (``stream_decode.measure``) as rows of the table."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import List

from ._bodies import mixed_events, sse_body
from ._official import official_python
from ._table import Row
from .stream_decode import measure


def rows(events: int, repeat: int) -> List[Row]:
    result: List[Row] = []
    official = official_python()
    with tempfile.TemporaryDirectory() as tmp:
        body_path = str(Path(tmp) / "body.sse")
        Path(body_path).write_bytes(sse_body(mixed_events(events)))
        for mode in ("sync", "async"):
            ours = measure(sys.executable, "ours", mode, body_path, repeat)
            floor = measure(sys.executable, "floor", mode, body_path, repeat)
            theirs = measure(official, "official", mode, body_path, repeat)
            name = f"stream decode, {mode} (events/s, {events:,} events)"
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
            result.append(
                Row(
                    name,
                    f"{ours:,.0f}",
                    f"floor {floor:,.0f}",
                    f"{ours / floor:.2f}x floor",
                    "≥ 0.8x floor",
                    ours / floor >= 0.8,
                )
            )
    return result
