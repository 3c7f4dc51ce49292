"""The docs hold together: every relative link of README.md, docs/*.md and api.md leads to a file
that exists (and, with ``#anchor``, to a heading it has), and every ``client.…`` or ``sim.…`` they
name exists on our client or simulator."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

import pytest

from _docs import PAGES, ROOT
from letta_client import AsyncLetta, Letta
from letta_client.testing import Simulator

DOCS = [*PAGES, ROOT / "api.md"]
FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.M | re.S)
INLINE_CODE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)|href=\"([^\"]+)\"")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.M)
CLIENT_PATH = re.compile(r"(?<![\w.])client\.([a-z_]+(?:\.[a-z_]+)*)")
SIM_ATTRIBUTE = re.compile(r"(?<![\w.])sim\.([a-z_]+)")


def prose(text: str) -> str:
    """The text without its fenced blocks and code spans (links there are not links)."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text
    text = text.replace("`", "").replace("*", "")  # code and emphasis marks
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> Set[str]:
    found: Set[str] = set()
    counts: Dict[str, int] = {}
    for heading in HEADING.findall(FENCE.sub("", page.read_text(encoding="utf-8"))):
        base = slug(heading)
        found.add(base if base not in counts else f"{base}-{counts[base]}")
        counts[base] = counts.get(base, 0) + 1
    return found


def links(page: Path) -> Iterator[str]:
    for match in LINK.finditer(prose(page.read_text(encoding="utf-8"))):
        yield match.group(1) or match.group(2)


def test_the_slugs_are_githubs() -> None:
    assert slug("What cancel and timeouts do on the server") == "what-cancel-and-timeouts-do-on-the-server"
    assert slug("Leaving a loop, closing") == "leaving-a-loop-closing"
    assert slug("agents.messages") == "agentsmessages" and slug("mcp_servers") == "mcp_servers"
    assert slug("The `aiohttp` extra") == "the-aiohttp-extra"


@pytest.mark.parametrize("page", DOCS, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves(page: Path) -> None:
    broken: List[str] = []
    for target in links(page):
        if re.match(r"^[a-z][a-z+.-]*:", target):  # https:, mailto:…
            continue
        path, _, anchor = target.partition("#")
        destination = (page.parent / path).resolve() if path else page
        if not destination.exists() or ROOT not in [destination, *destination.parents]:
            broken.append(f"{target}: no such file")
        elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            broken.append(f"{target}: {destination.name} has no heading #{anchor}")
    assert not broken, f"{page.name}: " + "; ".join(broken)


def documented(pattern: re.Pattern[str]) -> Iterator[Tuple[str, str]]:
    for page in DOCS:
        for match in pattern.finditer(page.read_text(encoding="utf-8")):
            yield page.name, match.group(1)


def test_every_documented_client_method_exists() -> None:
    clients = [Letta(base_url="http://localhost:8283"), AsyncLetta(base_url="http://localhost:8283")]
    missing: Set[str] = set()
    paths = set(documented(CLIENT_PATH))
    assert len({path for _, path in paths}) > 50, "the pages should name the client's methods"
    for page, path in paths:
        for client in clients:
            obj: object = client
            for part in path.split("."):
                if not hasattr(obj, part):
                    missing.add(f"{page}: client.{path} ({type(client).__name__} has no {part!r})")
                    break
                obj = getattr(obj, part)
    assert not missing, "\n".join(sorted(missing))


def test_every_documented_simulator_attribute_exists() -> None:
    sim = Simulator()
    missing = {f"{page}: sim.{name}" for page, name in documented(SIM_ATTRIBUTE) if not hasattr(sim, name)}
    assert not missing, "\n".join(sorted(missing))
