"""The edges of a run: streams that cannot be written, encodings, signals, the time limit, names, files."""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sympy

from symgrad import deadline, interrupts
from symgrad.calculus.compile import compile_function, compile_value_and_gradient
from symgrad.cli.streams import ascii_equivalent
from symgrad.deadline import time_limit, within
from symgrad.errors import InputError, TimeLimitError
from symgrad.pictures.figures import output_format, save_atomically

SRC = str(Path(__file__).resolve().parent.parent / "src")
POSIX = pytest.mark.skipif(os.name != "posix", reason="the shell redirections and signals of POSIX")


def run_symgrad(*args, shell_suffix="", stdin=b"", env=None):
    """Run ``python -m symgrad`` in a child process through the shell; (code, stdout, stderr)."""
    command = " ".join([sys.executable, "-m", "symgrad", *(f"'{arg}'" for arg in args)]) + shell_suffix
    environment = {**os.environ, "PYTHONPATH": SRC, **(env or {})}
    done = subprocess.run(["sh", "-c", command], input=stdin, capture_output=True, env=environment)
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


# --- output that cannot be written ---------------------------------------------------------------


@POSIX
def test_a_closed_stdout_is_one_error_line():
    code, _, err = run_symgrad("diff", "x**2", shell_suffix=" >&-")
    assert code == 74
    assert err == "Error: cannot write the output: standard output is closed\n"


@POSIX
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [("diff", "x**2"), ("grad", "x*y", "--at", "1,2", "--format", "json")])
def test_a_full_device_is_one_error_line(args):
    code, _, err = run_symgrad(*args, shell_suffix=" > /dev/full")
    assert code == 74
    assert err == "Error: cannot write the output: no space left on device\n"


@POSIX
def test_a_reader_that_stops_early_ends_the_run_quietly():
    args = ("descend", "x**2", "--start", "1", "--steps", "20000", "--tol", "0", "--every", "1")
    command = " ".join([sys.executable, "-m", "symgrad", *(f"'{a}'" for a in args), "--timeout 0"])
    done = subprocess.run(  # PIPESTATUS: the exit code of symgrad, not of head
        ["bash", "-c", command + " | head -1; echo ${PIPESTATUS[0]} >&2"],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": SRC},
    )
    assert done.stdout.decode().startswith("sgd on f = x²")
    assert done.stderr.decode() == "0\n"


@POSIX
def test_a_closed_stderr_is_no_traceback():
    code, out, _ = run_symgrad("diff", "x**", shell_suffix=" 2>&-")
    assert code == 2
    assert out == ""


# --- encodings -----------------------------------------------------------------------------------


def test_ascii_equivalents():
    assert ascii_equivalent("‖∇f‖ = √5") == "|grad f| = sqrt5"
    assert ascii_equivalent("d/dx x² = 2·x, x⁻¹") == "d/dx x^2 = 2*x, x^-1"
    assert ascii_equivalent("θ₁ ← θ₀ − η∇f") == "theta1 <- theta0 - eta grad f"
    assert ascii_equivalent("f′(x) ≤ ∞ …") == "f'(x) <= inf ..."


@POSIX
def test_a_stream_that_cannot_show_unicode_gets_ascii():
    code, out, err = run_symgrad("grad", "x**2+y", "--at", "1,2", env={"PYTHONIOENCODING": "ascii"})
    assert code == 0, err
    assert "gradient    grad f = [2x, 1]" in out
    assert "|grad f|" in out
    assert out.isascii()


@POSIX
def test_invalid_utf8_on_standard_input_is_an_input_error():
    code, _, err = run_symgrad("diff", "-", stdin=b"x\xff+1")
    assert code == 2
    assert err == "Error: standard input is not valid UTF-8 text (byte 2 is 0xff): save it as UTF-8\n"


