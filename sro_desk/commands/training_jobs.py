"""Training jobs on the command line: import a completion roster (``import training``), record or
verify a completion, record ESD training series documentation or a waiver, and the district's
aliases for requirement names. Each goes through the same services as the Training tab."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sro_desk.cli import EXIT_OK, CommandGroups, add_db_argument
from sro_desk.cli_input import Field, a_date, job_parser, number, read_fields, whole_number

IMPORT_EXAMPLE = """\
sro-desk import training esd105-june-series.xlsx --attachments certificates/
sro-desk import training esd105-june-series.xlsx --dry-run      (check and count only)
sro-desk template training training.xlsx                        (the columns, with examples)"""

PROVIDER_TYPES = ("esd", "agency", "district", "other")
DELIVERY_CHOICES = ("in-person", "live-remote", "self-paced")

RECORD_FIELDS = (
    Field("person", "the staff member's id (see 'sro-desk training status')", whole_number,
          required=True, metavar="ID"),
    Field("requirement", "topic letter (a)-(m), catalog code or ESD unit title", required=True,
          metavar="TEXT"),
    Field("date", "the date completed", a_date, required=True, metavar="DATE"),
    Field("provider-type", "who delivered it (default: esd when --esd is given, else agency)",
          choices=PROVIDER_TYPES),
    Field("provider", "the provider's name", metavar="NAME"),
    Field("esd", "the issuing educational service district", metavar="NAME"),
    Field("delivery", "how it was delivered (default in-person)", choices=DELIVERY_CHOICES),
    Field("hours", "hours of training", number, metavar="N"),
    Field("certificate", "the certificate number", metavar="TEXT"),
    Field("module-version", "the module version, e.g. 'Fall 2026'", metavar="TEXT"),
    Field("mentor", "the experienced staff member (on-the-job days)", metavar="NAME"),
    Field("mentor-school", "the mentor's school (on-the-job days)", metavar="NAME"),
    Field("notes", "notes (never immigration or citizenship status, RCW 10.93.160)",
          metavar="TEXT"),
    Field("evidence", "certificate or sign-in sheet files (PDF or image)", Path, many=True,
          metavar="FILE"),
    Field("verify", "verify the record now (otherwise it stays a claim)", flag=True),
    Field("verifier", "who verifies (default: you)", metavar="NAME"),
)
VERIFY_FIELDS = (
    Field("record", "the completion record ids to verify", whole_number, required=True,
          many=True, metavar="ID"),
    Field("verifier", "who verifies (default: you)", metavar="NAME"),
)
ESD_FIELDS = (
    Field("person", "the staff member's id", whole_number, required=True, metavar="ID"),
    Field("date", "the date the documentation was received", a_date, required=True,
          metavar="DATE"),
    Field("esd", "the educational service district that issued it", required=True,
          metavar="NAME"),
    Field("document", "the documentation itself (PDF or image)", Path, metavar="FILE"),
    Field("notes", "notes", metavar="TEXT"),
    Field("confirm", "confirm it now (needs --document); it then covers the whole series",
          flag=True),
    Field("verifier", "who confirms (default: you)", metavar="NAME"),
)
WAIVER_FIELDS = (
    Field("person", "the staff member's id", whole_number, required=True, metavar="ID"),
    Field("requirement", "the series components waived (topic letters, codes or unit titles)",
          required=True, many=True, metavar="TEXT"),
    Field("date", "the date of the waiver", a_date, required=True, metavar="DATE"),
    Field("esd", "the educational service district that waived it", required=True,
          metavar="NAME"),
    Field("grounds", "the prior training and experience it is waived for", required=True,
          metavar="TEXT"),
    Field("document", "the ESD's waiver letter (PDF or image)", Path, metavar="FILE"),
)


def register(groups: CommandGroups) -> None:
    parser = groups.import_.add_parser(
        "training",
        help="training completions, ESD documentation and waivers from .xlsx or .csv "
             "(all rows or none)",
        description="Import an ESD's completion roster, an agency's in-service list, or ESD "
                    "training series documentation and waivers. Every row is checked first; "
                    "one problem anywhere and nothing is imported. Rows already recorded "
                    "(same person, requirement and date) change nothing.",
        epilog="examples:\n  " + IMPORT_EXAMPLE.replace("\n", "\n  "),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", type=Path)
    parser.add_argument("--attachments", type=Path, metavar="DIR",
                        help="the folder of PDFs named in the file's document column")
    parser.add_argument("--verifier", default="", metavar="NAME",
                        help="who verifies the rows marked verified (default: you)")
    parser.add_argument("--dry-run", action="store_true",
                        help="check the file and say what would change; save nothing")
    add_db_argument(parser)
    parser.set_defaults(handler=_import, needs_db=True)


def add_training_commands(sub: Any) -> None:
    """The training jobs, added to ``sro-desk training`` (called by commands/training.py)."""
    job_parser(sub, "record", "record one training completion (a claim unless --verify)",
               "sro-desk training record --person 12 --requirement \"(g)\" --date 2026-06-24 "
               "--esd \"ESD 105\" --hours 3 --certificate E105-0412 --evidence cert.pdf --verify\n"
               "sro-desk training record --json completion.json", RECORD_FIELDS, _record)
    job_parser(sub, "verify", "verify claimed completion records",
               "sro-desk training verify --record 41 42 --verifier \"Jo Coordinator\"",
               VERIFY_FIELDS, _verify)
    job_parser(sub, "esd-documentation",
               "record an ESD's training series documentation for a person",
               "sro-desk training esd-documentation --person 12 --date 2026-10-02 "
               "--esd \"Olympic ESD 114\" --document series.pdf --confirm", ESD_FIELDS, _esd)
    job_parser(sub, "waiver", "record an ESD's waiver of series components",
               "sro-desk training waiver --person 7 --requirement on_the_job check_ins "
               "--date 2026-10-05 --esd \"Olympic ESD 114\" --grounds \"Twelve years as a campus "
               "officer\" --document waiver.pdf", WAIVER_FIELDS, _waiver)

    alias = sub.add_parser(
        "alias", help="the district's own names for requirements (used by 'import training')",
        epilog="examples:\n  sro-desk training alias add \"CIT Refresher 2026\" "
               "crisis_intervention\n  sro-desk training alias list\n  sro-desk training alias "
               "remove \"CIT Refresher 2026\"",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = alias.add_subparsers(dest="alias_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the district's aliases and the ESD unit titles")
    add_db_argument(listing)
    listing.set_defaults(handler=_alias_list, needs_db=True)
    add = actions.add_parser("add", help="add the words a file uses for a requirement")
    add.add_argument("alias", help="the words, as the file writes them")
    add.add_argument("requirement", help="the requirement: topic letter, code or name")
    add.add_argument("--reason", default="", help="kept in the audit trail")
    add_db_argument(add)
    add.set_defaults(handler=_alias_add, needs_db=True)
    remove = actions.add_parser("remove", help="remove one of the district's aliases")
    remove.add_argument("alias")
    remove.add_argument("--reason", default="", help="kept in the audit trail")
    add_db_argument(remove)
    remove.set_defaults(handler=_alias_remove, needs_db=True)


def _today() -> Any:
    from sro_desk import clock

    return clock.today()


def _import(args: argparse.Namespace) -> int:
    from sro_desk.services.training_import import import_training

    result = import_training(args.file, today=_today(), attachments=args.attachments,
                             verifier=args.verifier, dry_run=args.dry_run)
    print(result.summary)
    for line in result.detail_lines():
        print(f"  {line}")
    return EXIT_OK


def _person_name(staff_id: int) -> str:
    from sro_desk.store import roster_repo

    return roster_repo.get_staff(staff_id).sort_name


def _requirement(text: str) -> str:
    from sro_desk.domain.errors import ValidationError
    from sro_desk.domain.training_import import unknown_requirement_message
    from sro_desk.services.training_import import name_table

    names = name_table()
    code = names.match(text)
    if code is None:
        raise ValidationError(unknown_requirement_message(names, text) + ".")
    return code


def _verifier(given: str | None) -> str:
    from sro_desk.store.audit import current_actor

    return (given or "").strip() or current_actor()


def _record(args: argparse.Namespace) -> int:
    from sro_desk.domain.dates import format_date
    from sro_desk.domain.training import Delivery, Provider
    from sro_desk.services.training import (
        read_evidence,
        record_completions,
        verify_completions,
    )
    from sro_desk.services.training_import import name_table
    from sro_desk.store.training_repo import CompletionInput

    v = read_fields(args, RECORD_FIELDS)
    code = _requirement(v["requirement"])
    providers = {"esd": Provider.ESD, "agency": Provider.AGENCY, "district": Provider.DISTRICT,
                 "other": Provider.OTHER}
    provider = providers[v["provider_type"] or ("esd" if v["esd"] else "agency")]
    deliveries = {"in-person": Delivery.IN_PERSON, "live-remote": Delivery.LIVE_REMOTE,
                  "self-paced": Delivery.SELF_PACED}
    esd = v["esd"] or ""
    item = CompletionInput(
        v["person"], code, v["date"], provider,
        v["provider"] or (esd if provider is Provider.ESD else ""),
        deliveries[v["delivery"] or "in-person"], v["hours"], v["notes"] or "",
        v["mentor"] or "", v["mentor_school"] or "", v["certificate"] or "",
        v["module_version"] or "", esd,
    )
    evidence = [read_evidence(p) for p in v["evidence"]]
    who = _verifier(v["verifier"])
    saved = record_completions([item], evidence, today=_today(), claimed_by=who)
    if v["verify"]:
        verify_completions([c.id for c in saved.completions], who)
    (record,) = saved.completions
    state = f"verified by {who}" if v["verify"] else "a claim awaiting verification"
    print(f"Recorded {name_table().title(code)} for {_person_name(item.staff_id)}, completed "
          f"{format_date(item.completed_on)}: record {record.id}, {state}.")
    for warning in saved.warnings:
        print(f"  note: {warning}")
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    from sro_desk.services.training import verify_completions
    from sro_desk.services.training_import import name_table

    v = read_fields(args, VERIFY_FIELDS)
    who = _verifier(v["verifier"])
    done = verify_completions(list(dict.fromkeys(v["record"])), who)
    names = name_table()
    for c in done:
        print(f"Verified record {c.id} ({_person_name(c.staff_id)}, "
              f"{names.title(c.requirement_code)}) by {who}.")
    return EXIT_OK


def _esd(args: argparse.Namespace) -> int:
    from sro_desk.domain.dates import format_date
    from sro_desk.domain.errors import ValidationError
    from sro_desk.services.training import (
        confirm_esd_documentation,
        read_evidence,
        record_esd_documentation,
    )
    from sro_desk.store.base import database_proxy

    v = read_fields(args, ESD_FIELDS)
    if v["confirm"] and v["document"] is None:
        raise ValidationError("Confirming ESD documentation needs the document itself "
                              "(--document FILE).")
    document = read_evidence(v["document"]) if v["document"] is not None else None
    with database_proxy.atomic():
        doc = record_esd_documentation(v["person"], v["date"], v["esd"], document,
                                       today=_today(), notes=v["notes"] or "")
        if v["confirm"]:
            doc = confirm_esd_documentation(doc.id, _verifier(v["verifier"]))
    state = f"confirmed by {doc.confirmed_by}" if doc.confirmed else "not yet confirmed"
    print(f"Recorded ESD training series documentation from {doc.issuing_esd} for "
          f"{_person_name(doc.staff_id)}, received {format_date(doc.received_on)}: {state}.")
    return EXIT_OK


def _waiver(args: argparse.Namespace) -> int:
    from sro_desk.domain.dates import format_date
    from sro_desk.services.training import read_evidence, record_waiver
    from sro_desk.services.training_import import name_table
    from sro_desk.store.base import database_proxy

    v = read_fields(args, WAIVER_FIELDS)
    codes = list(dict.fromkeys(_requirement(t) for t in v["requirement"]))
    document = read_evidence(v["document"]) if v["document"] is not None else None
    with database_proxy.atomic():
        for code in codes:
            record_waiver(v["person"], code, v["date"], v["esd"], v["grounds"], document,
                          today=_today())
    names = name_table()
    print(f"Recorded {v['esd']}'s waiver of {', '.join(names.title(c) for c in codes)} for "
          f"{_person_name(v['person'])}, dated {format_date(v['date'])}.")
    return EXIT_OK


def _alias_list(args: argparse.Namespace) -> int:
    from sro_desk.services.training_import import district_aliases, name_table, unit_titles

    names = name_table()
    aliases = district_aliases()
    print("District aliases:" if aliases else "District aliases: none")
    for alias, code in aliases.items():
        print(f"  {alias} → {names.title(code)}")
    print("ESD unit titles (resources/catalogs/esd_unit_titles.json):")
    for unit in unit_titles():
        print(f"  {unit.label} → {names.title('topic_' + unit.topic)}")
    return EXIT_OK


def _alias_add(args: argparse.Namespace) -> int:
    from sro_desk.services.training_import import add_alias, name_table

    aliases = add_alias(args.alias, args.requirement, reason=args.reason)
    print(f"“{args.alias.strip()}” now names {name_table().title(aliases[args.alias.strip()])}.")
    return EXIT_OK


def _alias_remove(args: argparse.Namespace) -> int:
    from sro_desk.services.training_import import remove_alias

    remove_alias(args.alias, reason=args.reason)
    print(f"Removed the alias “{args.alias.strip()}”.")
    return EXIT_OK
