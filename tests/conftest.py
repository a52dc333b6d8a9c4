import json

import pytest

from console_examples import invoke


class Run:
    """The outcome of one in-process ``symgrad`` run, with helpers for the common checks."""

    def __init__(self, outcome):
        self.code = outcome.code
        self.stdout = outcome.stdout
        self.stderr = outcome.stderr

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture
def cli():
    """``cli("diff", "x**2", "--at", "x=1")`` runs symgrad in this process and returns a Run."""

    def run(*args, stdin=""):
        return Run(invoke(list(args), stdin))

    return run
