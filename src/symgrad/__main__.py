"""The ``symgrad`` command and ``python -m symgrad``: signals are caught before anything heavy loads.

Importing the command line takes a few tenths of a second (Typer, Click); a Ctrl-C then must end the
run as cleanly as one during a computation, so the handlers are installed first.
"""

import sys

try:
    from symgrad import interrupts
except KeyboardInterrupt:  # Ctrl-C in the first milliseconds, before the handlers exist
    sys.exit(130)


def run() -> None:
    """Install the signal handlers, then run the command line."""
    try:
        interrupts.install()
        from symgrad.cli import main  # imported after the handlers, so a signal during it ends cleanly
    except KeyboardInterrupt:
        sys.exit(130)
    except interrupts.Interrupted as stop:
        interrupts.exit_at_once()
        try:
            print(f"Error: {stop}", file=sys.stderr)
        except (OSError, ValueError, AttributeError):  # stderr closed or gone
            pass
        sys.exit(stop.exit_code)
    main()


if __name__ == "__main__":
    run()
