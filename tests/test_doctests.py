"""The examples in the modules' docstrings run and print what they show."""

import doctest
import importlib
import pkgutil

import pytest

import symgrad

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(symgrad.__path__, "symgrad.")
    if info.name != "symgrad.__main__"  # importing it runs the program
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
