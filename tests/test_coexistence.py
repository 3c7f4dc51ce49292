"""The official ``letta-client`` and ours share the folder ``letta_client/`` (see ``letta_client._coexistence``).

Offline, on copies of our package: a folder that also holds the official's files warns on import, and
the modules only we ship refuse to run under a foreign ``__init__.py``.

For real (``package_index``): a scratch venv gets the official wheel from the package index, then ours,
then the fix the warning prints, then the reverse order. It reaches the package index, so it runs
only in CI (``CI=true``) or with ``LETTA_COEXISTENCE=1``; when the index cannot be reached it skips,
saying why. The official's dependencies come from the index too; ours then needs nothing more.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Union

import pytest

import letta_client
from letta_client._coexistence import MERGED_PREFIX

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(letta_client.__path__[0])
OFFICIAL_PIN = "letta-client==1.12.1"
UNINSTALL_BOTH = "-m pip uninstall -y letta-client letta-client-typed"
OVERWRITTEN = "letta_client/__init__.py in"
RUN_FOR_REAL = os.environ.get("CI") == "true" or os.environ.get("LETTA_COEXISTENCE") == "1"


def clean_env(**extra: str) -> Dict[str, str]:
    """The environment without PYTHON* settings (PYTHONWARNINGS would hide the warning)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(extra)
    return env


def run(*argv: Union[str, Path], timeout: float = 600, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(arg) for arg in argv], capture_output=True, text=True, env=clean_env(**env), timeout=timeout, check=False
    )


# -- offline: copies of our package -------------------------------------------------------------


