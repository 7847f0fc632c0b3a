"""The ``analytics`` command: normalise · validate · schema · export · ingest.

Errors print as one line (``analytics: <file>: <field>: <reason>``) and exit with status 1;
usage errors exit with 2.

"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from analytics.errors import AnalyticsError


def _cmd_normalise(args: argparse.Namespace) -> int:
    from analytics.sources import normalise, read_text

    sys.stdout.write(normalise(read_text(args.file)) + "\n")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from analytics.corpus import check_data_dir

    target = args.data_dir
    if target is not None and target.is_file():
        loaded, problems = check_data_dir(None, files=[target])
    else:
        loaded, problems = check_data_dir(target, drafts=True)
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    facts = sum(len(case.spans) for case in loaded)
    print(f"ok: {len(loaded)} case file(s), {facts} quoted facts, every quote found")
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from analytics.glossary import load_glossary
    from analytics.schema import json_schema

    schema = json_schema(load_glossary(args.data_dir))
    sys.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from analytics.export import export_corpus

    written = export_corpus(args.out_dir, formats=args.format, force=args.force)
    for path in written:
        print(path)
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from analytics.ingest import ingest_files

    return ingest_files(args.files, out_dir=args.out, jobs=args.jobs, force=args.force)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (one sub-command per verb).

    >>> build_parser().parse_args(["validate"]).command
    'validate'
    """
    parser = argparse.ArgumentParser(
        prog="analytics",
        description="Comparative analytics for community party-building governance cases.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("normalise", help="print the normalised text of a raw file")
    p.add_argument("file", type=Path, help="raw text (UTF-8, GB18030 or Big5)")
    p.set_defaults(run=_cmd_normalise)

    p = sub.add_parser("validate", help="check case files, glossary keys, hashes and quotes")
    p.add_argument(
        "data_dir",
        nargs="?",
        type=Path,
        help="data directory (default: data/; drafts in cases/drafts/ included) or one case file",
    )
    p.set_defaults(run=_cmd_validate)

    p = sub.add_parser("schema", help="print the case-file JSON Schema")
    p.add_argument("--data-dir", type=Path, default=None, help="data directory for the glossary")
    p.set_defaults(run=_cmd_schema)

    p = sub.add_parser("export", help="write every corpus and derived table (CSV, Parquet, Stata)")
    p.add_argument(
        "out_dir", nargs="?", type=Path, default=Path("exports"), help="default: exports/"
    )
    p.add_argument(
        "--format",
        action="append",
        choices=("csv", "parquet", "dta"),
        help="repeatable; default: all three",
    )
    p.add_argument("--force", action="store_true", help="overwrite existing files")
    p.set_defaults(run=_cmd_export)

    p = sub.add_parser("ingest", help="turn new raw texts into draft case files")
    p.add_argument("files", nargs="+", type=Path, help="raw texts (UTF-8, GB18030 or Big5)")
    p.add_argument("--out", type=Path, default=None, help="default: data/cases/drafts/")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--force", action="store_true", help="overwrite existing drafts")
    p.set_defaults(run=_cmd_ingest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status.

    >>> main(["validate"])  # doctest: +ELLIPSIS
    ok: 5 case file(s), ...
    0
    """
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except AnalyticsError as exc:
        print(f"analytics: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
