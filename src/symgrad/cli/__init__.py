"""The command line: a thin layer that parses options, calls the core and hands results to render.

Importing a command module registers its commands on ``app``.
"""

from symgrad.cli import (  # noqa: F401
    backprop,
    derivatives,
    descend,
    plot,
    second_order,
)
from symgrad.cli.app import app, main

__all__ = ["app", "main"]
