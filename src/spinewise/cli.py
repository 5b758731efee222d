"""The ``spinewise`` command line: one Typer app that mounts each domain's commands.

Commands follow DESIGN §5: ``--json`` for machine-readable output, exit 2 with one line
on stderr for bad input, no partial output files.
"""

from __future__ import annotations

import typer

from spinewise.assistant import cli as assistant_cli

app = typer.Typer(
    name="spinewise",
    help="Spinewise: back-pain care — posture sensing, remote physiotherapy, decision support.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Domain command groups (one line each, alphabetical).
app.add_typer(assistant_cli.app, name="assistant")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