def test_an_argument_that_is_not_utf8_is_an_input_error(cli):
    run = cli("plot", "x**2", "--out", "\udcff.png")  # how Python keeps the byte 0xff of a file name
    assert run.code == 2
    assert run.stderr.startswith("Error: the argument '\\xff.png' is not valid UTF-8 text")


def test_standard_input_is_read_up_to_the_length_limit(cli):
    run = cli("diff", "-", stdin="x+" * 100_000 + "x")
    assert run.code == 2
    assert run.stderr == "Error: standard input is too long (the limit is 20000 characters of expression)\n"


# --- signals -------------------------------------------------------------------------------------


def _interpreter_start_up() -> float:
    """Seconds Python takes to start here; a signal before then meets Python's start-up, not symgrad's."""
    start = time.monotonic()
    subprocess.run([sys.executable, "-c", "import runpy"], check=True)
    return time.monotonic() - start


@POSIX
@pytest.mark.parametrize("delay", [0.02, 0.1, 0.25])
def test_ctrl_c_at_start_up_exits_130_without_a_traceback(delay):
    delay += 2 * _interpreter_start_up()
    child = subprocess.Popen(
        [sys.executable, "-m", "symgrad", "diff", "x**2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": SRC},
    )
    time.sleep(delay)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate()
    assert "Traceback" not in err.decode()
    assert child.returncode in (130, 0)  # 0: it finished before the signal came


@POSIX
@pytest.mark.parametrize("name, code", [("SIGTERM", 143), ("SIGHUP", 129), ("SIGINT", 130)])
def test_ending_signals_exit_with_128_plus_their_number(name, code):
    child = subprocess.Popen(
        [sys.executable, "-m", "symgrad", "diff", "sin(x)**2", "--at", "1", "--timeout", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": SRC},
    )
    _wait_for_handlers(child)
    child.send_signal(getattr(signal, name))
    _, err = child.communicate()
    assert "Traceback" not in err.decode()
    assert child.returncode in (code, 0)


def _wait_for_handlers(child) -> None:
    """Until symgrad has installed its handlers: a signal during the interpreter's own start-up gets
    the system's default action, which is not what is tested. Linux shows the caught signals in
    /proc; elsewhere a pause has to do."""
    status = f"/proc/{child.pid}/status"
    if not os.path.exists(status):
        time.sleep(0.3)
        return
    term = 1 << (signal.SIGTERM - 1)
    while child.poll() is None:
        try:
            with open(status) as lines:
                caught = next((int(line.split()[1], 16) for line in lines if line.startswith("SigCgt:")), 0)
        except (FileNotFoundError, ProcessLookupError):  # it has just ended
            return
        if caught & term:
            return
        time.sleep(0.005)


@POSIX
def test_a_stop_request_takes_the_first_signal_and_the_second_ends_the_run():
    # As at a terminal: a runner started as a background job would give this process an ignored SIGINT.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        _stop_request_checks()
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop_request_checks():
    with interrupts.stop_requests() as request:
        assert not request.made
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.01)  # Python runs the handler between two bytecodes
        assert request.made and request.signum == signal.SIGINT
        with pytest.raises(interrupts.Interrupted) as caught:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.01)
    assert caught.value.exit_code == 143
    assert str(caught.value) == "stopped by SIGTERM"


# --- the time limit ------------------------------------------------------------------------------


def _runaway():
    while True:
        sum(range(100))


def _limited_in_thread(body):
    outcome = {}

    def work():
        try:
            body()
            outcome["error"] = None
        except BaseException as error:  # noqa: BLE001 - the test inspects what ended the thread
            outcome["error"] = error

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(60)
    return outcome["error"]


def test_the_time_limit_works_in_a_worker_thread():
    def body():
        with time_limit(0.2):
            _runaway()

    assert isinstance(_limited_in_thread(body), TimeLimitError)


def test_the_time_limit_works_without_sigalrm(monkeypatch):
    monkeypatch.delattr(signal, "setitimer", raising=False)
    with pytest.raises(TimeLimitError, match="gave up after 0.2 s"):
        with time_limit(0.2):
            _runaway()


