"""The README's and examples/'s commands print exactly what those files show."""

import pytest

from console_examples import all_examples, matches, run_command

EXAMPLES = all_examples()


def test_there_are_examples():
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e.path.name}:{e.command[:60]}" for e in EXAMPLES])
def test_example_output_is_current(example):
    actual = run_command(example.command)
    assert matches(example.expected, actual), (
        "output changed; run `python tests/console_examples.py` to refresh the files\n" + "\n".join(actual)
    )
