"""The data dictionary: comments "中文 / English" on every public table, view and column
(warehouse/dictionary.yaml), and the README section generated from the comments the database holds.

    python -m warehouse.dictionary              print the dictionary (Markdown)
    python -m warehouse.dictionary --write README.md   replace the README's section
    python -m warehouse.dictionary --check README.md   exit 1 if the README's section is stale
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from warehouse.comments import apply, public_objects, render, spec  # noqa: F401  (this module's API)
from warehouse.db import connect

HERE = Path(__file__).resolve().parent
START = "<!-- data-dictionary:start (python -m warehouse.dictionary --write README.md) -->"
END = "<!-- data-dictionary:end -->"


def sample_connection() -> duckdb.DuckDBPyConnection:
    """An empty warehouse in memory to render the dictionary from."""
    return connect(":memory:")


def section(markdown: str) -> str:
    return f"{START}\n\n{markdown}\n{END}"


def replace_section(readme: str, markdown: str) -> str:
    if START not in readme or END not in readme:
        raise ValueError(f"README has no data-dictionary markers ({START} … {END})")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + section(markdown) + tail


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m warehouse.dictionary", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--write", metavar="README", type=Path)
    group.add_argument("--check", metavar="README", type=Path)
    args = ap.parse_args(argv)
    con = sample_connection()
    markdown = render(con)
    if args.write:
        args.write.write_text(replace_section(args.write.read_text("utf-8"), markdown), "utf-8")
        return 0
    if args.check:
        current = args.check.read_text("utf-8")
        if replace_section(current, markdown) != current:
            print(f"{args.check}: the data dictionary is stale; run python -m warehouse.dictionary --write {args.check}",
                  file=sys.stderr)
            return 1
        return 0
    sys.stdout.write(markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
