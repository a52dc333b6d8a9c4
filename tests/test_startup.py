"""Start-up stays light: help and version never import SymPy, NumPy or matplotlib."""

import subprocess
import sys

import pytest

CHECK = """
import sys
from symgrad.cli import main
try:
    main({args!r})
except SystemExit:
    pass
heavy = [m for m in ("sympy", "numpy", "matplotlib", "mpmath") if m in sys.modules]
print("HEAVY:" + ",".join(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args",
    [["--help"], ["--version"], []]
    + [
        [name, "--help"]
        for name in ("diff", "grad", "descend", "hessian", "critical", "taylor", "check", "plot", "backprop")
    ],
)
def test_help_does_not_import_heavy_modules(args):
    run = subprocess.run([sys.executable, "-c", CHECK.format(args=args)], capture_output=True, text=True)
    assert "HEAVY:\n" in run.stderr, run.stderr


def test_a_command_does_import_sympy():
    # The check above can fail: a real command does load SymPy.
    run = subprocess.run(
        [sys.executable, "-c", CHECK.format(args=["diff", "x**2"])], capture_output=True, text=True
    )
    assert "HEAVY:sympy" in run.stderr
