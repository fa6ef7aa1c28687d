"""Locate the shipped data folders (knowledge/, intents/) from the package, never from the working directory."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder `name`, inside an installed wheel or beside the package in a source checkout."""
    packaged = PACKAGE_DIR / name  # a wheel carries the folders inside the package (see pyproject.toml)
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / name


def knowledge_dir() -> Path:
    return data_dir("knowledge")


def intents_dir() -> Path:
    return data_dir("intents")
