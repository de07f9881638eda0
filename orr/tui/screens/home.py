"""Home: the reviews of the workspace, a new review, and how to start in an empty folder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Static

from orr.errors import OrrError
from orr.i18n import _
from orr.review.checklists import shared_cache
from orr.review.kinds import environment_label
from orr.review.portfolio import Attention
from orr.review.summaries import Summaries
from orr.review.workspace import (
    FOLLOW_UP_DAYS,
    REVIEWS_DIR,
    create_review,
    default_manifest,
    scan,
    start_next_review,
    workspace_manifest,
)
from orr.tomlfile import display_path
from orr.tui.screens.base import OrrScreen, error_text, settled
from orr.tui.text import (
    VERDICT_SHORT,
    Palette,
    cell,
    days_short,
    fill,
    fit,
    plain,
    review_kind_label,
    safe,
)
from orr.tui.widgets.footer import KeysFooter
from orr.tui.widgets.info import Info
from orr.tui.widgets.table import FixedTable

if TYPE_CHECKING:
    from orr.tui.dialogs.review import NewReviewRequest, NextReviewForm

NARROW = 110  # below this many columns the table says things shortly


@dataclass(frozen=True)
class ChecklistInfo:
    """What Home says about the checklist a new review would start from."""

    path: Path
    name: str
    version: str
    questions: int
    pillars: int
    tiers: dict[str, int]
    bundled: bool
    error: str = ""


def shown_folder(folder: Path) -> str:
    """A folder as the user knows it: relative to the working folder when inside it."""
    shown = display_path(folder)
    return _("{folder} (the current folder)").format(folder=folder.name) if shown == "." else shown


class ReviewTable(FixedTable):
    """The reviews; Enter opens the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            _("Open"),
            tooltip=_("Open the highlighted review"),
            id="home.open_row",
        ),
    ]


