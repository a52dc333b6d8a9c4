"""``symgrad shell``: one session for many commands, so SymPy is loaded once, not once per question.

Each line is a symgrad command without the word ``symgrad``, run by the command line's own entry point,
so it takes the same options and prints the same output. ``let NAME = EXPR`` defines a name that every
later command's ``--let`` sees; ``_`` stands for the last result's expression (the derivative after
``diff``, the expression after the others). On a terminal the session has line editing and a history
kept across sessions; otherwise it reads the commands from standard input, prints only their results,
and exits with the worst exit code met.

Only the standard library is imported here: ``symgrad --help`` imports this module too.
"""

from __future__ import annotations

import io
import os
import re
import shlex
import sys
from pathlib import Path

import typer

from symgrad import __version__
from symgrad.cli.app import app, click_command, main

PROMPT = "symgrad> "
HISTORY_LENGTH = 1000
_NAME = r"[^\W\d]\w*"
_LET = re.compile(rf"^let\s+(?P<name>{_NAME}(?:\([^)]*\))?)\s*=\s*(?P<value>.+)$")
_LAST = re.compile(r"(?<![\w.])_(?![\w(])")  # `_` alone, not inside a name such as w_1
SHELL_HELP = """\
Type a symgrad command without the word symgrad, e.g.

  diff 3*x**3-5*x**2+2 --at x=2
  let a = 3              a name every later command knows (as with --let a=3)
  let g(u) = u**2        a function, likewise
  diff _                 _ is the last result's expression (here the derivative)
  help diff              a command's options
  exit                   or Ctrl-D; Ctrl-C stops a running command

Commands:"""


def history_path() -> Path:
    """Where the history is kept: the user's data directory, as the platform names it."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        data = os.environ.get("XDG_DATA_HOME", "")
        base = Path(data) if os.path.isabs(data) else Path.home() / ".local" / "share"
    return base / "symgrad" / "history"


class Session:
    """The definitions and the last result of one shell session, and how a line is run in it."""

    def __init__(self):
        self.definitions: dict[str, str] = {}  # name (or g(u)) -> the text after '='
        self._last: str | None = None
        self._last_diff: tuple[dict, list[str]] | None = None  # worked out when `_` is used
        self.group = click_command()

    def run(self, line: str) -> int:
        """Run one line; its exit code (0 for nothing to do)."""
        line = line.strip()
        if not line or line.startswith("#"):
            return 0
        try:
            line = self._with_last(line)
            if _LET.match(line) or line == "let":
                return self._define(line)
            args = shlex.split(line)
        except ValueError as error:  # an unclosed quote, or _ before any result
            print(f"Error: {error}", file=sys.stderr)
            return 2
        if args[0] == "symgrad":
            args = args[1:]
        if not args:
            return 0
        if args[0] in ("help", "?"):
            return self._help(args[1:])
        if args[0] == "shell":
            print("Error: this is already the shell", file=sys.stderr)
            return 2
        code = self._command(args)
        if code == 0:
            self._remember(args)
        return code

    @property
    def last(self) -> str | None:
        """The last result's expression, as text; a diff's derivative is worked out when first asked."""
        if self._last_diff is not None:
            params, lets = self._last_diff
            self._last_diff = None
            try:
                self._last = _derivative_text(params, lets)
            except Exception:  # noqa: BLE001 - the command ran and said its result; _ is a convenience
                self._last = params["expression"]
        return self._last

    def _with_last(self, line: str) -> str:
        if not _LAST.search(line):
            return line
        last = self.last
        if last is None:
            raise ValueError("_ stands for the last result's expression, and there is none yet")
        return _LAST.sub(lambda _: f"({last})", line)

    def _define(self, line: str) -> int:
        if line == "let":
            for name, value in self.definitions.items():
                print(f"{name} = {value}")
            return 0
        match = _LET.match(line)
        name, value = match["name"], match["value"].strip()
        key = name.split("(")[0]
        known = {other.split("(")[0]: other for other in self.definitions}
        definitions = {**self.definitions}
        definitions.pop(known.get(key, ""), None)
        definitions[name] = value
        code = self._command(["diff", "0", "--vars", "x", *self._lets(definitions)], quiet=True)
        if code == 0:
            self.definitions = definitions
        return code

    @staticmethod
    def _lets(definitions: dict[str, str], given: set[str] = frozenset()) -> list[str]:
        """``--let`` options for the session's definitions, less those the line gives itself."""
        return [
            part
            for name, value in definitions.items()
            if name.split("(")[0] not in given
            for part in ("--let", f"{name}={value}")
        ]

    def _command(self, args: list[str], quiet: bool = False) -> int:
        """Run ``symgrad ARGS`` in this process: its output printed, its exit code returned."""
        command = self.group.commands.get(args[0])
        if command is not None and any(param.name == "let" for param in command.params):
            args = [args[0], *self._lets(self.definitions, _own_definitions(args[1:])), *args[1:]]
        stdin, sys.stdin = sys.stdin, io.StringIO("")  # `-` must not read the session's own input
        stdout = sys.stdout
        if quiet:
            sys.stdout = io.StringIO()
        try:
            main(args)
            return 0
        except SystemExit as stop:
            return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        finally:
            sys.stdin, sys.stdout = stdin, stdout

    def _help(self, topic: list[str]) -> int:
        if topic:
            return self._command([*topic, "--help"])
        print(SHELL_HELP)
        for name, command in self.group.commands.items():
            if name != "shell":
                print(f"  {name:<10} {command.short_help or ''}")
        return 0

    def _remember(self, args: list[str]) -> None:
        """Keep what ``_`` will stand for after ``args`` ran: a diff's derivative, else the expression."""
        command = self.group.commands.get(args[0])
        if command is None or not any(param.name == "expression" for param in command.params):
            return
        try:
            params = command.make_context(args[0], list(args[1:]), resilient_parsing=True).params
        except Exception:  # noqa: BLE001 - the command ran and said its result; _ is a convenience
            return
        text = params.get("expression")
        if not text or text == "-":
            return
        self._last, self._last_diff = text, None
        if args[0] == "diff":
            own = list(params.get("let") or ())
            given = _own_definitions([part for text in own for part in ("--let", text)])
            self._last_diff = (params, self._lets(self.definitions, given)[1::2] + own)


