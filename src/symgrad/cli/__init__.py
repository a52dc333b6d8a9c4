"""The command line: a thin layer that parses options, calls the core and hands results to render."""

from symgrad.cli import derivatives  # noqa: F401  (registers diff and grad)
from symgrad.cli.app import app, main

__all__ = ["app", "main"]
