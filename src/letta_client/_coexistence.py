"""Two distributions, one folder: what to say when the official ``letta-client`` shares ``letta_client/``.

``letta-client-typed`` (this SDK) and the official ``letta-client`` both install the package folder
``letta_client/``. pip does not know that they clash, so installing one over the other merges them:

* **the official first, then ours**: our files replace the ones both ship, and the official's other
  files (``_base_client.py``, ``pagination.py``, ``lib/``, ...) stay. ``import letta_client`` runs
  our ``__init__``, which sees the official's ``_base_client.py`` (one ``stat``: cold import is
  benchmarked, and this module is only loaded when the file is there) and calls ``warn_merged``;
* **ours first, then the official**: the official's ``__init__`` replaced ours, so none of our code
  runs on ``import letta_client``. The public modules that only we ship (``letta_client.testing``,
  ``letta_client.tools``, ``python -m letta_client``) still do: they import ``_own_init`` first,
  which calls ``require_own_init``, so that they fail with the fix instead of with a bare
  ``cannot import name ...``.

Either way, uninstalling one of the two deletes files the other needs. The fix is the same: uninstall
both, then install one.
"""

from __future__ import annotations

import sys
import warnings

OFFICIAL = "letta-client"
OURS = "letta-client-typed"

MERGED_PREFIX = "letta_client is installed twice"
"""How the warning starts: ``python -W "ignore:letta_client is installed twice"`` silences it."""


class MixedInstallWarning(UserWarning):
    """``letta_client/`` holds the files of both distributions, and ``__init__.py`` is ours."""


def warn_merged(package_dir: str) -> None:
    # stacklevel 3: past this function and our __init__ (the import machinery's frames are not
    # counted), so the warning names the line that imported letta_client.
    warnings.warn(merged_message(package_dir), MixedInstallWarning, stacklevel=3)


def require_own_init() -> None:
    """Raise ``ImportError`` unless ``letta_client/__init__.py`` is ours."""
    package = sys.modules[__name__.rpartition(".")[0]]
    if "_EXPORTS" not in vars(package):  # our __init__ defines _EXPORTS; the official's does not
        raise ImportError(overwritten_message(package.__path__[0]), name=package.__name__)


def merged_message(package_dir: str) -> str:
    return (
        f"{MERGED_PREFIX}: the official {OFFICIAL!r} and {OURS!r} were both installed into {package_dir}, "
        f"and pip merged their files. That folder is neither SDK: the files of {OFFICIAL} that {OURS} does "
        "not replace are still there, and uninstalling either distribution deletes files the other needs. " + _fix()
    )


def overwritten_message(package_dir: str) -> str:
    return (
        f"letta_client/__init__.py in {package_dir} is not {OURS}'s: the official {OFFICIAL!r} was installed "
        f"after {OURS!r} into the same folder and replaced the files both ship, so `import letta_client` gives "
        f"the official SDK, and the modules only {OURS} has (letta_client.testing, letta_client.tools, "
        "python -m letta_client) cannot run. " + _fix()
    )


def _fix() -> str:
    python = sys.executable or "python"
    if any(c.isspace() for c in python):
        python = f'"{python}"'
    return (
        "Uninstall both, then install the one you want:\n"
        f"    {python} -m pip uninstall -y {OFFICIAL} {OURS}\n"
        f"    {python} -m pip install {OURS}    # or the wheel or clone you install it from\n"
        f"or: {python} -m pip install {OFFICIAL}\n"
        "To compare the two SDKs, give each its own virtual environment."
    )
