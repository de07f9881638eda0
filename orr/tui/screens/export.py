"""Export: the lens JSON, the review workbook, and the Well-Architected Tool (push and sync).

Each job runs in a worker thread (files, openpyxl, boto3) and reports progress and its result
by messages; the screen shows them and where the file is.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Checkbox, Footer, Input, Log, ProgressBar, Static
from textual.worker import Worker, WorkerState

from orr.checklist.model import Checklist
from orr.errors import InputError, OrrError
from orr.textsafe import terminal_safe
from orr.tomlfile import display_path, write_atomic
from orr.tui.screens.base import ReviewScreen, error_text
from orr.tui.widgets.header import ReviewHeader

EXPORTS_DIR = "exports"

ProgressCallback = Callable[[int, int, str], None]


@dataclass(frozen=True)
class WaTarget:
    """Where the WA Tool jobs go."""

    region: str | None
    profile: str | None
    dry_run: bool


class ExportScreen(ReviewScreen):
    """Export the checklist and the review for people and tools outside the terminal."""

    SCREEN_NAME = "export"
    AUTO_FOCUS = ""  # keys go to the screen; o (or Tab) goes to the fields
    HELP = """\
# Export

Each export runs in the background; its progress and result (where the file is) show below.

| Key | Does |
|---|---|
| `l` | the checklist as a Well-Architected Tool custom lens (JSON, validated first) |
| `x` | the review as a spreadsheet: summary and gate, checklist with answers, findings & mitigations, acceptances, sign-offs, audit trail |
| `p` | push the lens to the WA Tool (a new lens, or a new draft of the same one) |
| `w` | sync the review to its workload in the WA Tool (only differences are sent) |
| `d` | toggle dry run for the WA Tool: print the API calls instead of making them |
| `o` | edit the output folder |

