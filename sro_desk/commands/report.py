"""Report commands: ``sro-desk report annual --year 2025-26 --edition public --json F ...``."""

from __future__ import annotations

import argparse
from pathlib import Path

from sro_desk.cli import EXIT_OK, CommandGroups, add_db_argument


def register(groups: CommandGroups) -> None:
    annual = groups.report.add_parser(
        "annual",
        help="the annual report on calls, incidents, staff, agencies and complaints",
    )
    add_db_argument(annual)
    annual.add_argument("--year", required=True, help="school year, e.g. 2025-26")
    annual.add_argument("--edition", choices=("internal", "public"), default="public",
                        help="internal: every count; public: small counts hidden (default)")
    annual.add_argument("--threshold", type=int, default=None,
                        help="suppression threshold (default: the district setting, 10)")
    annual.add_argument("--json", type=Path, help="write the machine-readable report here")
    annual.add_argument("--xlsx", type=Path, help="write the workbook here")
    annual.add_argument("--pdf", type=Path, help="write the board PDF here")
    annual.set_defaults(handler=_annual, needs_db=True)
    register_ospi(groups)


def _annual(args: argparse.Namespace) -> int:
    from sro_desk.domain.errors import ValidationError
    from sro_desk.services.annual_report import build_report, export_report

    if not (args.json or args.xlsx or args.pdf):
        raise ValidationError("Give at least one of --json FILE, --xlsx FILE, --pdf FILE.")
    for path in (args.json, args.xlsx, args.pdf):
        if path is not None and not Path(path).expanduser().resolve().parent.is_dir():
            raise ValidationError(f"The folder for {path} does not exist.")
    report = build_report(args.year, args.edition, args.threshold)
    for path in export_report(report, json_path=args.json, xlsx_path=args.xlsx,
                              pdf_path=args.pdf):
        print(f"Wrote {path}")
    return EXIT_OK


def register_ospi(groups: CommandGroups) -> None:
    package = groups.report.add_parser(
        "ospi-package",
        help="the OSPI package (RCW 28A.320.1241): a CSV and JSON file per statutory item, a "
             "README and the adopted agreements as PDFs, in a new folder or a .zip",
    )
    add_db_argument(package)
    package.add_argument("--year", required=True, help="school year, e.g. 2025-26")
    package.add_argument("--threshold", type=int, default=None,
                         help="suppression threshold (default: the district setting, 10)")
    package.add_argument("dest", type=Path, help="a new folder, or a file ending in .zip")
    package.set_defaults(handler=_ospi_package, needs_db=True)


def _ospi_package(args: argparse.Namespace) -> int:
    from sro_desk.services.ospi_package import write_ospi_package

    path = write_ospi_package(args.year, args.dest, threshold=args.threshold)
    print(f"Wrote {path}")
    return EXIT_OK
