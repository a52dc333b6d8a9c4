"""Print a command's result in the format asked for: one path from result to text for every command."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from symgrad.cli.options import MATHS, Format, Style


@dataclass(frozen=True)
class Views:
    """How one kind of result reads in each format its command offers.

    ``text`` gives a Rich renderable, ``json`` data for ``json.dumps``, ``latex`` a string and ``csv``
    rows (a generator streams them); a format the command does not offer stays None.
    """

    text: Callable[[Any], Any]
    json: Callable[[Any], Any] | None = None
    latex: Callable[[Any], str] | None = None
    csv: Callable[[Any], Iterable[Iterable[Any]]] | None = None


def show_result(result, output: Format, views: Views, style: Style = MATHS) -> None:
    """Print ``result`` as ``output``; all but text go through plain printing, never wrapped by Rich.

    ``style`` says how the text view writes maths; JSON, LaTeX and CSV keep their own forms.
    """
    # lazy: the views load Rich and SymPy's printers, which `symgrad --help` must not pay for
    from symgrad.render import emit_json, show, writing

    if output is Format.json:
        emit_json(views.json(result))
    elif output is Format.latex:
        print(views.latex(result))
    elif output is Format.csv:
        csv.writer(sys.stdout, lineterminator="\n").writerows(views.csv(result))
    else:
        with writing(plain=style.plain, decimals=style.decimals):
            show(views.text(result))