def test_an_optional_step_is_cut_short_inside_a_limit_in_a_thread():
    reached = {}

    def body():
        with time_limit(30):
            with within(0.1) as allowed:
                reached["allowed"] = allowed
                _runaway()
            reached["after"] = True

    assert _limited_in_thread(body) is None
    assert reached == {"allowed": True, "after": True}


class _Clock:
    """time.monotonic for deadline, moved on by hand; the steps' timers are only recorded."""

    def __init__(self):
        self.now = 100.0
        self.armed = []  # (kind, seconds) of each timer a limit or step asked for

    def monotonic(self):
        return self.now

    @contextlib.contextmanager
    def raising(self, kind, seconds):
        self.armed.append((kind, seconds))
        yield True


@pytest.fixture
def clock(monkeypatch):
    fake = _Clock()
    monkeypatch.setattr(deadline.time, "monotonic", fake.monotonic)
    monkeypatch.setattr(deadline, "_raising", fake.raising)
    return fake


def test_a_nested_step_gets_no_more_than_the_enclosing_step_has_left(clock):
    with within(5.0):
        clock.now += 2
        with within(3600.0):  # critical_points_of's solve inside the verdict's 5 s
            clock.now += 0.5
            with within(1.0):
                pass
        with within(3600.0):
            pass
    with within(7.0):  # the enclosing step has ended: its end no longer counts
        pass
    assert [seconds for _, seconds in clock.armed] == [5.0, 3.0, 1.0, 2.5, 7.0]


def test_a_nested_step_gets_at_most_half_of_what_the_time_limit_has_left(clock):
    with time_limit(10.0):
        with within(5.0):  # half of 10 s
            clock.now += 4
            with within(3600.0):  # the step has 1 s left; half of the limit's rest would be 3 s
                pass
        clock.now += 1
        with within(3600.0):  # the step has ended: half of the 5 s the limit has left
            pass
    assert [seconds for _, seconds in clock.armed] == [10.0, 5.0, 1.0, 2.5]


def test_an_enclosing_steps_cut_passes_through_a_nested_step(clock):
    reached = []
    with within(5.0):
        with within(1.0):
            (outer, _), (inner, _) = clock.armed
            raise outer  # the enclosing step's timer, firing while the nested step runs
        reached.append("after the nested step")
    reached.append("after the enclosing step")
    with within(5.0):
        with within(1.0):
            raise clock.armed[-1][0]  # the nested step's own timer
        reached.append("after a nested step that ran out")
    assert reached == ["after the enclosing step", "after a nested step that ran out"]


@pytest.mark.parametrize("where", ["main thread", "worker thread"])
def test_a_nested_step_ends_with_the_enclosing_one(where):
    """critical_points_of's within(3600) inside the verdict's within(5) once ran for an hour."""
    reached = {}

    def body():
        with within(0.1):
            with within(3600.0) as allowed:
                reached["allowed"] = allowed
                _runaway()
            _runaway()  # the enclosing step's time is up here too
        reached["after"] = True

    if where == "main thread":
        body()
    else:
        assert _limited_in_thread(body) is None
    assert reached == {"allowed": True, "after": True}


def test_a_limit_that_ended_never_fires_later(monkeypatch):
    monkeypatch.delattr(signal, "setitimer", raising=False)
    with time_limit(0.05):
        pass
    deadline = time.monotonic() + 0.3
    while time.monotonic() < deadline:  # the watchdog would have fired in here
        sum(range(100))


def test_the_limit_does_not_count_start_up(cli):
    assert cli("diff", "x", "--timeout", "0.5").code == 0


# --- names in compiled code ----------------------------------------------------------------------


def test_look_alike_names_stay_two_variables_in_compiled_code():
    x, wide = sympy.Symbol("x", real=True), sympy.Symbol("ｘ", real=True)
    f = compile_value_and_gradient(x**2 + (wide - 3) ** 2, (x, wide))
    value, gradient = f((1.0, 0.0))
    assert value == 10.0
    assert gradient == (2.0, -6.0)


