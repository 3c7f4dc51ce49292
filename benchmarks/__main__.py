"""Every benchmark, one table: ``python -m benchmarks [--quick] [--results FILE]``.

Each figure sits next to its goal; the official SDK (its own venv, see ``_official``) and the
floors are measured in the same run, so the ratios compare like with like.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import time
from pathlib import Path
from typing import Callable, List

from . import (
    agents_page,
    cold_import,
    concurrency,
    decode_rows,
    first_call,
    latency,
    memory,
    otel_overhead,
    send_overhead,
    web_relay,
)
from ._table import Row, markdown


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    load = ""
    try:
        load = ", load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {platform.system()}{load}"


def write_results(path: Path, measured: str, table: str) -> None:
    """Replace the "Measured …" line and the table of an existing results file, keeping its notes."""
    if not path.exists():
        path.write_text(f"{measured}\n\n{table}\n")
        return
    out: List[str] = []
    state = "before"  # the first table (the results) is replaced; later tables (notes) are kept
    for line in path.read_text().splitlines():
        if line.startswith("Measured "):
            out.append(measured)
        elif line.startswith("|") and state != "after":
            if state == "before":
                out.append(table.strip())
                state = "in"
        else:
            if state == "in":
                state = "after"
            out.append(line)
    path.write_text("\n".join(out) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller counts (about a minute)")
    parser.add_argument("--results", type=Path, help="also write the table to this markdown file")
    args = parser.parse_args()
    q = args.quick
    steps: List[Callable[[], List[Row]]] = [
        lambda: decode_rows.rows(5_000 if q else 20_000, 2 if q else 3, 1 if q else 3),
        lambda: cold_import.rows(7 if q else 15),
        lambda: send_overhead.rows(50 if q else 300),
        lambda: agents_page.rows(10 if q else 30),
        lambda: latency.rows(200 if q else 1000, 2.0),
        lambda: memory.rows(100_000 if q else 1_000_000),
        lambda: concurrency.rows(500, 20 if q else 200),
        lambda: first_call.rows(3),
        lambda: otel_overhead.rows(5_000 if q else 20_000, 2 if q else 3, 2 if q else 5, 7 if q else 15),
        lambda: web_relay.rows(5_000 if q else 20_000, 200, 200, 1 if q else 3),
    ]
    rows: List[Row] = []
    started = time.perf_counter()
    for step in steps:
        new = step()
        for row in new:
            print(" | ".join(row.cells()), flush=True)
        rows += new
    elapsed = time.perf_counter() - started
    table = markdown(rows)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    info = f"{stamp}; {machine()}; {'--quick' if q else 'full'} run in {elapsed:.0f} s"
    print()
    print(info)
    print(table)
    if args.results:
        write_results(args.results, f"Measured {info}.", table)


if __name__ == "__main__":
    main()
