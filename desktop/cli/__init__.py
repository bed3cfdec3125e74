"""The `bouwstenen` command: starts the application, and serves admins, editors and tests.

Exit codes: 0 ok, 1 failure (a Dutch message on stderr, no traceback), 2 wrong usage.
"""

from __future__ import annotations

import gc
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

from desktop.core import paths
from desktop.core.errors import ExpectedError, UsageError, configure_logging, log

if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
Command = Callable[["argparse.Namespace", Path], int]


def build_parser() -> argparse.ArgumentParser:
    """The whole command line (a plain start of the application is read by `plain_start`: the sub-commands
    import most of the core, which the start does not need yet)."""
    from desktop.cli.dutch import DutchArgumentParser, install

    install()
    parser = DutchArgumentParser(
        prog="bouwstenen",
        description="Bouwstenen: het bouwstenenmodel voor preventie van radicalisering en ongewenste "
        "polarisatie. Zonder opdracht start de applicatie.",
    )
    parser.add_argument("--data-dir", type=Path, metavar="MAP", help="eigen gegevensmap (bijv. op een USB-stick)")
    parser.add_argument("--smoke", action="store_true", help="start, toon het hoofdvenster, druk 'ok' af en stop")
    sub = parser.add_subparsers(dest="command", metavar="OPDRACHT", parser_class=DutchArgumentParser,
                                title="opdrachten")
    from desktop.cli import model_commands, notes_commands, planning_commands

    model_commands.add_commands(sub)
    notes_commands.add_commands(sub)
    planning_commands.add_commands(sub)
    return parser


def plain_start(argv: list[str]) -> SimpleNamespace | None:
    """The options (data_dir, smoke, no command) when the arguments only start the application; None for a
    command, help, a missing value or anything unknown, which the whole command line parses and explains
    (a plain start needs no argparse: ~3 ms of imports)."""
    data_dir: Path | None = None
    smoke = False
    words = iter(argv)
    for word in words:
        if word == "--smoke":
            smoke = True
        elif word == "--data-dir" or word.startswith("--data-dir="):
            value = next(words, None) if word == "--data-dir" else word.partition("=")[2]
            if not value or value.startswith("-"):
                return None
            data_dir = Path(value)
        else:
            return None
    return SimpleNamespace(data_dir=data_dir, smoke=smoke, command=None)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args: argparse.Namespace | SimpleNamespace | None = plain_start(argv)
    if args is None:
        args = build_parser().parse_args(argv)
    data_dir = paths.user_data_dir(args.data_dir)
    try:
        if args.command is None:
            # no garbage collections while the window is built (tens of thousands of new objects, almost
            # no garbage: ~70 collections, 10-20 ms); run_gui turns them back on after the first paint
            gc.disable()
            try:
                from desktop.ui.app import run_gui

                return run_gui(data_dir, smoke=args.smoke)
            finally:
                gc.enable()
        configure_logging(data_dir if data_dir.is_dir() else None, logging.WARNING)
        handler: Command = args.handler
        return handler(cast("argparse.Namespace", args), data_dir)  # a command: parsed by argparse
    except UsageError as exc:
        print(f"bouwstenen: fout: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ExpectedError as exc:
        print(f"bouwstenen: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("bouwstenen: afgebroken.", file=sys.stderr)
        return EXIT_FAILURE
    except Exception:  # a bug: logged with its traceback, shown in Dutch
        log.exception("onverwachte fout in opdracht %s", getattr(args, "command", None))
        print("bouwstenen: er ging iets onverwachts mis (een fout in het programma). Details staan in het "
              f"logbestand in {data_dir}.", file=sys.stderr)
        return EXIT_FAILURE


def print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    sys.exit(main())
