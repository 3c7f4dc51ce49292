"""Soak test of automatic stream resumption: many background runs, many random connection cuts.

    python benchmarks/soak_resume.py [--cuts 5000] [--seed 1] [--async]

Uses the loopback replay server of ``tests/test_resume.py`` (real sockets on 127.0.0.1) and
prints runs, cuts, events delivered, duplicates, missing and the elapsed time; exits non-zero
if any event was duplicated or lost.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_resume import ReplayServer, SoakResult, soak_async, soak_sync


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cuts", type=int, default=5000, help="connection cuts to inject (default 5000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--async", dest="use_async", action="store_true", help="use AsyncLetta")
    args = parser.parse_args()
    server = ReplayServer()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    try:
        if args.use_async:
            result: SoakResult = asyncio.run(soak_async(server, rng, min_cuts=args.cuts))
        else:
            result = soak_sync(server, rng, min_cuts=args.cuts)
    except AssertionError as error:
        print(f"FAILED: {error}")
        return 1
    finally:
        server.close()
    elapsed = time.perf_counter() - started
    print(
        f"runs={result.runs} cuts={server.cuts} reconnects={result.reconnects} events={result.events} "
        f"duplicates={result.duplicates} missing={result.missing} elapsed={elapsed:.2f}s"
    )
    return 0 if result.duplicates == 0 and result.missing == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
