"""Helpers the storage tests share (kept out of conftest so they import by a name no other test folder uses)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def child_env() -> dict:
    """The environment for a child Python process that imports this checkout's `bot`."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env