@pytest.fixture
def our_copy(tmp_path: Path) -> Path:
    """A copy of our package in ``tmp_path/site/letta_client``; returns the ``site`` folder."""
    shutil.copytree(PACKAGE, tmp_path / "site" / "letta_client", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "site"


def test_our_package_does_not_ship_the_file_that_marks_the_official() -> None:
    assert not (PACKAGE / "_base_client.py").exists()


def test_importing_our_package_alone_says_nothing(our_copy: Path) -> None:
    result = run(sys.executable, "-W", "default", "-c", "import letta_client", PYTHONPATH=str(our_copy))
    assert (result.returncode, result.stderr) == (0, "")


def test_a_folder_with_the_officials_files_warns_at_the_importing_line(our_copy: Path) -> None:
    (our_copy / "letta_client" / "_base_client.py").write_text("", encoding="utf-8")
    result = run(sys.executable, "-c", "import letta_client", PYTHONPATH=str(our_copy))
    assert result.returncode == 0
    assert result.stderr.startswith(f"<string>:1: MixedInstallWarning: {MERGED_PREFIX}: the official 'letta-client'")
    assert f"{sys.executable} {UNINSTALL_BOTH}\n" in result.stderr
    assert str(our_copy / "letta_client") in result.stderr


def test_the_warning_can_be_silenced_by_its_prefix(our_copy: Path) -> None:
    (our_copy / "letta_client" / "_base_client.py").write_text("", encoding="utf-8")
    result = run(sys.executable, "-W", f"ignore:{MERGED_PREFIX}", "-c", "import letta_client", PYTHONPATH=str(our_copy))
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize("code", ["import letta_client.tools", "import letta_client.testing"])
def test_our_own_modules_refuse_a_foreign_init(our_copy: Path, code: str) -> None:
    (our_copy / "letta_client" / "__init__.py").write_text("__version__ = 'someone else'\n", encoding="utf-8")
    result = run(sys.executable, "-c", code, PYTHONPATH=str(our_copy))
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()
    assert f"ImportError: {OVERWRITTEN} {our_copy / 'letta_client'} is not letta-client-typed's" in result.stderr
    assert last[-1] == "To compare the two SDKs, give each its own virtual environment."


def test_python_m_letta_client_refuses_a_foreign_init(our_copy: Path) -> None:
    (our_copy / "letta_client" / "__init__.py").write_text("", encoding="utf-8")
    result = run(sys.executable, "-m", "letta_client", "chat", PYTHONPATH=str(our_copy))
    assert result.returncode == 1
    assert f"ImportError: {OVERWRITTEN}" in result.stderr
    assert f"{sys.executable} {UNINSTALL_BOTH}\n" in result.stderr


# -- for real: pip, a scratch venv, and the package index ---------------------------------------


def pip(*args: str, python: Path) -> subprocess.CompletedProcess[str]:
    """This pip, installing into the scratch venv (which has no pip of its own: faster to create)."""
    return run(sys.executable, "-m", "pip", "--python", python, *args)


def checked(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, f"{' '.join(result.args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def fetch_official(dest: Path, *pip_options: str) -> Union[Path, str]:
    """The official wheel, downloaded into ``dest``; or why it could not be (the skip reason)."""
    options = ("--no-deps", "--retries", "1", "--timeout", "15", *pip_options)
    result = run(sys.executable, "-m", "pip", "download", *options, "-d", dest, OFFICIAL_PIN, timeout=300)
    wheels = sorted(dest.glob("letta_client-*.whl"))
    if result.returncode == 0 and wheels:
        return wheels[0]
    lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    why = [line for line in lines if "connection" in line.lower()] or lines[-1:] or ["no output"]
    return f"the package index is unreachable: `pip download {OFFICIAL_PIN}` failed: {why[0]}"


def test_without_the_package_index_the_reason_to_skip_names_the_download(tmp_path: Path) -> None:
    # --isolated: no pip configuration, so the only index is a closed port on loopback.
    reason = fetch_official(tmp_path, "--isolated", "--no-cache-dir", "--index-url", "http://127.0.0.1:9/simple/")
    assert isinstance(reason, str)
    assert reason.startswith(f"the package index is unreachable: `pip download {OFFICIAL_PIN}` failed: ")
    assert "Connection refused" in reason  # pip's own words (the first line; older pips name the host later)
    assert not list(tmp_path.iterdir())


def site_packages(python: Path) -> Path:
    out = checked(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"))
    return Path(out.stdout.strip())


@pytest.mark.package_index
@pytest.mark.skipif(not RUN_FOR_REAL, reason="reaches the package index: runs with CI=true or LETTA_COEXISTENCE=1")
def test_both_distributions_in_one_venv_for_real(tmp_path: Path) -> None:
    official = fetch_official(tmp_path / "official")
    if isinstance(official, str):
        pytest.skip(official)
    ours = tmp_path / "ours"
    checked(run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", ours, ROOT))
    (our_wheel,) = ours.glob("letta_client_typed-*.whl")
    checked(run(sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "venv")))
    python = tmp_path / "venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    folder = site_packages(python) / "letta_client"

    # The official first (its dependencies from the index cover ours), then ours: pip merges them.
    checked(pip("install", "-q", str(official), python=python))
    checked(pip("install", "-q", str(our_wheel), python=python))
    assert (folder / "_base_client.py").exists() and (folder / "_transport.py").exists()
    merged = run(python, "-c", "import letta_client")
    assert merged.returncode == 0, merged.stderr
    assert merged.stderr.startswith(f"<string>:1: MixedInstallWarning: {MERGED_PREFIX}: the official 'letta-client'")
    assert f"{folder}, and pip merged their files" in merged.stderr

    # The fix it prints, exactly: uninstall both (leaves no file behind), then install one.
    (command,) = [line.split() for line in merged.stderr.splitlines() if UNINSTALL_BOTH in line]
    assert command == [str(python), *UNINSTALL_BOTH.split()]
    checked(pip(*command[3:], python=python))
    leftovers = [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []
    assert leftovers == []
    checked(pip("install", "-q", str(our_wheel), python=python))
    alone = run(python, "-c", "import letta_client, letta_client.tools, letta_client.testing")
    assert (alone.returncode, alone.stderr) == (0, "")

    # Ours first, then the official: its __init__ replaced ours, so plain `import letta_client` runs
    # none of our code (nothing can warn); our own modules refuse with the same fix.
    checked(pip("install", "-q", str(official), python=python))
    official_init = run(python, "-c", "import sys, letta_client; print('letta_client._base_client' in sys.modules)")
    assert (official_init.returncode, official_init.stdout, official_init.stderr) == (0, "True\n", "")
    refusals: List[subprocess.CompletedProcess[str]] = [
        run(python, "-c", "import letta_client.tools"),
        run(python, "-c", "import letta_client.testing"),
        run(python, "-m", "letta_client", "chat"),
    ]
    for refusal in refusals:
        assert refusal.returncode == 1
        assert f"ImportError: {OVERWRITTEN} {folder} is not letta-client-typed's" in refusal.stderr
        assert f"{python} {UNINSTALL_BOTH}\n" in refusal.stderr
