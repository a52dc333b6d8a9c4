"""The Typer application, the command class every command registers with, and the one error path.

Nothing heavy is imported here: ``symgrad --help`` must not load SymPy, NumPy or matplotlib.
"""

from __future__ import annotations

import functools
import sys
from typing import Annotated

import typer
from typer.core import TyperCommand

from symgrad import __version__, interrupts
from symgrad.cli.streams import CANNOT_WRITE, discard_output, is_reader_gone, prepare_streams, write_failure
from symgrad.errors import InputError, SymgradError
from symgrad.interrupts import Interrupted

app = typer.Typer(
    name="symgrad",
    help="Symbolic calculus for machine learning: derivatives, gradients, Hessians and "
    "gradient descent you can watch.",
    no_args_is_help=True,
    add_completion=True,
    # Plain help: Typer's Rich help imports rich.markdown and markdown-it, about 0.1 s per start.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class ExpressionCommand(TyperCommand):
    """A command whose expression may start with '-' (``symgrad diff "-x**2+3*x"``).

    An argument that starts with '-' and is no option of the command is moved after ``--``, so
    the parser takes it as the expression instead of an unknown option. An option that takes one
    value is refused when it is given twice, instead of the last one silently winning.
    """

    def parse_args(self, ctx, args):
        takes_value, flags, single = set(), set(), {}
        for param in self.params:
            if getattr(param, "param_type_name", "") != "option":
                continue
            names = set(param.opts) | set(param.secondary_opts)
            (flags if param.is_flag or param.count else takes_value).update(names)
            if not (param.is_flag or param.count or param.multiple):
                single.update(dict.fromkeys(names, max(param.opts, key=len)))
        flags.update(ctx.help_option_names)
        _refuse_repeated([arg.split("=", 1)[0] for arg in args[: _end_of_options(args)]], single)
        kept, moved, i = [], [], 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                kept += args[i:]
                break
            name = arg.split("=", 1)[0]
            is_expression = (
                arg.startswith("-")
                and not arg.startswith("--")
                and len(arg) > 1
                and name not in takes_value | flags
            )
            if is_expression:
                moved.append(arg)
            else:
                kept.append(arg)
                if name in takes_value and "=" not in arg and i + 1 < len(args):
                    kept.append(args[i + 1])
                    i += 1
            i += 1
        if moved:
            kept = kept + (["--"] if "--" not in kept else []) + moved
        return super().parse_args(ctx, kept)


def _end_of_options(args: list[str]) -> int:
    return args.index("--") if "--" in args else len(args)


def _refuse_repeated(names: list[str], single: dict[str, str]) -> None:
    """InputError for an option that takes one value and is given more than once."""
    given = [single[name] for name in names if name in single]
    for option in dict.fromkeys(given):
        if given.count(option) > 1:
            raise InputError(
                f"{option} is given {given.count(option)} times but takes one value: give it once"
                + (
                    " (for several learning rates use a comma list, e.g. --lr 0.1,0.01)"
                    if option == "--lr"
                    else ""
                )
            )


def comma_list(words: tuple[str, ...]):
    """A shell completer for an option that takes one word or a comma list of them (``sgd,adam``)."""

    def complete(incomplete: str) -> list[str]:
        done, _, last = incomplete.rpartition(",")
        given = set(done.split(",")) if done else set()
        prefix = done + "," if done else ""
        return [prefix + word for word in words if word.startswith(last) and word not in given]

    return complete


def command(name: str, help_text: str, summary: str):
    """Register a command that takes an expression argument; ``summary`` is its line in --help."""
    return app.command(name, cls=ExpressionCommand, help=help_text, short_help=summary)


@functools.cache
def click_command():
    """The Click command Typer builds from ``app``, built once: it takes about 30 ms, which a shell
    session would otherwise pay on every line."""
    return typer.main.get_command(app)


def _version(value: bool):
    if value:
        print(f"symgrad {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
):
    """Symbolic calculus for machine learning: derivatives, gradients, Hessians and gradient
    descent you can watch."""


def _error(message: str, extra: list[str] = ()) -> None:
    try:
        print(f"Error: {message}", file=sys.stderr)
        for line in extra:
            print(line, file=sys.stderr)
    except (OSError, ValueError):  # stderr closed or full: the exit code is all that can tell
        pass


def main(args: list[str] | None = None) -> None:
    """Entry point: run the app and turn every failure into one ``Error:`` line and an exit code."""
    unwritable = prepare_streams()
    if unwritable:
        _error(f"cannot write the output: {unwritable}")
        code = CANNOT_WRITE
    else:
        code = _run(sys.argv[1:] if args is None else list(args))
    try:
        sys.stdout.flush()
    except OSError as error:
        code = _output_failed(error, code)
    sys.exit(code)


def _run(args: list[str]) -> int:
    """Run the command ``args`` names; its exit code."""
    try:
        _refuse_undecodable(args)
        command_object = click_command()
        code = command_object.main(args=args, prog_name="symgrad", standalone_mode=False)
    except Interrupted as stop:
        interrupts.exit_at_once()
        _error(str(stop))
        code = stop.exit_code
    except (KeyboardInterrupt, typer.Abort):  # run without install(), as in a test or a notebook
        _error("interrupted")
        code = 130
    except SymgradError as error:
        _error(str(error), getattr(error, "caret_lines", lambda: [])())
        code = error.exit_code
    except OverflowError as error:
        detail = error.args[-1] if error.args else "overflow"  # math's are (errno, text)
        _error(f"a number grew beyond the range of floats ({detail}); try smaller values")
        code = 1
    except RecursionError:
        _error("the expression is nested too deeply to work with; simplify it")
        code = 2
    except OSError as error:  # symgrad reads no files: this is writing the output (saving raises InputError)
        code = _output_failed(error, 0)
    except Exception as error:
        code = _other_failure(error)
    return code if isinstance(code, int) else 0


def _output_failed(error: OSError, code: int) -> int:
    """Say why the output could not be written; the exit code, which stays ``code`` when the reader
    went away (``| head``): it has all it asked for."""
    discard_output(sys.stdout)
    if is_reader_gone(error):
        return code
    _error(write_failure(error))
    return CANNOT_WRITE


def _refuse_undecodable(args: list[str]) -> None:
    """InputError for an argument that is not UTF-8 (Python keeps such bytes as lone surrogates)."""
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = repr(arg.encode("utf-8", "surrogateescape" if _escaped(arg) else "backslashreplace"))
            raise InputError(
                f"the argument '{shown[2:-1]}' is not valid UTF-8 text: write it, and file names, in UTF-8"
            ) from None


def _escaped(arg: str) -> bool:
    try:
        arg.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return False
    return True


def _other_failure(error: Exception) -> int:
    """Click's usage errors and help, the encoding of the output, or a failure nobody foresaw."""
    if type(error).__name__ == "NoArgsIsHelpError":  # bare `symgrad`: show the help
        print(error.ctx.get_help())
        return 0
    if hasattr(error, "format_message") and hasattr(error, "exit_code"):  # click usage errors
        hint = ""
        ctx = getattr(error, "ctx", None)
        if ctx is not None:
            hint = f" (see '{ctx.command_path} --help')"
        _error(error.format_message() + hint)
        return error.exit_code
    if isinstance(error, UnicodeEncodeError):  # a stream with no way to write the text, even in ASCII
        character = error.object[error.start]
        _error(f"cannot write the output: its encoding ({error.encoding}) cannot show {character!r}")
        return CANNOT_WRITE
    _error(f"unexpected failure ({type(error).__name__}: {error}); please report it")
    return 1
