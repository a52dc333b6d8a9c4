"""The command line: a thin layer that parses options, calls the core and hands results to render.

Importing a command module registers its commands on ``app``; the import order is the order of the
commands in ``symgrad --help``. Shared options are declared in ``options``, and ``output`` prints a
result in the format asked for.

Lazy imports: ``symgrad --help`` must not load SymPy, NumPy or matplotlib, so the modules here import
only Typer and light parts of symgrad at the top; each command imports the core and its views where it
runs, under a comment saying so.
"""

from symgrad.cli import derivatives  # noqa: F401, I001
from symgrad.cli import descend  # noqa: F401
from symgrad.cli import fit  # noqa: F401
from symgrad.cli import hessian  # noqa: F401
from symgrad.cli import taylor  # noqa: F401
from symgrad.cli import check  # noqa: F401
from symgrad.cli import plot  # noqa: F401
from symgrad.cli import backprop  # noqa: F401
from symgrad.cli import shell  # noqa: F401
from symgrad.cli.app import app, main

__all__ = ["app", "main"]
