"""Home: the reviews of the workspace, a new review, and how to start in an empty folder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from orr.errors import OrrError
from orr.i18n import _
from orr.review.checklists import shared_cache
from orr.review.workspace import (
    REVIEWS_DIR,
    ReviewSummary,
    create_review,
    default_manifest,
    scan,
    workspace_manifest,
)
from orr.textsafe import one_line
from orr.tomlfile import display_path
from orr.tui.dialogs.base import confirm_callback
from orr.tui.dialogs.review import NewReviewDialog, NewReviewRequest
from orr.tui.screens.base import OrrScreen, error_text
from orr.tui.text import VERDICT_SHORT, Palette, cell, days_phrase, days_short, plain, safe
from orr.tui.widgets.info import Info

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
    return f"{folder.name} (the current folder)" if shown == "." else shown


class ReviewTable(DataTable[Text]):
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
        Binding("r", "rescan", _("Refresh"), id="home.refresh"),
        Binding("q", "app.quit", _("Quit"), id="home.quit"),
    ]
    FAILURE_TITLE = _("The workspace cannot be read")

    class Scanned(Message):
        def __init__(self, reviews: list[ReviewSummary], info: ChecklistInfo) -> None:
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
        self.reviews: list[ReviewSummary] = []
        self.info: ChecklistInfo | None = None
        self._cache = shared_cache()
        self._narrow: bool | None = None
        self.scanned = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="home-header", classes="app-header"):
            yield Static(Content(" orr · Home "), id="header-screen")
            yield Static("", id="home-workspace", markup=False)
        with VerticalScroll(id="home-body"):
            yield Static("", id="home-title", markup=False)
            yield ReviewTable(id="reviews", cursor_type="row")
            yield Info(id="home-detail")
            yield Static("", id="home-welcome", markup=False)
            yield Static("", id="home-checklist", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        workspace = self.orr.workspace
        self.query_one("#home-workspace", Static).update(
            Content.assemble(("workspace ", "$foreground-muted"), plain(shown_folder(workspace)))
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
        and the verdict and days are said shortly."""
        narrow = width < NARROW
        if narrow == self._narrow:
            return
        self._narrow = narrow
        table = self.query_one("#reviews", DataTable)
        table.clear(columns=True)
        if narrow:
            widths = (max(12, width - 4 - (10 + 7 + 10 + 6 + 4 + 4) - 14), 10, 7, 10, 6, 4, 4)
            labels = (
                _("Workload"),
                _("Launch"),
                _("Days"),
                _("Verdict"),
                _("Done"),
                _("Blk"),
                _("Late"),
            )
        else:
            widths = (30, 10, 17, 21, 8, 8, 7)
            labels = (
                _("Workload"),
                _("Launch"),
                _("Days left"),
                _("Verdict"),
                _("Answered"),
                _("Blockers"),
                _("Overdue"),
            )
        keys = ("workload", "launch", "days", "verdict", "progress", "blockers", "overdue")
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
        reviews = scan(workspace, today, self._cache)
        manifest = default_manifest(workspace)
        bundled = workspace_manifest(workspace) is None
        try:
            checklist = self._cache.get(manifest)
        except OrrError as exc:
            info = ChecklistInfo(manifest, "", "", 0, 0, {}, bundled, error_text(exc))
        else:
            tiers = {
                tid: sum(1 for q in checklist.questions if tid in q.spec.tiers)
                for tid in checklist.manifest.tiers
            }
            info = ChecklistInfo(
                manifest,
                checklist.manifest.name,
                checklist.manifest.version,
                len(checklist.questions),
                len(checklist.pillars),
                tiers,
                bundled,
            )
        self.post_message(self.Scanned(reviews, info))

    def on_home_screen_scanned(self, message: HomeScreen.Scanned) -> None:
        self.reviews = message.reviews
        self.info = message.info
        self.scanned = True
        self.refresh_view()

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
            title.update(Content.styled("No reviews here yet", "bold"))
            welcome.update(self._welcome())
            return
        title.update(
            Content.assemble(
                (f"{len(self.reviews)} review(s)", "bold"),
                ("  soonest launch first · Enter opens · c starts a new one", "$foreground-muted"),
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

    def _highlighted(self) -> ReviewSummary | None:
        table = self.query_one("#reviews", DataTable)
        if not self.reviews or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((s for s in self.reviews if str(s.path) == key), None)

    @on(DataTable.RowHighlighted, "#reviews")
    def _row_highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        s = self._highlighted()
        detail = self.query_one("#home-detail", Info)
        if s is None:
            detail.show("")
            return
        parts: list[str | Content | tuple[str, str]] = [
            (safe(display_path(s.path)), "bold"),
        ]
        if s.error:
            parts += ["\n", (safe(s.error), "$text-error")]
        else:
            parts += [
                (f"  ·  {s.environment}", "$foreground-muted"),
                f"\n{s.findings} finding(s) · {s.blockers} blocker(s)",
                (f" · {s.overdue} overdue mitigation(s)", "$text-error") if s.overdue else "",
            ]
        detail.show(Content.assemble(*parts))

    def _add_row(self, table: DataTable[Text], palette: Palette, s: ReviewSummary) -> None:
        if s.error:
            table.add_row(
                cell(s.workload),
                Text(s.launch_date.isoformat() if s.launch_date else "—"),
                Text(""),
                Text(_("cannot read"), style=palette.style("text-error", bold=True)),
                Text(""),
                Text(""),
                Text(""),
                key=str(s.path),
            )
            return
        days = s.days_left if s.days_left is not None else 0
        days_style = (
            palette.style("text-error")
            if days < 0
            else (palette.style("text-warning") if days <= 7 else palette.style("foreground"))
        )
        assert s.verdict is not None
        table.add_row(
            cell(s.workload, style="bold"),
            Text(s.launch_date.isoformat() if s.launch_date else "—"),
            Text(days_short(days) if self._narrow else days_phrase(days), style=days_style),
            Text(
                VERDICT_SHORT[s.verdict] if self._narrow else s.verdict.label,
                style=palette.verdict(s.verdict),
            ),
            Text(f"{s.answered}/{s.questions}"),
            Text(
                str(s.blockers),
                style=palette.style("text-error") if s.blockers else palette.style("text-success"),
            ),
            Text(
                str(s.overdue) if s.overdue else "·",
                style=palette.style("text-error", bold=True) if s.overdue else palette.muted,
            ),
            key=str(s.path),
        )

    def _show_checklist(self) -> None:
        info = self.info
        line = self.query_one("#home-checklist", Static)
        if info is None:
            return
        if info.error:
            line.update(
                Content.assemble(
                    ("Checklist ", "bold"),
                    plain(display_path(info.path)),
                    ": ",
                    (info.error, "$text-error"),
                )
            )
            return
        tiers = ", ".join(f"tier {t}: {n} questions" for t, n in info.tiers.items())
        where = "bundled with orr" if info.bundled else display_path(info.path)
        line.update(
            Content.assemble(
                ("New reviews start from ", "$foreground-muted"),
                plain(info.name),
                f" {info.version}",
                (f" ({where})", "$foreground-muted"),
                f": {info.questions} questions in {info.pillars} pillars"
                + (f"; {tiers}" if tiers else ""),
            )
        )

    def _welcome(self) -> Content:
        info = self.info
        workspace = self.orr.workspace
        checklist = "the checklist bundled with orr"
        if info is not None and not info.error:
            checklist = (
                f"the {'bundled' if info.bundled else 'workspace'} checklist "
                f"“{one_line(info.name, 60)}” ({info.questions} questions"
                + (f", a core tier of {info.tiers['core']}" if "core" in info.tiers else "")
                + ")"
            )
        return Content.assemble(
            "An operational readiness review walks the launch team through a checklist, "
            "question by question: it records what was found, tracks each mitigation until "
            "launch, and gives a live go / no-go verdict.\n\n",
            ("Press ", ""),
            (" c ", "reverse bold"),
            " to start a review of your workload with ",
            safe(checklist),
            ".\nIt is saved as ",
            (f"{REVIEWS_DIR}/<workload>.toml", "bold"),
            " in ",
            plain(shown_folder(workspace)),
            " — one TOML file to keep in git next to the service.\n\n",
            ("To use your organisation's own checklist, put it in ", "$foreground-muted"),
            ("checklists/orr.toml", "$foreground-muted bold"),
            (" (see: orr checklist show). F1 shows the keys of every screen.", "$foreground-muted"),
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
        manifest = self.info.path if self.info else default_manifest(self.orr.workspace)
        self.app.push_screen(
            NewReviewDialog(manifest=manifest, today=self.orr.today, user=self.orr.user),
            confirm_callback(self._create),
        )

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