def test_a_variable_may_have_the_name_of_a_function_of_the_compiled_code():
    x, copysign = sympy.Symbol("x", real=True), sympy.Symbol("copysign", real=True)
    f = compile_function(sympy.Abs(x) + copysign**2, (x, copysign))
    assert f((1.0, 1.0)) == 2.0


# --- files ---------------------------------------------------------------------------------------


def test_a_file_is_renamed_into_place_whole(tmp_path):
    target = tmp_path / "out.png"
    save_atomically(str(target), lambda temporary: Path(temporary).write_bytes(b"whole"))
    assert target.read_bytes() == b"whole"
    assert [p.name for p in tmp_path.iterdir()] == ["out.png"]


def test_a_failed_write_leaves_no_file(tmp_path):
    def fail(temporary):
        Path(temporary).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(InputError, match="cannot write .*out.png: No space left on device"):
        save_atomically(str(tmp_path / "out.png"), fail)
    assert list(tmp_path.iterdir()) == []


def test_concurrent_writers_leave_one_whole_file(tmp_path):
    target = tmp_path / "same.pdf"
    contents = [bytes([i]) * 200_000 for i in range(8)]

    def write(content):
        save_atomically(str(target), lambda temporary: Path(temporary).write_bytes(content))

    threads = [threading.Thread(target=write, args=(c,)) for c in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert target.read_bytes() in contents
    assert [p.name for p in tmp_path.iterdir()] == ["same.pdf"]


def test_the_output_path_is_checked_first(tmp_path):
    with pytest.raises(InputError, match="is a folder"):
        output_format(str(tmp_path))
    with pytest.raises(InputError, match="there is no folder"):
        output_format(str(tmp_path / "missing" / "plot.png"))


def test_plot_to_a_folder_is_refused(cli, tmp_path):
    run = cli("plot", "x**2", "--out", str(tmp_path))
    assert run.code == 2
    assert "is a folder" in run.stderr


# --- every accepted input has a defined outcome --------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("DiracDelta(x, 0.5)", "DiracDelta(x, k) takes a whole number k >= 0 as its order, got 1/2"),
        ("DiracDelta(2, 1E+25)", "DiracDelta(x, k) takes an order k up to 1000"),
        ("Max(polygamma(8E+6, 0), 2)", "polygamma(n, x) takes an order n up to 1000, got 8000000"),
        ("inf", "'inf' is neither a number symgrad reads nor a variable"),
        ("x*nan", "'nan' is neither a number"),
        ("infinity+x", "'infinity' is neither a number"),
        ("oo", "'oo' is neither a number"),
        ("zoo*x", "'zoo' is neither a number"),
        ("max(1/0, x)", "the expression 'max(1/0, x)' is undefined as written"),
        ("min(acos(2), x)", "min() compares real numbers, and acos(2) is not a real number"),
        ("((x**1000)**1000)**1000", "exponent is too large: x**1000000000 once the powers are combined"),
        ("0x1f", "'0x1f' looks like a hexadecimal, binary or octal number"),
        ("ｘ + 1", "the name 'ｘ' has full-width or compatibility characters, which read as 'x'"),
        ("x ＋ 1", "unexpected character '＋': it is a full-width or compatibility form of '+'"),
        (".²+x", "unexpected character '.'"),  # found by the long fuzz run: was an unexpected failure
    ],
)
def test_inputs_refused_with_a_message(cli, text, message):
    run = cli("diff", text, "--timeout", "0")
    assert run.code == 2, run.stderr
    assert run.stderr.startswith("Error: " + message)


def test_inf_is_refused_in_vars(cli):
    run = cli("diff", "x", "--vars", "x,inf")
    assert run.code == 2
    assert "which is a value that is not finite" in run.stderr
