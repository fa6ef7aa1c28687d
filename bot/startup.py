"""A built core kept between runs: the knowledge, intents and indexes of one data and code version, in the user's
cache folder, so a one-shot `--ask` starts in a fraction of the time it takes to parse and index everything.

The key is a digest of every data file and every module of the package; any change builds afresh. The cache is
only ever read from the user's own cache folder (0700), written atomically, and a damaged or unreadable entry is
ignored and rebuilt: it can make a start faster, never an answer different.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from bot.knowledge import DATA_SUFFIXES
from bot.paths import PACKAGE_DIR, intents_dir, knowledge_dir

OFF = "off"
KEEP = 3  # cached versions kept; older ones are removed when a new one is written


def cache_dir(explicit: str | None = None) -> Path:
    """IVIG_CACHE_DIR (through the settings), else the platform's user cache folder."""
    if explicit and explicit.strip():
        return Path(explicit.strip()).expanduser()
    if sys.platform.startswith("win"):
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "ivig-chat" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "ivig-chat"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache") / "ivig-chat"


def _files(folder: Path) -> list[Path]:
    """The regular files under `folder`. Anything else there (a FIFO, a device, a broken link, a folder named like a
    data file) raises OSError: the loader refuses such an entry, so a core cached before it appeared must not answer
    in its place."""
    files = []
    for path in folder.rglob("*"):
        if path.name.startswith("."):
            continue
        if path.is_file():
            files.append(path)
        elif not path.is_dir() or path.suffix in DATA_SUFFIXES:
            raise OSError(f"{path}: not a regular file")
    return sorted(files)


def digest(knowledge: Path | None, intents: Path | None) -> str:
    """A digest of every data file and every module of the package (any edit means a new key)."""
    h = hashlib.sha256(sys.version.encode())
    for folder in (Path(knowledge) if knowledge else knowledge_dir(), Path(intents) if intents else intents_dir(),
                   PACKAGE_DIR):
        for path in _files(folder):
            if path.suffix in {".pyc"}:
                continue
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:24]


def load(build, knowledge: Path | None, intents: Path | None, cache: str | None = None):
    """The core from the cache when this exact version was built before; else `build()`, then cached."""
    if (cache or "").strip().lower() == OFF:
        return build()
    try:
        key = digest(knowledge, intents)
    except OSError:
        return build()  # the data cannot be read here: building reports it properly
    folder = cache_dir(cache)
    path = folder / f"core-{key}.pickle"
    try:
        with path.open("rb") as stream:
            gc.disable()  # tens of thousands of objects at once: the collector would only slow this down
            try:
                return pickle.load(stream)  # noqa: S301 - our own file in the user's own cache folder
            finally:
                gc.enable()
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - a damaged entry is rebuilt, never trusted
        path.unlink(missing_ok=True)
    core = build()
    _store(core, folder, path)
    return core


def _store(core, folder: Path, path: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".core-", delete=False) as tmp:
            pickle.dump(core, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)
        old = sorted(folder.glob("core-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]
        for stale in old:
            stale.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - no cache (read-only home, full disk): only slower starts
        try:
            Path(tmp.name).unlink(missing_ok=True)  # type: ignore[possibly-undefined]
        except Exception:  # noqa: BLE001
            pass
