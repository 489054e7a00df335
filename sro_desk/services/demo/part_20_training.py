"""Demo: training records that show every state the Training tab knows — cleared, cleared by ESD
documentation, a waiver, due soon, overdue, an expired CPR card, expiring soon, a claimed record
awaiting verification, a first day in the future and a first day not recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sro_desk.domain.roster import StaffMember
from sro_desk.domain.training import Delivery, Provider
from sro_desk.services.demo import DemoContext
from sro_desk.store import training_repo
from sro_desk.store.training_repo import CompletionInput, EvidenceFile

ESD = "Olympic ESD 114"
VERIFIER = "Dana Whitcomb, Safety Coordinator"
TOPICS = tuple(f"topic_{c}" for c in "abcdefghijklm")


def _sheet_pdf(title: str, names: Iterable[str], on: dt.date) -> bytes:
    """A one-page sign-in sheet, so the demo's evidence opens in any PDF viewer."""
    import io

    from reportlab.lib.pagesizes import LETTER
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(72, 720, title)
    canvas.setFont("Helvetica", 11)
    canvas.drawString(72, 700, f"{ESD} · {on:%B %d, %Y} · sign-in sheet (demo data)")
    for i, name in enumerate(names):
        canvas.drawString(90, 670 - 18 * i, f"{i + 1}. {name}  ______________________")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


class _Demo:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.today = ctx.today
        self.by_last = {m.last_name: m for m in ctx.staff}

    def sid(self, last: str) -> int:
        member: StaffMember = self.by_last[last]
        assert member.id is not None
        return member.id

    def days_ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def record(
        self, last: str, codes: Iterable[str], on: dt.date, *, provider: Provider = Provider.ESD,
        name: str = ESD, hours: float | None = 3.0, verified: bool = True,
        evidence: list[EvidenceFile] | None = None, mentor: str = "", school: str = "",
    ) -> None:
        items = [
            CompletionInput(self.sid(last), code, on, provider, name if provider in (
                Provider.ESD, Provider.OTHER) else "", Delivery.IN_PERSON, hours,
                "", mentor, school)
            for code in codes
        ]
        saved = training_repo.add_completions(items, evidence or [], claimed_by=VERIFIER)
        if verified:
            at = dt.datetime.combine(min(on + dt.timedelta(days=3), self.today), dt.time(10))
            for c in saved:
                training_repo.verify_completion(c.id, VERIFIER, at)

    def certs(self, last: str, cpr_days_ago: int = 200, harassment_days_ago: int = 120,
              crisis_days_ago: int | None = None) -> None:
        self.record(last, ["first_aid_cpr"], self.days_ago(cpr_days_ago),
                    provider=Provider.OTHER, name="American Red Cross", hours=4)
        self.record(last, ["discriminatory_harassment"], self.days_ago(harassment_days_ago),
                    provider=Provider.DISTRICT, hours=1.5)
        if crisis_days_ago is not None:
            self.record(last, ["crisis_intervention"], self.days_ago(crisis_days_ago),
                        provider=Provider.AGENCY, hours=8)
            # the agency's own trainings named by the Snohomish procedures (district defaults)
            self.record(last, ["bias_based_policing", "procedural_justice"],
                        self.days_ago(crisis_days_ago), provider=Provider.AGENCY, hours=4)

    def ojt(self, last: str, first_day_ago: int, school: str, days: int = 2) -> None:
        for n in range(days):
            self.record(last, ["on_the_job"], self.days_ago(first_day_ago - 10 - 7 * n),
                        provider=Provider.AGENCY, hours=8, mentor="Sgt. Elena Marsh",
                        school=school)

    def check_ins(self, last: str, first_day_ago: int, count: int) -> None:
        for n in range(count):
            self.record(last, ["check_ins"], self.days_ago(first_day_ago - 20 - 30 * n),
                        provider=Provider.DISTRICT, hours=1)