The WA Tool jobs use the standard AWS credentials chain (profile, `AWS_*` variables);
nothing is written to disk about them. The same jobs are `orr lens export`,
`orr xlsx export`, `orr wat push-lens` and `orr wat sync` on the command line.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "export_lens", "Lens JSON"),
        Binding("x", "export_sheet", "Spreadsheet"),
        Binding("p", "push_lens", "Push lens"),
        Binding("w", "sync_review", "Sync to WA"),
        Binding("d", "toggle_dry_run", "Dry run"),
        Binding("o", "edit_folder", "Folder"),
        Binding("escape", "leave_field", "Leave the field", show=False),
    ]

    class Progress(Message):
        def __init__(self, job: str, step: int, steps: int, text: str) -> None:
            super().__init__()
            self.job = job
            self.step = step
            self.steps = steps
            self.text = text

    class Done(Message):
        def __init__(self, job: str, lines: list[str], path: Path | None) -> None:
            super().__init__()
            self.job = job
            self.lines = lines
            self.path = path

    class Failed(Message):
        def __init__(self, job: str, message: str) -> None:
            super().__init__()
            self.job = job
            self.message = message

    def __init__(self) -> None:
        super().__init__(name="export")
        self.results: list[tuple[str, Path | None]] = []  # (job, file) of finished jobs
        self.running: str | None = None

    def compose(self) -> ComposeResult:
        yield ReviewHeader("export")
        with VerticalScroll(id="export"):
            yield Static(Content("Files"), classes="section")
            with Horizontal(classes="field-row"):
                yield Static(Content("Output folder "), classes="inline-label")
                yield Input(id="export-folder")
            yield Static("", id="export-files", markup=False)
            yield Static(Content("Well-Architected Tool"), classes="section")
            with Horizontal(classes="field-row"):
                yield Static(Content("Region "), classes="inline-label")
                yield Input(
                    os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "",
                    placeholder="e.g. eu-west-1",
                    id="export-region",
                )
                yield Static(Content("Profile "), classes="inline-label")
                yield Input(
                    os.environ.get("AWS_PROFILE", ""), placeholder="default", id="export-profile"
                )
                yield Checkbox("Dry run", True, id="export-dry-run")
            yield Static("", id="export-wa", markup=False)
            with Vertical(id="export-progress-box"):
                yield Static("", id="export-status", markup=False)
                yield ProgressBar(id="export-progress", show_eta=False)
            yield Log(id="export-log", highlight=False, max_lines=500)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        folder = self.orr.workspace / EXPORTS_DIR
        self.query_one("#export-folder", Input).value = display_path(folder)
        self.query_one("#export-progress-box").display = False
        self.refresh_view()

    def refresh_view(self) -> None:
        self.update_header()
        session = self.session
        folder = self._folder()
        files = Content.assemble(
            (" l ", "reverse bold"),
            "  Lens JSON of the checklist  → ",
            (terminal_safe(display_path(folder / self._lens_name(session.checklist))), "bold"),
            "\n",
            (" x ", "reverse bold"),
            "  Spreadsheet of the review   → ",
            (terminal_safe(display_path(folder / f"{session.path.stem}.xlsx")), "bold"),
        )
        self.query_one("#export-files", Static).update(files)
        wat = session.review.wat
        linked = wat.get("workload_id")
        self.query_one("#export-wa", Static).update(
            Content.assemble(
                (" p ", "reverse bold"),
                "  Push the lens (a new draft of the same lens each time)\n",
                (" w ", "reverse bold"),
                "  Sync the answers to the workload ",
                (f"{linked}" if linked else "(created on the first sync)", "$foreground-muted"),
                "\n",
                (
                    "Dry run is on: the API calls are listed, nothing is sent (d turns it off)."
                    if self._dry_run()
                    else "Dry run is off: calls go to AWS with your credentials.",
                    "$foreground-muted",
                ),
            )
        )

    # --- settings ---

    def _folder(self) -> Path:
        text = self.query_one("#export-folder", Input).value.strip()
        return Path(text).expanduser() if text else self.orr.workspace / EXPORTS_DIR

    def _dry_run(self) -> bool:
        return self.query_one("#export-dry-run", Checkbox).value

    @staticmethod
    def _lens_name(checklist: Checklist) -> str:
        return f"{checklist.manifest.id}.json"

    def action_toggle_dry_run(self) -> None:
        box = self.query_one("#export-dry-run", Checkbox)
        box.value = not box.value

    @on(Checkbox.Changed, "#export-dry-run")
    def _dry_changed(self) -> None:
        self.refresh_view()

    @on(Input.Changed, "#export-folder")
    def _folder_changed(self) -> None:
        self.refresh_view()

    def action_edit_folder(self) -> None:
        self.query_one("#export-folder", Input).focus()

    def action_leave_field(self) -> None:
        self.set_focus(None)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.set_focus(None)

    def _wa_target(self) -> WaTarget:
        region = self.query_one("#export-region", Input).value.strip() or None
        profile = self.query_one("#export-profile", Input).value.strip() or None
        return WaTarget(region=region, profile=profile, dry_run=self._dry_run())

    # --- jobs ---

    def _start(self, job: str, title: str) -> bool:
        if self.running is not None:
            self.notify(f"Wait for the {self.running} to finish.", severity="warning")
            return False
        self.running = job
        self.query_one("#export-progress-box").display = True
        self.query_one("#export-status", Static).update(Content(title + "…"))
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=None, progress=0)
        self.query_one("#export-log", Log).write_line(title + "…")
        return True

    def action_export_lens(self) -> None:
        if self._start("lens export", "Exporting the lens JSON"):
            self._lens_worker(self.session.checklist, self._folder())

    def action_export_sheet(self) -> None:
        if self._start("spreadsheet export", "Exporting the review workbook"):
            self._sheet_worker(self.session.path, self._folder(), self.session.today)

    def action_push_lens(self) -> None:
        target = self._wa_target()
        title = "Pushing the lens (dry run)" if target.dry_run else "Pushing the lens"
        if self._start("lens push", title):
            self._push_worker(Path(self.session.checklist.path), target)

    def action_sync_review(self) -> None:
        target = self._wa_target()
        title = "Syncing the review (dry run)" if target.dry_run else "Syncing the review"
        if self._start("sync", title):
            self._sync_worker(self.session.path, target, self.orr.user)

    def _progress(self, job: str) -> ProgressCallback:
        def report(step: int, steps: int, text: str) -> None:
            self.post_message(self.Progress(job, step, steps, text))

        return report

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _lens_worker(self, checklist: Checklist, folder: Path) -> None:
        from orr.lens.export import export_lens

        job = "lens export"
        report = self._progress(job)
        try:
            report(1, 3, "building and validating the lens")
            result = export_lens(checklist)
            if result.errors:
                lines = [terminal_safe(p.format()) for p in result.errors[:5]]
                raise InputError(
                    f"the lens is not valid ({len(result.errors)} error(s)): nothing written\n"
                    + "\n".join(lines)
                )
            target = folder / self._lens_name(checklist)
            report(2, 3, f"writing {display_path(target)}")
            try:
                folder.mkdir(parents=True, exist_ok=True)
                write_atomic(target, result.text.encode("utf-8"))
            except OSError as exc:
                raise InputError(f"{display_path(target)}: cannot write ({exc.strerror})") from None
            report(3, 3, "done")
        except OrrError as exc:
            self.post_message(self.Failed(job, error_text(exc)))
            return
        pillars = result.doc.get("pillars", [])
        questions = sum(len(p.get("questions", [])) for p in pillars)
        lines = [
            f"Lens written: {terminal_safe(display_path(target))}",
            f"  {len(pillars)} pillars, {questions} questions, {result.size:,} bytes",
        ]
        lines += [f"  warning: {terminal_safe(w.format())}" for w in result.warnings]
        self.post_message(self.Done(job, lines, target))

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _sheet_worker(self, review_path: Path, folder: Path, today: date) -> None:
        from orr.sheet.export import export_review

        job = "spreadsheet export"
        report = self._progress(job)
        target = folder / f"{review_path.stem}.xlsx"
        try:
            report(1, 2, "building the workbook")
            folder.mkdir(parents=True, exist_ok=True)
            result = export_review(review_path, target, today)
            report(2, 2, "done")
        except OrrError as exc:
            self.post_message(self.Failed(job, error_text(exc)))
            return
        except OSError as exc:
            self.post_message(self.Failed(job, f"{display_path(target)}: cannot write ({exc})"))
            return
        lines = [
            f"Spreadsheet written: {terminal_safe(display_path(result.path))}",
            f"  {terminal_safe(result.summary)}",
        ]
        self.post_message(self.Done(job, lines, result.path))

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _push_worker(self, manifest: Path, target: WaTarget) -> None:
        from orr.wat.client import connect
        from orr.wat.lens import push_lens

        job = "lens push"
        calls: list[str] = []
        try:
            client = connect(
                profile=target.profile,
                region=target.region,
                dry_run=target.dry_run,
                emit=calls.append,
                region_input="fill in Region above",
                profile_input="Profile",
            )
            result = push_lens(manifest, client, progress=self._progress(job))
        except OrrError as exc:
            self.post_message(self.Failed(job, error_text(exc)))
            return
        verb = "would push" if target.dry_run else ("created" if result.created else "updated")
        lines = [f"Lens {verb}: {terminal_safe(result.name)}  {terminal_safe(result.arn)}"]
        lines += [f"  {terminal_safe(c)}" for c in calls]
        lines += [f"  warning: {terminal_safe(w)}" for w in result.warnings]
        self.post_message(self.Done(job, lines, None))

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _sync_worker(self, review_path: Path, target: WaTarget, who: str) -> None:
        from orr.wat.client import connect
        from orr.wat.sync import sync_review

        job = "sync"
        calls: list[str] = []
        try:
            client = connect(
                profile=target.profile,
                region=target.region,
                dry_run=target.dry_run,
                emit=calls.append,
                region_input="fill in Region above",
                profile_input="Profile",
            )
            result = sync_review(review_path, client, who=who, progress=self._progress(job))
        except OrrError as exc:
            self.post_message(self.Failed(job, error_text(exc)))
            return
        verb = "would update" if target.dry_run else "updated"
        lines = [
            f"Workload {terminal_safe(result.workload_id or '(new)')}: {verb} "
            f"{len(result.updated)} answer(s), {len(result.unchanged)} unchanged",
        ]
        if result.remote_changed:
            lines.append(
                "  changed in the WA Tool, left alone (pull first): "
                + ", ".join(result.remote_changed)
            )
        if result.missing:
            lines.append("  not in the workload's lens version: " + ", ".join(result.missing))
        lines += [f"  {terminal_safe(c)}" for c in calls]
        self.post_message(self.Done(job, lines, None))

    # --- results ---

    def on_export_screen_progress(self, message: ExportScreen.Progress) -> None:
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=message.steps, progress=message.step)
        self.query_one("#export-status", Static).update(
            Content(f"{message.job}: {terminal_safe(message.text)}")
        )

    def on_export_screen_done(self, message: ExportScreen.Done) -> None:
        self.running = None
        self.results.append((message.job, message.path))
        log = self.query_one("#export-log", Log)
        log.write_lines(message.lines)
        self.query_one("#export-status", Static).update(Content(message.lines[0]))
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=1, progress=1)
        self.notify(message.lines[0], title="Done", timeout=8)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A job that broke unexpectedly fails like any other (and frees the keys)."""
        if event.state is WorkerState.ERROR and event.worker.group == "export":
            error = event.worker.error
            text = error_text(error) if isinstance(error, OrrError) else repr(error)
            self.post_message(self.Failed(self.running or "export", text))

    def on_export_screen_failed(self, message: ExportScreen.Failed) -> None:
        self.running = None
        self.query_one("#export-log", Log).write_lines(
            [f"{message.job} failed:", *("  " + line for line in message.message.splitlines())]
        )
        self.query_one("#export-status", Static).update(
            Content.styled(f"{message.job} failed", "$text-error")
        )
        self.notify(message.message, title=f"{message.job} failed", severity="error", timeout=12)
