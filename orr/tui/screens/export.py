"""Export: the lens JSON, the review workbook, and the Well-Architected Tool (push, publish and
sync).

Each job runs in a worker thread (files, openpyxl, boto3) and reports progress and its result
by messages; the screen shows them and where the file is. The WA Tool jobs name this screen's
fields in their errors (Region, Profile, Version), never the command line's flags.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Checkbox, Input, ProgressBar, RichLog, Static
from textual.worker import Worker, WorkerState

from orr.checklist.model import Checklist
from orr.errors import InputError, OrrError
from orr.i18n import N_, _
from orr.textsafe import terminal_safe
from orr.tomlfile import display_path, write_atomic
from orr.tui.screens.base import SCREEN_BINDINGS, ReviewScreen, error_text
from orr.tui.text import fill
from orr.tui.widgets.footer import KeysFooter
from orr.tui.widgets.header import ReviewHeader
from orr.wat.client import Inputs

EXPORTS_DIR = "exports"

ProgressCallback = Callable[[int, int, str], None]


def screen_inputs() -> Inputs:
    """Where this screen takes what the command line takes as flags: errors name these (in
    the language in use, as the fields are labelled)."""
    return Inputs(
        region=_("the Region field"),
        give_region=_("fill in Region above"),
        profile=_("the Profile field"),
        give_profile=_("the Profile field"),
        endpoint="AWS_ENDPOINT_URL",
        version=_("Version"),
        publish=_("fill in Version and push the lens (p)"),
    )


# The jobs (their names are ids: `results` and the messages carry them), and what they are called.
JOB_LABEL: dict[str, str] = {
    "lens export": N_("lens export"),
    "spreadsheet export": N_("spreadsheet export"),
    "lens push": N_("lens push"),
    "sync": N_("sync"),
    "export": N_("export"),
}


def job_label(job: str) -> str:
    return _(JOB_LABEL[job]) if job in JOB_LABEL else job


@dataclass(frozen=True)
class WaTarget:
    """Where the WA Tool jobs go, and the version to publish."""

    region: str | None
    profile: str | None
    dry_run: bool
    version: str | None = None


class ExportScreen(ReviewScreen):
    """Export the checklist and the review for people and tools outside the terminal."""

    AUTO_FOCUS = ""  # keys go to the screen; o (or Tab) goes to the fields
    HELP = _(
        """\
# Export

Each export runs in the background; its progress and result (where the file is) show below.

- **Lens JSON**: the checklist as a Well-Architected Tool custom lens, validated first.
- **Spreadsheet**: the review as a workbook: summary and gate, checklist with answers, findings
  and mitigations, acceptances, sign-offs, audit trail.
- **Push lens**: import the lens into the WA Tool (a new lens, or a new draft of the same one)
  and publish it as the version in **Version** (the next one is suggested). A lens that is only
  a draft cannot be applied to workloads or shared: leave Version empty only to update the
  draft.
- **Sync to WA**: create the review's workload the first time (the lens must be published),
  then send only what differs.
- **Dry run** (on at first): list the API calls instead of making them; it needs no Region and
  no credentials.