def populate(ctx: DemoContext) -> None:
    d = _Demo(ctx)
    # A fall ESD session with its signed sheet as evidence.
    session_day = d.days_ago(60)
    sheet = EvidenceFile("esd-session-sign-in.pdf", _sheet_pdf(
        "RCW 28A.310.515 classroom training, topics (a)-(m)",
        [d.by_last["Makoa"].full_name], session_day))
    # The others completed the series in earlier years.
    for last in ("Lopez", "Okafor", "Achterberg", "Haugen"):
        d.record(last, TOPICS, d.days_ago(800 if last != "Okafor" else 380))
    d.record("Lindqvist", [t for t in TOPICS if t != "topic_g"], d.days_ago(650))
    d.record("Makoa", TOPICS, session_day, evidence=[sheet])
    d.record("Ortega", TOPICS, d.days_ago(360))

    # Cleared, everything current.
    d.certs("Lopez", crisis_days_ago=150)
    d.record("Lopez", ["nasro_basic"], d.days_ago(880), provider=Provider.OTHER,
             name="NASRO", hours=40)
    d.ojt("Lopez", 900, "Cedar Valley High School")
    # Cleared, but the CPR card expired last month.
    d.certs("Okafor", cpr_days_ago=760, crisis_days_ago=200)
    d.record("Okafor", ["nasro_basic"], d.days_ago(400), provider=Provider.OTHER,
             name="NASRO", hours=40)
    d.ojt("Okafor", 420, "Ridgeline Middle School")
    # New SRO: six topics verified at the ESD, one claimed awaiting verification, rest due.
    d.record("Raman", TOPICS[:6], d.days_ago(40))
    d.record("Raman", ["topic_g"], d.days_ago(20), verified=False)
    d.certs("Raman", cpr_days_ago=90, crisis_days_ago=60)
    d.ojt("Raman", 75, "Harbor View High School", days=1)
    # Sheriff's deputy: cleared by confirmed ESD training series documentation; crisis
    # intervention refresher expiring within the month.
    esd = training_repo.add_esd_documentation(
        d.sid("McAllister"), d.days_ago(1400), "Puget Sound ESD 121",
        EvidenceFile("esd-series-documentation.pdf", _sheet_pdf(
            "Training series documentation (RCW 28A.400.345)", ["Colin McAllister"],
            d.days_ago(1400))))
    training_repo.confirm_esd_documentation(
        esd.id, VERIFIER, dt.datetime.combine(d.days_ago(1390), dt.time(9)))
    d.certs("McAllister", crisis_days_ago=341)
    d.record("McAllister", ["nasro_basic"], d.days_ago(1450), provider=Provider.OTHER,
             name="NASRO", hours=40)
    # Overdue: three topics missing past the 6-month deadline.
    d.record("Sandoval", TOPICS[:10], d.days_ago(200))
    d.certs("Sandoval", crisis_days_ago=100)
    # Waiver: an ESD waived topic (g) for prior training and experience.
    training_repo.add_waiver(
        d.sid("Lindqvist"), "topic_g", d.days_ago(640), ESD,
        "Twelve years as a juvenile probation counselor, including a state course on "
        "disparities in use of force and arrests.",
        EvidenceFile("waiver-topic-g.pdf", _sheet_pdf(
            "ESD waiver: topic (g)", ["Grace Lindqvist"], d.days_ago(640))),
        recorded_by=VERIFIER)
    d.certs("Lindqvist")
    d.ojt("Lindqvist", 700, "Cedar Valley High School")
    d.check_ins("Lindqvist", 700, 6)
    # ESD documentation received but not yet confirmed; topics overdue meanwhile.
    training_repo.add_esd_documentation(d.sid("Bell"), d.days_ago(5), ESD)
    d.record("Bell", TOPICS[:4], d.days_ago(150))
    d.certs("Bell", cpr_days_ago=30)
    # Brand new: nothing yet, deadlines months away.
    d.certs("Yoshida", cpr_days_ago=25, harassment_days_ago=20)
    # Guard company: topics verified, pre/post-assignment done, annual refresher overdue.
    d.record("Ortega", ["guard_pre_assignment"], d.days_ago(410), provider=Provider.AGENCY,
             hours=8)
    d.record("Ortega", ["guard_post_assignment"], d.days_ago(390), provider=Provider.AGENCY,
             hours=8)
    d.certs("Ortega")
    d.ojt("Ortega", 400, "Cedar Valley High School")
    d.check_ins("Ortega", 400, 6)
    # Due soon: topics due within the month, half done.
    d.record("Fox", TOPICS[:7], d.days_ago(100))
    d.record("Fox", ["guard_pre_assignment"], d.days_ago(165), provider=Provider.AGENCY, hours=8)
    d.record("Fox", ["guard_post_assignment"], d.days_ago(150), provider=Provider.AGENCY, hours=8)
    d.certs("Fox")
    # Long-serving, CPR expiring in about 60 days.
    d.certs("Achterberg", cpr_days_ago=670)
    d.ojt("Achterberg", 1200, "Cedar Valley Reengagement Center")
    d.check_ins("Achterberg", 1200, 6)
    # First day in the future, with prior training from a previous job (it counts).
    d.record("Park", TOPICS[:5], d.days_ago(300), provider=Provider.OTHER,
             name="Kitsap Regional Training", hours=2)
    # Cleared; check-ins 4 of 6, the year ends within 45 days.
    d.certs("Makoa")
    d.ojt("Makoa", 330, "Cedar Valley High School")
    d.check_ins("Makoa", 330, 4)
    # Former staff: records kept.
    d.certs("Haugen", cpr_days_ago=900, harassment_days_ago=500)
    d.ojt("Haugen", 800, "Ridgeline Middle School")
    d.check_ins("Haugen", 800, 6)
