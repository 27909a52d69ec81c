"""Package data: the rule documentation (``rules/``) and JSON Schemas (``schemas/``).

In a wheel they are the packages ``stslint._data.rules`` and ``stslint._data.schemas`` (mapped from
the top-level folders by pyproject.toml); in a source checkout they are read from the folders
beside the package.
"""
from __future__ import annotations

import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path


def data_dir(name: str) -> Traversable:
    """The folder of package data ``name`` ("rules" or "schemas")."""
    try:
        folder = importlib.resources.files(f"stslint._data.{name}")
        if folder.is_dir():
            return folder
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / name
