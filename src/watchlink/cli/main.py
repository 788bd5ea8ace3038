"""The ``watchlink`` command line: one Typer app, each command group in its own module."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from watchlink.errors import InputError, WatchlinkError

__all__ = ["app", "main"]

app = typer.Typer(
    name="watchlink",
    help="Shared watchlists, encounter screening and hit routing for partner agencies.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",  # single newlines in docstrings are soft: help re-wraps
)


@app.callback()
def root() -> None:
    """Shared watchlists, encounter screening and hit routing for partner agencies."""


@app.command()
def version() -> None:
    """Print the watchlink version."""
    from watchlink import __version__

    typer.echo(__version__)


def _register_commands() -> None:
    """Each command module adds its commands to the app (kept here, in one list)."""
    from watchlink.cli import commands

    for module in commands.MODULES:
        module.register(app)


def main() -> None:
    """Entry point: run the app, turning watchlink errors into a clear message and exit code."""
    _register_commands()
    err = Console(stderr=True, soft_wrap=True)  # one problem per line, never broken
    try:
        app(standalone_mode=False)
    except WatchlinkError as error:
        err.print(f"[bold red]error:[/] {error.message}", highlight=False)
        if isinstance(error, InputError):
            for problem in error.problems:
                err.print(f"  {problem}", highlight=False, markup=False)
            sys.exit(2)
        sys.exit(1)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(1)
    except Exception as click_error:  # usage errors carry their own message and exit code
        from click.exceptions import ClickException
        from typer.exceptions import TyperException  # Typer's bundled click raises these

        show = getattr(click_error, "show", None)
        exit_code = getattr(click_error, "exit_code", None)
        usage_error = isinstance(click_error, ClickException | TyperException)
        if usage_error and callable(show) and isinstance(exit_code, int):
            show()
            sys.exit(exit_code)
        raise