The WA Tool jobs use the standard AWS credentials chain (the Profile field, `AWS_*`
variables); nothing is written to disk about them. The same jobs are `orr lens export`,
`orr xlsx export`, `orr wat push-lens --publish VERSION` and `orr wat sync` on the command line.
"""
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "export_lens", _("Lens JSON"), id="export.lens"),
        Binding("x", "export_sheet", _("Spreadsheet"), id="export.sheet"),
        Binding(
            "p",
            "push_lens",
            _("Push lens"),
            id="export.push",
            tooltip=_("Import the lens and publish it as the version in Version"),
        ),
        Binding("w", "sync_review", _("Sync to WA"), id="export.sync"),
        Binding("d", "toggle_dry_run", _("Dry run"), id="export.dry_run"),
        Binding("o", "edit_folder", _("Folder"), id="export.folder"),
        Binding("escape", "leave_field", _("Leave the field"), show=False, id="export.leave_field"),
        *SCREEN_BINDINGS,
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

    class VersionSuggested(Message):
        """The version last published from this checklist to the Region, and the next one."""

        def __init__(self, region: str, published: str, suggested: str) -> None:
            super().__init__()
            self.region = region
            self.published = published
            self.suggested = suggested

    def __init__(self) -> None:
        super().__init__(name="export")
        self.results: list[tuple[str, Path | None]] = []  # (job, file) of finished jobs
        self.running: str | None = None
        self.log_lines: list[str] = []  # what the log shows, as plain text
        self.lens_state = ""  # what the screen says of the lens: published, draft only, ...
        self._suggested = ""  # the version the screen filled in (replaced when still unchanged)

    def compose(self) -> ComposeResult:
        yield ReviewHeader(_("export"))
        with VerticalScroll(id="export"):
            yield Static(Content(_("Files")), classes="section")
            with Horizontal(classes="field-row"):
                yield Static(Content(_("Output folder") + " "), classes="inline-label")
                yield Input(id="export-folder")
            yield Static("", id="export-files", markup=False)
            yield Static(Content(_("Well-Architected Tool")), classes="section")
            with Horizontal(classes="field-row"):
                yield Static(Content(_("Region") + " "), classes="inline-label")
                yield Input(
                    os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "",
                    placeholder=_("e.g. {example}").format(example="eu-west-1"),
                    id="export-region",
                )
                yield Static(Content(_("Profile") + " "), classes="inline-label")
                # "default": the name of the AWS profile used when none is given.
                yield Input(
                    os.environ.get("AWS_PROFILE", ""), placeholder="default", id="export-profile"
                )
                yield Checkbox(_("Dry run"), True, id="export-dry-run")
            with Horizontal(classes="field-row"):
                yield Static(Content(_("Version") + " "), classes="inline-label")
                yield Input(
                    placeholder=_("e.g. {example}").format(example="1.0"),
                    id="export-version",
                    max_length=32,
                )
                yield Static("", id="export-lens-state", markup=False)
            yield Static("", id="export-wa", markup=False)
            with Vertical(id="export-progress-box"):
                yield Static("", id="export-status", markup=False)
                yield ProgressBar(id="export-progress", show_eta=False)
            yield RichLog(
                id="export-log",
                wrap=True,
                markup=False,
                highlight=False,
                max_lines=500,
                min_width=20,
            )
        yield KeysFooter()

    def on_mount(self) -> None:
        folder = self.orr.workspace / EXPORTS_DIR
        self.query_one("#export-folder", Input).value = display_path(folder)
        self.query_one("#export-progress-box").display = False
        self.refresh_view()
        self._suggest_version()

    def show_view(self) -> None:
        self.update_header()
        session = self.session
        folder = self._folder()
        lens, sheet = _("Lens JSON of the checklist"), _("Spreadsheet of the review")
        width = max(cell_len(lens), cell_len(sheet))  # the arrows line up in every language
        files = Content.assemble(
            (" l ", "reverse bold"),
            "  " + lens + " " * (width - cell_len(lens)) + "  → ",
            (terminal_safe(display_path(folder / self._lens_name(session.checklist))), "bold"),
            "\n",
            (" x ", "reverse bold"),
            "  " + sheet + " " * (width - cell_len(sheet)) + "  → ",
            (terminal_safe(display_path(folder / f"{session.path.stem}.xlsx")), "bold"),
        )
        self.query_one("#export-files", Static).update(files)
        wat = session.review.wat
        linked = wat.get("workload_id")
        version = self._version()
        push = (
            _("Push the lens and publish it as version {version}").format(version=version)
            if version
            else _("Push the lens as a draft only (fill in Version to publish it)")
        )
        self.query_one("#export-wa", Static).update(
            Content.assemble(
                (" p ", "reverse bold"),
                "  " + terminal_safe(push) + "\n",
                (" w ", "reverse bold"),
                "  ",
                fill(
                    _("Sync the answers to the workload {workload}"),
                    workload=(
                        terminal_safe(linked) if linked else _("(created on the first sync)"),
                        "$foreground-muted",
                    ),
                ),
                "\n",
                (
                    _("Dry run is on: the API calls are listed, nothing is sent (d turns it off).")
                    if self._dry_run()
                    else _("Dry run is off: calls go to AWS with your credentials."),
                    "$foreground-muted",
                ),
            )
        )
        self.query_one("#export-lens-state", Static).update(Content(self.lens_state))

    # --- settings ---

    def _folder(self) -> Path:
        text = self.query_one("#export-folder", Input).value.strip()
        return Path(text).expanduser() if text else self.orr.workspace / EXPORTS_DIR

    def _dry_run(self) -> bool:
        return self.query_one("#export-dry-run", Checkbox).value

    def _version(self) -> str:
        return self.query_one("#export-version", Input).value.strip()

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
    @on(Input.Changed, "#export-version")
    def _field_changed(self) -> None:
        self.refresh_view()

    @on(Input.Changed, "#export-region")
    def _region_changed(self) -> None:
        self._suggest_version()

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
        return WaTarget(
            region=region,
            profile=profile,
            dry_run=self._dry_run(),
            version=self._version() or None,
        )

    # --- the version to publish ---

    def _suggest_version(self) -> None:
        region = self.query_one("#export-region", Input).value.strip()
        self._version_worker(Path(self.session.checklist.path), region)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export-version")
    def _version_worker(self, manifest: Path, region: str) -> None:
        from orr.wat.lens import suggested_version

        endpoint = os.environ.get("AWS_ENDPOINT_URL_WELLARCHITECTED") or os.environ.get(
            "AWS_ENDPOINT_URL"
        )
        try:
            published, suggested = suggested_version(manifest, region, None)
            if not published and endpoint:
                published, suggested = suggested_version(manifest, region, endpoint)
        except OrrError:
            published, suggested = "", "1.0"
        self.post_message(self.VersionSuggested(region, published, suggested))

    def on_export_screen_version_suggested(self, message: ExportScreen.VersionSuggested) -> None:
        field = self.query_one("#export-version", Input)
        if field.value.strip() in ("", self._suggested):
            field.value = message.suggested
        self._suggested = message.suggested
        if message.published:
            self.lens_state = _("version {published} is published; next: {suggested}").format(
                published=message.published, suggested=message.suggested
            )
        elif message.region:
            self.lens_state = _("not published from here yet: a draft cannot be used by workloads")
        else:
            self.lens_state = ""
        self.refresh_view()

    # --- jobs ---

    def _log(self, lines: list[str]) -> None:
        log = self.query_one("#export-log", RichLog)
        for line in lines:
            self.log_lines.append(line)
            log.write(Text(line))

    def _start(self, job: str, title: str) -> bool:
        if self.running is not None:
            self.notify(
                _("Wait for the {job} to finish.").format(job=job_label(self.running)),
                severity="warning",
            )
            return False
        self.running = job
        self.query_one("#export-progress-box").display = True
        self.query_one("#export-status", Static).update(Content(title + "…"))
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=None, progress=0)
        self._log([title + "…"])
        return True

    def action_export_lens(self) -> None:
        if self._start("lens export", _("Exporting the lens JSON")):
            self._lens_worker(self.session.checklist, self._folder())

    def action_export_sheet(self) -> None:
        if self._start("spreadsheet export", _("Exporting the review workbook")):
            self._sheet_worker(self.session.path, self._folder(), self.session.today)

    def action_push_lens(self) -> None:
        target = self._wa_target()
        if target.version:
            title = (
                _("Pushing the lens and publishing {version} (dry run)")
                if target.dry_run
                else _("Pushing the lens and publishing {version}")
            ).format(version=target.version)
        else:
            title = (
                _("Pushing the lens (a draft only) (dry run)")
                if target.dry_run
                else _("Pushing the lens (a draft only)")
            )
        if self._start("lens push", title):
            self._push_worker(Path(self.session.checklist.path), target)

    def action_sync_review(self) -> None:
        target = self._wa_target()
        title = _("Syncing the review (dry run)") if target.dry_run else _("Syncing the review")
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
            report(1, 3, _("building and validating the lens"))
            result = export_lens(checklist)
            if result.errors:
                lines = [terminal_safe(p.format()) for p in result.errors[:5]]
                raise InputError(
                    _("the lens is not valid ({count} error(s)): nothing written").format(
                        count=len(result.errors)
                    )
                    + "\n"
                    + "\n".join(lines)
                )
            target = folder / self._lens_name(checklist)
            report(2, 3, _("writing {file}").format(file=display_path(target)))
            try:
                folder.mkdir(parents=True, exist_ok=True)
                write_atomic(target, result.text.encode("utf-8"))
            except OSError as exc:
                raise InputError(
                    _("{file}: cannot write ({reason})").format(
                        file=display_path(target), reason=exc.strerror
                    )
                ) from None
            report(3, 3, _("done"))
        except OrrError as exc:
            self.post_message(self.Failed(job, error_text(exc)))
            return
        pillars = result.doc.get("pillars", [])
        questions = sum(len(p.get("questions", [])) for p in pillars)
        lines = [
            _("Lens written: {file}").format(file=terminal_safe(display_path(target))),
            "  "
            + _("{pillars} pillars, {questions} questions, {size} bytes").format(
                pillars=len(pillars), questions=questions, size=f"{result.size:,}"
            ),
        ]
        lines += [
            "  " + _("warning: {text}").format(text=terminal_safe(w.format()))
            for w in result.warnings
        ]
        self.post_message(self.Done(job, lines, target))

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _sheet_worker(self, review_path: Path, folder: Path, today: date) -> None:
        from orr.sheet.export import export_review

        job = "spreadsheet export"
        report = self._progress(job)
        target = folder / f"{review_path.stem}.xlsx"
        try:
            report(1, 2, _("building the workbook"))
            folder.mkdir(parents=True, exist_ok=True)
            result = export_review(review_path, target, today)
            report(2, 2, _("done"))
        except OrrError as exc:
            self.post_message(self.Failed(job, error_text(exc)))
            return
        except OSError as exc:
            self.post_message(
                self.Failed(
                    job,
                    _("{file}: cannot write ({reason})").format(
                        file=display_path(target), reason=exc
                    ),
                )
            )
            return
        lines = [
            _("Spreadsheet written: {file}").format(file=terminal_safe(display_path(result.path))),
            f"  {terminal_safe(result.summary)}",
        ]
        self.post_message(self.Done(job, lines, result.path))

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _push_worker(self, manifest: Path, target: WaTarget) -> None:
        from orr.wat.client import connect
        from orr.wat.lens import next_version, push_lens

        job = "lens push"
        calls: list[str] = []
        try:
            client = connect(
                profile=target.profile,
                region=target.region,
                dry_run=target.dry_run,
                emit=calls.append,
                inputs=screen_inputs(),
            )
            result = push_lens(
                manifest, client, publish=target.version, progress=self._progress(job)
            )
        except OrrError as exc:
            self.post_message(self.Failed(job, error_text(exc)))
            return
        name = terminal_safe(result.name)
        arn = terminal_safe(result.arn)
        if target.dry_run:
            lines = [_("Lens would be pushed: {name}  {arn}").format(name=name, arn=arn)]
        elif not result.imported:
            lines = [
                _("Lens {name}: version {version} is already published: nothing to do").format(
                    name=name, version=target.version
                )
            ]
        elif result.created:
            lines = [_("Lens created: {name}  {arn}").format(name=name, arn=arn)]
        else:
            lines = [_("Lens updated: {name}  {arn}").format(name=name, arn=arn)]
        if result.version and not target.dry_run:
            lines.append(
                "  "
                + _("published as version {version}").format(version=terminal_safe(result.version))
            )
        elif not target.dry_run and result.draft_only:
            lines.append(
                "  "
                + _(
                    "only a draft: it cannot be applied to workloads or shared until it is "
                    "published: fill in Version (e.g. {version}) and push again"
                ).format(version=next_version(result.published))
            )
        elif not target.dry_run and result.imported and not result.version:
            lines.append(
                "  "
                + _(
                    "the new draft is not published (version {version} is): fill in Version and "
                    "push again to publish it"
                ).format(version=terminal_safe(result.published))
            )
        lines += [f"  {terminal_safe(c)}" for c in calls]
        lines += [
            "  " + _("warning: {text}").format(text=terminal_safe(w)) for w in result.warnings
        ]
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
                inputs=screen_inputs(),
            )
            result = sync_review(review_path, client, who=who, progress=self._progress(job))
        except OrrError as exc:
            self.post_message(self.Failed(job, error_text(exc)))
            return
        if target.dry_run:
            said = _("Workload {workload}: would update {updated} answer(s), {unchanged} unchanged")
        elif result.created_workload:
            said = _(
                "Workload {workload} (created): updated {updated} answer(s), {unchanged} unchanged"
            )
        else:
            said = _("Workload {workload}: updated {updated} answer(s), {unchanged} unchanged")
        lines = [
            said.format(
                workload=terminal_safe(result.workload_id or _("(new)")),
                updated=len(result.updated),
                unchanged=len(result.unchanged),
            )
        ]
        if result.remote_changed:
            lines.append(
                "  "
                + _("changed in the WA Tool, left alone (pull first): {questions}").format(
                    questions=", ".join(result.remote_changed)
                )
            )
        version = (
            _("lens version {version}").format(version=result.lens_version)
            if result.lens_version
            else _("lens version")
        )
        if result.needs_upgrade:
            newer = (
                _("version {version}").format(version=result.lens_latest)
                if result.lens_latest
                else _("a newer version")
            )
            lines.append(
                "  "
                + _(
                    "the workload is on {version} and {newer} is published: upgrade it with orr "
                    "wat sync --upgrade"
                ).format(version=version, newer=newer)
            )
        lacking = [*result.missing, *result.missing_choices]
        if lacking:
            lines.append(
                "  "
                + _(
                    "not in the workload's {version}, left out: {questions}: publish the lens "
                    "(Version, p), then upgrade the workload"
                ).format(version=version, questions=", ".join(lacking))
            )
        for qid, reason in result.rejected.items():
            lines.append(
                "  "
                + _("{question}: refused by the WA Tool: {reason}").format(
                    question=qid, reason=terminal_safe(reason)
                )
            )
        lines += [f"  {terminal_safe(c)}" for c in calls]
        self.post_message(self.Done(job, lines, None))

    # --- results ---

    def on_export_screen_progress(self, message: ExportScreen.Progress) -> None:
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=message.steps, progress=message.step)
        self.query_one("#export-status", Static).update(
            Content(f"{job_label(message.job)}: {terminal_safe(message.text)}")
        )

    def on_export_screen_done(self, message: ExportScreen.Done) -> None:
        self.running = None
        self.results.append((message.job, message.path))
        self._log(message.lines)
        self.query_one("#export-status", Static).update(Content(message.lines[0]))
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=1, progress=1)
        self.notify(message.lines[0], title=_("Done"), timeout=8)
        if message.job == "lens push":
            self._suggest_version()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A job that broke unexpectedly fails like any other (and frees the keys)."""
        if event.state is WorkerState.ERROR and event.worker.group == "export":
            error = event.worker.error
            text = error_text(error) if isinstance(error, OrrError) else repr(error)
            self.post_message(self.Failed(self.running or "export", text))

    def on_export_screen_failed(self, message: ExportScreen.Failed) -> None:
        self.running = None
        job = job_label(message.job)
        self._log(
            [
                _("{job} failed:").format(job=job),
                *("  " + line for line in message.message.splitlines()),
            ]
        )
        failed = _("{job} failed").format(job=job)
        self.query_one("#export-status", Static).update(Content.styled(failed, "$text-error"))
        # Back to empty: a failed job's bar must not look half done (or finished).
        self.query_one("#export-progress", ProgressBar).update(total=1, progress=0)
        self.notify(message.message, title=failed, severity="error", timeout=12)