def _own_definitions(args: list[str]) -> set[str]:
    """The names a line defines with its own ``--let`` (its definition wins over the session's)."""
    names = set()
    for i, arg in enumerate(args):
        value = None
        if arg == "--let" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--let="):
            value = arg[len("--let=") :]
        if value is not None:
            names.add(re.split(r"[=(\s]", value.strip(), maxsplit=1)[0])
    return names


def _derivative_text(params: dict, lets: list[str]) -> str:
    """The derivative a ``diff`` line asked for, as text that reads back."""
    # lazy: the core loads SymPy, which `symgrad --help` must not; here it is loaded already
    from symgrad.analysis.derivatives import differentiate
    from symgrad.expression.printing import to_text

    result = differentiate(
        params["expression"],
        wrt=params.get("wrt") or (),
        order=params.get("order") or 1,
        variables=params.get("variables"),
        let=lets,
    )
    return to_text(result.derivative)


def _batch(session: Session) -> int:
    """Run standard input's lines, printing only their results; the worst exit code met."""
    worst = 0
    for line in sys.stdin:
        worst = max(worst, session.run(line))
    return worst


def _interactive(session: Session) -> int:
    """Read, run, repeat, with line editing and history; Ctrl-C abandons a line or a command."""
    editing = _line_editing(session)
    print(f"symgrad {__version__}: type a command without 'symgrad'; help, exit or Ctrl-D to leave")
    while True:
        try:
            line = input(PROMPT)
        except EOFError:
            print()
            return 0
        except KeyboardInterrupt:
            print()
            continue
        if line.strip() in ("exit", "quit"):
            return 0
        if editing is not None and line.strip():
            editing(line)
        try:
            session.run(line)
        except KeyboardInterrupt:  # between the command's own handling and the prompt
            print("Error: interrupted", file=sys.stderr)


def _line_editing(session: Session):
    """Turn on readline with the saved history; returns how to save a line, or None without readline."""
    try:
        import readline  # lazy: only an interactive shell edits lines, and some Pythons lack it
    except ImportError:
        return None
    path = history_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
        readline.read_history_file(path)
    except OSError:
        return None
    readline.set_history_length(HISTORY_LENGTH)
    words = sorted([*session.group.commands, "help", "let", "exit"])

    def complete(text: str, state: int) -> str | None:
        found = [word + " " for word in words if word.startswith(text)]
        first = readline.get_line_buffer().lstrip() == text.lstrip()
        return found[state] if first and state < len(found) else None

    readline.set_completer(complete)
    readline.parse_and_bind("tab: complete")

    def save(line: str) -> None:
        try:
            readline.append_history_file(1, path)
        except OSError:  # a full disk or a read-only home: the session goes on without saving
            pass

    return save


@app.command(
    "shell",
    help="""An interactive session: type symgrad commands without 'symgrad', with SymPy loaded once.

    \b
    Example:
      symgrad shell
      symgrad> diff 3*x**3-5*x**2+2 --at x=2
      symgrad> let a = 3
      symgrad> grad "a*x**2+y**2" --at 1,2

    'let NAME = EXPR' defines a name for later commands, '_' is the last result's expression.
    With standard input not a terminal it runs the lines given (symgrad shell < lesson.txt) and exits
    with the worst exit code met. History is kept in the user's data directory.
    """,
    short_help="An interactive session: many commands, one start-up.",
)
def shell():
    session = Session()
    code = _interactive(session) if sys.stdin.isatty() else _batch(session)
    raise typer.Exit(code)