class HomeScreen(OrrScreen):
    """The reviews of a workspace."""

    HELP = _(
        """\
# Home

The reviews of this workspace (`reviews/*.toml`, and review files in the folder itself),
soonest launch first, each with its launch date, days left, the launch verdict, progress,
open blockers and overdue mitigations.

A new review is saved as `reviews/<workload>.toml`, one TOML file you can keep in git.
It starts from the workspace's `checklists/orr.toml` when there is one, else from the
checklist bundled with orr.
"""
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "new_review", _("New review"), id="home.new"),
        Binding("enter", "open_review", _("Open"), id="home.open"),
        Binding(
            "f",
            "next_review",
            _("Next review"),
            tooltip=_("Start the next review of the highlighted workload from this one"),
            id="home.next",
        ),
        Binding("r", "rescan", _("Refresh"), id="home.refresh"),
        Binding("q", "app.quit", _("Quit"), id="home.quit"),
    ]
    FAILURE_TITLE = _("The workspace cannot be read")

    class Scanned(Message):
        def __init__(self, reviews: list[Attention], info: ChecklistInfo) -> None:
            super().__init__()
            self.reviews = reviews
            self.info = info

    class Created(Message):
        def __init__(self, path: Path, warnings: list[str]) -> None:
            super().__init__()
            self.path = path
            self.warnings = warnings

    def __init__(self) -> None:
        super().__init__(name="home")
        self.reviews: list[Attention] = []
        self.info: ChecklistInfo | None = None
        self._cache = shared_cache()
        self._narrow: bool | None = None
        self.scanned = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="home-header", classes="app-header"):
            yield Static(Content(" orr · " + _("Home") + " "), id="header-screen")
            yield Static("", id="home-workspace", markup=False)
        with VerticalScroll(id="home-body"):
            yield Static("", id="home-title", markup=False)
            yield ReviewTable(id="reviews", cursor_type="row")
            yield Info(id="home-detail")
            yield Static("", id="home-welcome", markup=False)
            yield Static("", id="home-checklist", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        workspace = self.orr.workspace
        self.query_one("#home-workspace", Static).update(
            Content.assemble(
                (_("workspace") + " ", "$foreground-muted"), plain(shown_folder(workspace))
            )
        )
        table = self.query_one("#reviews", DataTable)
        self._layout(self.size.width or 120)
        table.display = False
        self.query_one("#home-welcome").display = False
        self.query_one("#home-detail").display = False
        self.action_rescan()

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        """Every column at every width: on a narrow terminal the workload column gives room
        and the verdict, days and attention are said shortly."""
        narrow = width < NARROW
        if narrow == self._narrow:
            return
        self._narrow = narrow
        table = self.query_one("#reviews", DataTable)
        table.clear(columns=True)
        if narrow:
            rest = 7 + 10 + 6 + 4 + 22
            widths = (max(12, width - 4 - rest - 12), 7, 10, 6, 4, 22)
        else:
            widths = (28, 17, 21, 8, 8, 38)
        labels = (
            _("Workload"),
            _("Launch") if not narrow else _("Days"),
            _("Verdict"),
            _("Answered") if not narrow else _("Done"),
            _("Blockers") if not narrow else _("Blk"),
            _("Needs attention"),
        )
        keys = ("workload", "launch", "verdict", "progress", "blockers", "attention")
        for key, label, w in zip(keys, labels, widths, strict=True):
            table.add_column(label, key=key, width=w)
        self.refresh_view()

    def on_screen_resume(self) -> None:
        if self.scanned:
            self.action_rescan()

    # --- reading the workspace (a worker: it reads files) ---

    def action_rescan(self) -> None:
        self._scan(self.orr.workspace, self.orr.today)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="scan",
        name=_("The workspace cannot be read"),
    )
    def _scan(self, workspace: Path, today: date) -> None:
        summaries = Summaries.for_workspace(workspace, today)
        reviews = scan(workspace, today, self._cache, summaries)
        manifest = default_manifest(workspace)
        bundled = workspace_manifest(workspace) is None
        try:
            glance = summaries.checklist(manifest, self._cache)
        except OrrError as exc:
            info = ChecklistInfo(manifest, "", "", 0, 0, {}, bundled, error_text(exc))
        else:
            info = ChecklistInfo(
                manifest,
                glance.name,
                glance.version,
                glance.questions,
                glance.pillars,
                glance.tiers,
                bundled,
            )
        self.post_message(self.Scanned(reviews, info))
        summaries.save()  # after: Home shows the reviews meanwhile

    def on_home_screen_scanned(self, message: HomeScreen.Scanned) -> None:
        self.reviews = message.reviews
        self.info = message.info
        self.scanned = True
        self.refresh_view()
        self.call_after_refresh(settled)

    def refresh_view(self) -> None:
        if not self.scanned:
            return
        table = self.query_one("#reviews", DataTable)
        title = self.query_one("#home-title", Static)
        welcome = self.query_one("#home-welcome", Static)
        has_reviews = bool(self.reviews)
        table.display = has_reviews
        welcome.display = not has_reviews
        self.query_one("#home-detail").display = has_reviews
        self._show_checklist()
        if not has_reviews:
            title.update(Content.styled(_("No reviews here yet"), "bold"))
            welcome.update(self._welcome())
            return
        title.update(
            Content.assemble(
                (_("{count} workload(s)").format(count=len(self.reviews)), "bold"),
                (
                    "  "
                    + _(
                        "what needs attention first · Enter opens · c starts a review · f the next one"
                    ),
                    "$foreground-muted",
                ),
            )
        )
        palette = Palette(self.app)
        keep = table.cursor_row
        table.clear()
        for s in self.reviews:
            self._add_row(table, palette, s)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1), animate=False)
        if self.app.focused is None or not isinstance(self.app.focused, DataTable):
            table.focus()
        self._show_detail()

    def _highlighted(self) -> Attention | None:
        table = self.query_one("#reviews", DataTable)
        if not self.reviews or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((s for s in self.reviews if str(s.path) == key), None)

    @on(DataTable.RowHighlighted, "#reviews")
    def _row_highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        a = self._highlighted()
        detail = self.query_one("#home-detail", Info)
        if a is None:
            detail.show("")
            return
        parts: list[str | Content | tuple[str, str]] = [
            (safe(display_path(a.path)), "bold"),
        ]
        if a.error:
            parts += ["\n", (safe(a.error), "$text-error")]
            detail.show(Content.assemble(*parts))
            return
        parts += [
            (
                f"  ·  {environment_label(a.environment)}  ·  {review_kind_label(a.kind)}",
                "$foreground-muted",
            ),
            "\n"
            + _("{findings} finding(s) · {blockers} blocker(s)").format(
                findings=a.counts["findings"], blockers=a.counts["blockers"]
            ),
        ]
        for m, days in a.overdue:
            parts += [
                "\n",
                (_("{id} is {days} day(s) overdue").format(id=m, days=days), "$text-error"),
            ]
        for x, when in a.expiring:
            parts += [
                "\n",
                (_("{id} expires on {date}").format(id=x, date=when.isoformat()), "$text-warning"),
            ]
        if a.evidence_stale or a.evidence_missing:
            parts += [
                "\n",
                (
                    _("evidence: {stale} out of date, {missing} missing").format(
                        stale=a.evidence_stale, missing=a.evidence_missing
                    ),
                    "$text-warning",
                ),
            ]
        if a.review_due:
            parts += [
                "\n",
                (
                    _("the next review was due on {date}: f starts it from this one").format(
                        date=a.review_due.isoformat()
                    ),
                    "$text-warning",
                ),
            ]
        detail.show(Content.assemble(*parts))

    def _attention_text(self, a: Attention) -> str:
        short = bool(self._narrow)
        words: list[str] = []
        if a.overdue:
            late = max(d for _m, d in a.overdue)
            words.append(
                _("{count} late").format(count=len(a.overdue))
                if short
                else _("{count} overdue ({days}d)").format(count=len(a.overdue), days=late)
            )
        if a.expiring:
            words.append(
                _("{count} exp").format(count=len(a.expiring))
                if short
                else _("{count} expiring").format(count=len(a.expiring))
            )
        if a.evidence_stale or a.evidence_missing:
            n = a.evidence_stale + a.evidence_missing
            words.append(
                _("{count} evid").format(count=n)
                if short
                else _("{count} evidence").format(count=n)
            )
        if a.review_due:
            words.append(_("due") if short else _("review due"))
        return " · ".join(words) or "·"

    def _add_row(self, table: DataTable[Text], palette: Palette, a: Attention) -> None:
        if a.error:
            table.add_row(
                cell(a.workload),
                Text(""),
                Text(_("cannot read"), style=palette.style("text-error", bold=True)),
                Text(""),
                Text(""),
                Text(""),
                key=str(a.path),
            )
            return
        days = a.days_left
        days_style = (
            palette.style("text-error")
            if days < 0
            else (palette.style("text-warning") if days <= 7 else palette.style("foreground"))
        )
        launch = (
            days_short(days) if self._narrow else f"{a.launch_date.isoformat()} {days_short(days)}"
        )
        attention = self._attention_text(a)
        late = bool(a.overdue or a.review_due)
        table.add_row(
            cell(a.workload, style="bold"),
            Text(launch, style=days_style),
            Text(
                _(VERDICT_SHORT[a.verdict]) if self._narrow else a.verdict.label,
                style=palette.verdict(a.verdict),
            ),
            Text(f"{a.counts['answered']}/{a.counts['questions']}"),
            Text(
                str(a.counts["blockers"]),
                style=palette.style("text-error")
                if a.counts["blockers"]
                else palette.style("text-success"),
            ),
            cell(
                attention,
                style=palette.style("text-error", bold=True)
                if late
                else (palette.style("text-warning") if a.due else palette.muted),
            ),
            key=str(a.path),
        )

    def _show_checklist(self) -> None:
        info = self.info
        line = self.query_one("#home-checklist", Static)
        if info is None:
            return
        if info.error:
            line.update(
                Content.assemble(
                    (_("Checklist") + " ", "bold"),
                    plain(display_path(info.path)),
                    ": ",
                    (info.error, "$text-error"),
                )
            )
            return
        tiers = ", ".join(
            _("tier {tier}: {count} questions").format(tier=t, count=n)
            for t, n in info.tiers.items()
        )
        where = _("bundled with orr") if info.bundled else display_path(info.path)
        line.update(
            Content.assemble(
                # A label at the start of the line: the checklist's name and version follow.
                (_("New reviews start from") + " ", "$foreground-muted"),
                plain(info.name),
                f" {info.version}",
                (f" ({where})", "$foreground-muted"),
                ": "
                + _("{questions} questions in {pillars} pillars").format(
                    questions=info.questions, pillars=info.pillars
                )
                + (f"; {tiers}" if tiers else ""),
            )
        )

    def _welcome(self) -> Content:
        info = self.info
        workspace = self.orr.workspace
        checklist = _("the checklist bundled with orr")
        if info is not None and not info.error:
            name = fit(info.name, 60)
            core = info.tiers.get("core")
            if info.bundled:
                phrase = (
                    _(
                        "the bundled checklist “{name}” ({questions} questions, a core tier of {core})"
                    )
                    if core is not None
                    else _("the bundled checklist “{name}” ({questions} questions)")
                )
            else:
                phrase = (
                    _(
                        "the workspace checklist “{name}” ({questions} questions, a core tier of "
                        "{core})"
                    )
                    if core is not None
                    else _("the workspace checklist “{name}” ({questions} questions)")
                )
            checklist = phrase.format(name=name, questions=info.questions, core=core)
        return Content.assemble(
            _(
                "An operational readiness review walks the launch team through a checklist, "
                "question by question: it records what was found, tracks each mitigation until "
                "launch, and gives a live go / no-go verdict."
            ),
            "\n\n",
            fill(
                _("Press {key} to start a review of your workload with {checklist}."),
                key=(" c ", "reverse bold"),
                checklist=safe(checklist),
            ),
            "\n",
            fill(
                _(
                    "It is saved as {file} in {folder} — one TOML file to keep in git next to the "
                    "service."
                ),
                file=(f"{REVIEWS_DIR}/" + _("<workload>") + ".toml", "bold"),
                folder=plain(shown_folder(workspace)),
            ),
            "\n\n",
            fill(
                _(
                    "To use your organisation's own checklist, put it in {file} (see: orr "
                    "checklist show). F1 shows the keys of every screen."
                ),
                "$foreground-muted",
                file=("checklists/orr.toml", "$foreground-muted bold"),
            ),
        )

    # --- opening and creating ---

    def action_open_review(self) -> None:
        table = self.query_one("#reviews", DataTable)
        if not self.reviews or not table.display or table.row_count == 0:
            self.action_new_review()
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.orr.open_review(Path(str(key)))

    @on(DataTable.RowSelected, "#reviews")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.orr.open_review(Path(str(event.row_key.value)))

    def action_new_review(self) -> None:
        from orr.tui.dialogs.base import confirm_callback
        from orr.tui.dialogs.review import NewReviewDialog

        manifest = self.info.path if self.info else default_manifest(self.orr.workspace)
        self.app.push_screen(
            NewReviewDialog(manifest=manifest, today=self.orr.today, user=self.orr.user),
            confirm_callback(self._create),
        )

    def action_next_review(self) -> None:
        from orr.tui.dialogs.base import confirm_callback
        from orr.tui.dialogs.review import NextReviewDialog

        a = self._highlighted()
        if a is None or a.error:
            self.notify(_("Highlight a review first."), severity="warning")
            return
        launch = a.launch_date
        today = self.orr.today
        target = launch if launch > today else today + timedelta(days=FOLLOW_UP_DAYS)
        path = a.path

        def done(form: NextReviewForm) -> None:
            self._next_worker(path, form)

        self.app.push_screen(NextReviewDialog(a.workload, target, today), confirm_callback(done))

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="create",
        name=_("The next review was not started"),
    )
    def _next_worker(self, old: Path, form: NextReviewForm) -> None:
        path, _review, carried = start_next_review(
            old,
            workspace=self.orr.workspace,
            kind=form.kind,
            launch_date=form.launch_date,
            today=self.orr.today,
            user=self.orr.user,
        )
        said = (
            [
                _("{count} answer(s) to re-confirm: they are marked ↻ in the walk-through").format(
                    count=len(carried.reconfirm)
                )
            ]
            if carried.reconfirm
            else []
        )
        self.post_message(self.Created(path, said))

    def _create(self, request: NewReviewRequest) -> None:
        self._create_worker(request)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="create",
        name=_("Review not created"),
    )
    def _create_worker(self, request: NewReviewRequest) -> None:
        # A failure (the checklist, the file) reaches the user through the one worker path.
        path, _review, warnings = create_review(
            self.orr.workspace,
            workload=request.workload,
            launch_date=request.launch_date,
            manifest=request.manifest,
            tier=request.tier,
            environment=request.environment.value,
            owner=request.owner,
            stakeholders=request.stakeholders,
            today=self.orr.today,
            user=self.orr.user,
        )
        self.post_message(self.Created(path, warnings))

    def on_home_screen_created(self, message: HomeScreen.Created) -> None:
        for warning in message.warnings:
            self.notify(safe(warning), severity="warning")
        self.notify(
            _("Review saved as {path}.").format(path=display_path(message.path)), title=_("Created")
        )
        self.orr.open_review(message.path)
