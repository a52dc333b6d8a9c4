"""``symgrad shell``: many commands in one session, from a file or typed at a terminal."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from symgrad.cli.shell import history_path

ROOT = Path(__file__).resolve().parent.parent
LESSON = 'diff 3*x**3-5*x**2+2 --at x=2\ngrad "x**2+4*y**2" --at 1,2\n'


def test_a_lesson_from_a_pipe_prints_both_results_and_exits_0():
    run = subprocess.run(
        [sys.executable, "-m", "symgrad", "shell"], input=LESSON, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert "derivative  d/dx = 9x² − 10x" in run.stdout
    assert "x=2  16     16" in run.stdout
    assert "gradient    ∇f = [2x, 8y]" in run.stdout
    assert "symgrad>" not in run.stdout  # no prompt, no echo: only results
    assert run.stderr == ""


def test_the_shell_prints_what_the_commands_print(cli):
    alone = (
        cli("diff", "3*x**3-5*x**2+2", "--at", "x=2").stdout
        + cli("grad", "x**2+4*y**2", "--at", "1,2").stdout
    )
    assert cli("shell", stdin=LESSON).stdout == alone


def test_a_bad_line_prints_its_error_and_the_next_still_runs(cli):
    run = cli("shell", stdin='diff x**(\nfrobnicate x\ngrad "x**2+4*y**2" --at 1,2\n')
    assert run.code == 2  # the worst exit code met
    assert "Error: the expression ends too early" in run.stderr
    assert "No such command 'frobnicate'" in run.stderr
    assert "∂f/∂y  16" in run.stdout


def test_the_worst_exit_code_wins(cli):
    run = cli("shell", stdin="descend x**2 --start 1 --lr 1.5 --steps 50\ndiff x**2\n")
    assert run.code == 1
    assert "d/dx = 2x" in run.stdout


def test_let_defines_names_for_later_lines(cli):
    run = cli("shell", stdin="let a = 3\nlet g(u) = u**2\ndiff a*g(x) --at x=1\ndiff a*x --let a=5\nlet\n")
    assert run.code == 0, run.stderr
    assert "x=1  6      6" in run.stdout
    assert "d/dx = 5" in run.stdout  # the line's own --let wins over the session's
    assert run.stdout.endswith("a = 3\ng(u) = u**2\n")


def test_a_bad_definition_is_refused_and_forgotten(cli):
    run = cli("shell", stdin="let a = 2*(\nlet\n")
    assert run.code == 2
    assert "Error:" in run.stderr
    assert run.stdout == ""


def test_underscore_is_the_last_results_expression(cli):
    run = cli("shell", stdin="diff x**3\ndiff _ --at x=2\ndiff w_1*x --vars x\n_x\n")
    assert "d/dx = 6x" in run.stdout
    assert "x=2  12     12" in run.stdout
    assert "d/dx = w₁" in run.stdout or "d/dx = w_1" in run.stdout  # w_1 is a name, not _
    underscore = cli("shell", stdin="diff _\n")
    assert underscore.code == 2
    assert "there is none yet" in underscore.stderr


def test_help_and_stdin_are_the_sessions(cli):
    run = cli("shell", stdin="help\nhelp diff\ndiff -\nshell\n")
    assert "let NAME" not in run.stdout  # the shell's help shows examples, not the syntax line
    assert "  descend " in run.stdout and "--wrt" in run.stdout
    assert "no expression on standard input" in run.stderr  # `-` never reads the lesson itself
    assert "already the shell" in run.stderr


def test_history_lives_in_the_data_directory(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert history_path() == tmp_path / "symgrad" / "history"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    assert history_path() == Path.home() / ".local" / "share" / "symgrad" / "history"


# --- at a real terminal ----------------------------------------------------------------------------

pexpect = pytest.importorskip("pexpect")


def _terminal_shell(data_home: Path):
    env = {**os.environ, "XDG_DATA_HOME": str(data_home), "PYTHONPATH": str(ROOT / "src"), "TERM": "xterm"}
    # A user's terminal delivers Ctrl-C; a test runner started as a background job would hand the
    # shell an ignored SIGINT, which symgrad keeps ignored, so the child restores it first.
    start = "import signal, runpy; signal.signal(signal.SIGINT, signal.default_int_handler); "
    start += "runpy.run_module('symgrad', run_name='__main__')"
    session = pexpect.spawn(
        sys.executable,
        ["-c", start, "shell"],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
    )
    session.expect_exact("symgrad> ")
    return session


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_ctrl_c_stops_a_long_descent_and_the_session_goes_on(tmp_path):
    session = _terminal_shell(tmp_path)
    session.sendline("descend x**2+y**2 --start 1,1 --steps 10000000 --tol 0 --timeout 0")
    session.expect_exact("descending")  # its progress bar, shown once a run passes a second
    session.sendintr()
    session.expect_exact("symgrad> ")
    # Stopped, not finished: it shows the steps so far with status interrupted, then the prompt.
    assert "interrupted after" in session.before and "ran all" not in session.before
    session.sendline("diff x**2 --at x=3")
    session.expect_exact("x=3  6")
    session.expect_exact("symgrad> ")  # Ctrl-D typed ahead, before the prompt, would be lost
    session.sendeof()
    session.expect(pexpect.EOF)


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_history_survives_a_restart(tmp_path):
    first = _terminal_shell(tmp_path)
    first.sendline("diff x**5 --at x=1")
    first.expect_exact("x=1  5")
    first.expect_exact("symgrad> ")
    first.sendline("exit")
    first.expect(pexpect.EOF)
    assert "diff x**5 --at x=1" in (tmp_path / "symgrad" / "history").read_text()
    second = _terminal_shell(tmp_path)
    second.send("\x1b[A\r")  # the up arrow brings back the last line of the last session
    second.expect_exact("x=1  5")
    second.expect_exact("symgrad> ")
    second.sendeof()
    second.expect(pexpect.EOF)


# --- completion in the user's own shell --------------------------------------------------------------


def _complete(shell: str, words: str) -> list[str]:
    env = {**os.environ, "_SYMGRAD_COMPLETE": f"complete_{shell}", "PYTHONPATH": str(ROOT / "src")}
    if shell == "bash":
        env.update(COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    else:
        env.update(_TYPER_COMPLETE_ARGS=words, _TYPER_COMPLETE_FISH_ACTION="get-args")
    run = subprocess.run([sys.executable, "-m", "symgrad"], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_of_commands_options_and_values(shell):
    assert "descend" in _complete(shell, "symgrad des")
    assert "--optimizer" in _complete(shell, "symgrad descend x --opt")
    assert "json" in _complete(shell, "symgrad descend x --format ")
    assert "sgd,adam" in _complete(shell, "symgrad descend x --optimizer sgd,a")
