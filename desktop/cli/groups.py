"""What the command groups on the user's own data share (notes, plan, quickscan, feedback).

    actions = command_group(sub, "plan", "uw plannen …", cmd_plan)   # bouwstenen plan ACTIE …; args.plan_command
    add_list(actions, "toon alle plannen")                            # … list [--json]
    add_out(actions.add_parser("export", help="…"), "doelbestand (.xlsx)")
    workspace = open_workspace(data_dir)                              # what it has to say goes to stderr
    print_lines(lines, count(len(items), "plan", "plannen"))          # a list for people (the count on stderr)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli.dutch import DutchArgumentParser

if TYPE_CHECKING:
    from desktop.core.workspace.store import Workspace


def command_group(sub: Any, name: str, help_text: str, handler: Callable[[argparse.Namespace, Path], int]) -> Any:
    """`bouwstenen NAME ACTIE …`: returns the group's actions (add_parser on it); the chosen action is in
    `args.<name>_command` (None when none was given: the handler says which there are)."""
    group = sub.add_parser(name, help=help_text)
    group.set_defaults(handler=handler)
    return group.add_subparsers(dest=f"{name}_command", metavar="ACTIE", parser_class=DutchArgumentParser,
                                title="acties")


def add_list(actions: Any, help_text: str) -> None:
    listing = actions.add_parser("list", help=help_text)
    listing.add_argument("--json", action="store_true", help="als JSON")


def add_out(action: argparse.ArgumentParser, help_text: str, metavar: str = "BESTAND") -> None:
    action.add_argument("--out", type=Path, required=True, metavar=metavar, help=help_text)


def open_workspace(data_dir: Path) -> Workspace:
    """The workspace, opened safely (read-only, or after a repair, when it must be; the messages say so)."""
    from desktop.core.workspace.safety import open_safely

    opened = open_safely(data_dir)
    for message in opened.messages:
        print(f"bouwstenen: {message}", file=sys.stderr)
    return opened.workspace


def print_lines(lines: Iterable[str], total: str) -> None:
    """A list for people: a line per item on stdout, the count on stderr (so that stdout can be piped)."""
    for line in lines:
        print(line)
    print(total, file=sys.stderr)
