"""Run the command examples in README.md and examples/*.sh and compare them with their shown output.

README blocks are fenced ``console`` blocks: ``$ symgrad ...`` lines followed by the output.
Example scripts are shell scripts: each ``symgrad ...`` line is followed by its output as
``#> `` comment lines. A non-zero exit code is shown as a last line ``[exit N]``. In shown output,
``...`` inside a line matches any text (for timings). A command written ``COLUMNS=80 symgrad ...``
shows what a terminal 80 columns wide prints (without colour); any other command is piped, as
symgrad's output is when it is read by a program. Run this module to rewrite the shown output from
what the commands print now:

    python tests/console_examples.py
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import pkgutil
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from symgrad.cli import main

ROOT = Path(__file__).resolve().parent.parent
_FENCE = re.compile(r"^```console\n(.*?)^```", re.S | re.M)
_COMMAND = re.compile(r"(COLUMNS=\d+ )?symgrad(\s|$)")  # the start of a command line in an example


@dataclass
class Example:
    path: Path
    command: str
    expected: list[str]


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def terminal(columns: int):
    """symgrad's Rich views inside this block print as on a terminal ``columns`` wide, without colour."""
    import symgrad.render  # lazy: it loads SymPy, and conftest imports this module for every test

    for module in pkgutil.iter_modules(symgrad.render.__path__, "symgrad.render."):
        importlib.import_module(module.name)  # each takes its `console` now, so none keeps the stand-in
    original = symgrad.render.console

    def console(stderr: bool = False) -> Console:
        stream = sys.stderr if stderr else sys.stdout
        return Console(file=stream, width=columns, force_terminal=True, color_system=None, highlight=False)

    users = [m for m in list(sys.modules.values()) if getattr(m, "console", None) is original]
    for module in users:
        module.console = console
    try:
        yield
    finally:
        for module in users:
            module.console = original


def invoke(args: list[str], stdin: str = "", columns: int | None = None) -> Outcome:
    """Run symgrad's entry point in this process with ``args`` (no program name); with ``columns``,
    as on a terminal that wide."""
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.ExitStack() as context:
            context.enter_context(contextlib.redirect_stdout(out))
            context.enter_context(contextlib.redirect_stderr(err))
            if columns is not None:
                context.enter_context(terminal(columns))
            try:
                main(list(args))
                code = 0
            except SystemExit as stop:
                code = stop.code or 0
    finally:
        sys.stdin = old_stdin
    return Outcome(code, out.getvalue(), err.getvalue())


def run_command(command: str, stdin: str = "") -> list[str]:
    """Run one ``symgrad ...`` (or ``COLUMNS=N symgrad ...``) line from the project root; stdout,
    stderr, then ``[exit N]``."""
    args = shlex.split(command)
    columns = int(args.pop(0).removeprefix("COLUMNS=")) if args[0].startswith("COLUMNS=") else None
    assert args[0] == "symgrad", command
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        outcome = invoke(args[1:], stdin, columns)
    finally:
        os.chdir(cwd)
    lines = [line.rstrip() for line in (outcome.stdout + outcome.stderr).splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    if outcome.code:
        lines.append(f"[exit {outcome.code}]")
    return lines


# Output that changes from run to run is written as "..." when the files are rewritten.
_VARYING = [re.compile(r"[\d,.]+(?= steps/s)")]


def _shown(line: str) -> str:
    for pattern in _VARYING:
        line = pattern.sub("...", line)
    return line


def matches(expected: list[str], actual: list[str]) -> bool:
    if len(expected) != len(actual):
        return False
    for want, got in zip(expected, actual):
        pattern = ".*".join(re.escape(part) for part in want.rstrip().split("..."))
        if not re.fullmatch(pattern, got):
            return False
    return True


def readme_examples(path: Path = ROOT / "README.md") -> list[Example]:
    examples = []
    for block in _FENCE.findall(path.read_text()):
        current = None
        for line in block.splitlines():
            if line.startswith("$ ") and _COMMAND.match(line, 2):
                current = Example(path, line[2:], [])
                examples.append(current)
            elif current is not None:
                current.expected.append(line.rstrip())
    for example in examples:
        while example.expected and not example.expected[-1]:
            example.expected.pop()
    return examples


def script_examples(path: Path) -> list[Example]:
    examples = []
    current = None
    for line in path.read_text().splitlines():
        if _COMMAND.match(line):
            current = Example(path, line, [])
            examples.append(current)
        elif line.startswith("#>") and current is not None:
            current.expected.append(line[3:].rstrip())
        elif current is not None and not line.startswith("#>"):
            current = None
    return examples


def all_examples() -> list[Example]:
    found = readme_examples()
    for script in sorted((ROOT / "examples").glob("*.sh")):
        found += script_examples(script)
    return found


def _rewrite_readme(path: Path) -> None:
    def block(match):
        lines, out = match.group(1).splitlines(), []
        for line in lines:
            if line.startswith("$ ") and _COMMAND.match(line, 2):
                out += [line] + [_shown(shown) for shown in run_command(line[2:])] + [""]
            elif line.startswith("$ "):
                out.append(line)
        while out and not out[-1]:
            out.pop()
        return "```console\n" + "\n".join(out) + "\n```"

    path.write_text(_FENCE.sub(block, path.read_text()))


def _rewrite_script(path: Path) -> None:
    out = []
    for line in path.read_text().splitlines():
        if line.startswith("#>"):
            continue
        out.append(line)
        if _COMMAND.match(line):
            out += [("#> " + _shown(shown)).rstrip() for shown in run_command(line)]
    path.write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    _rewrite_readme(ROOT / "README.md")
    for script in sorted((ROOT / "examples").glob("*.sh")):
        _rewrite_script(script)
    print("rewrote README.md and examples/*.sh from the commands' output")
