"""Operations on a review, shared by the CLI and the TUI.

Each operation validates its input against the checklist, raises InputError with a message a
user can act on (and changes nothing when it does), appends an audit entry, and returns warnings
(things allowed but worth saying, such as a due date in the past). None of them reads or writes
files except `load_review_checklist`; saving is `orr.review.store`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from orr.checklist.load import question_hash, select_tier
from orr.checklist.model import Checklist, ChecklistQuestion
from orr.checklist.rules import Risk, suggest
from orr.errors import InputError
from orr.i18n import _
from orr.review.checklists import BUNDLED as BUNDLED
from orr.review.checklists import load_review_checklist as load_review_checklist
from orr.review.checklists import manifest_ref as manifest_ref
from orr.review.checklists import resolve_manifest as resolve_manifest
from orr.review.gate import SIGNOFF_KINDS, evaluate_gate
from orr.review.kinds import Decision, Environment, MitigationStatus, NaReason, ReviewKind
from orr.review.model import (
    SCHEMA_VERSION,
    Answer,
    AuditEntry,
    ChecklistRef,
    Evidence,
    Mitigation,
    PracticeNa,
    Review,
    RiskAcceptance,
    SignOff,
    Stakeholder,
    Workload,
    now_utc,
)
from orr.review.state import answer_risk, answers_hash, due_after_launch, question_state
from orr.review.who import current_user
from orr.tomlfile import quoted
from orr.values import check_url, parse_date

# --- helpers -------------------------------------------------------------------------------------


def _first_error(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in err["loc"] if not isinstance(p, int))
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"{where}: {msg}" if where else msg


def audit(review: Review, who: str, now: datetime, action: str, detail: str) -> None:
    """Append one entry to the review's audit trail."""
    review.audit.append(AuditEntry(at=now, who=who, action=action, detail=detail))


def _enum(kind: type[Any], value: object, what: str) -> Any:
    if isinstance(value, kind):
        return value
    text = str(value).strip()
    for candidate in (text, text.lower().replace("-", "_"), text.upper().replace("-", "_")):
        try:
            return kind(candidate)
        except ValueError:
            continue
    allowed = ", ".join(str(v.value) for v in kind)
    raise InputError(
        _("{what} {value} is not allowed: use one of {allowed}").format(
            what=what, value=quoted(text), allowed=allowed
        )
    )


def parse_na_reason(value: str | NaReason) -> NaReason:
    """OUT_OF_SCOPE, BUSINESS_PRIORITIES, ARCHITECTURE_CONSTRAINTS or OTHER (any case, - or _)."""
    reason: NaReason = _enum(NaReason, value, _("not-applicable reason"))
    return reason


def parse_status(value: str | MitigationStatus) -> MitigationStatus:
    status: MitigationStatus = _enum(MitigationStatus, value, _("mitigation status"))
    return status


def parse_environment(value: str | Environment) -> Environment:
    env: Environment = _enum(Environment, value, _("environment"))
    return env


def parse_review_kind(value: str | ReviewKind) -> ReviewKind:
    """pre_launch, periodic, post_incident or change (any case, - or _)."""
    kind: ReviewKind = _enum(ReviewKind, value, _("review kind"))
    return kind


def _text(value: str | None, what: str) -> str:
    if value is None or not value.strip():
        raise InputError(_("{what} is empty: give some text").format(what=what))
    return value.strip()


def _question(review: Review, checklist: Checklist, qid: str) -> ChecklistQuestion:
    question = checklist.question(qid)
    if question is None:
        known = [q.id for q in checklist.questions]
        raise InputError(
            _("question {question} is not in the checklist{suggestion}").format(
                question=quoted(qid), suggestion=suggest(qid, known)
            )
        )
    tier = review.checklist.tier
    if tier is not None and tier not in question.spec.tiers:
        raise InputError(
            _("question {question} is not in tier {tier}, which this review covers").format(
                question=quoted(qid), tier=quoted(tier)
            )
        )
    return question


def _role(checklist: Checklist, role: str) -> str:
    roles = checklist.manifest.roles
    if role not in roles:
        raise InputError(
            _("role {role} is not a role of the checklist{suggestion} (roles: {roles})").format(
                role=quoted(role),
                suggestion=suggest(role, roles),
                roles=", ".join(roles) or _("none defined"),
            )
        )
    return role


def current_risk(review: Review, checklist: Checklist, qid: str) -> Risk | None:
    """The risk of a question's current answer (None when unanswered or not applicable)."""
    return answer_risk(review, checklist, qid)


def _past(value: date | None, today: date, what: str) -> list[str]:
    if value is not None and value < today:
        return [
            _("{what} {date} is in the past ({days} day(s) ago)").format(
                what=what, date=value.isoformat(), days=(today - value).days
            )
        ]
    return []


# --- new review ----------------------------------------------------------------------------------


def question_hashes(checklist: Checklist) -> dict[str, str]:
    return {q.id: question_hash(q) for q in checklist.questions}


def new_review(
    checklist: Checklist,
    *,
    workload: str,
    launch_date: date | str,
    manifest: str,
    tier: str | None = None,
    environment: str | Environment = Environment.PRODUCTION,
    owner: str = "",
    description: str = "",
    regions: Sequence[str] = (),
    stakeholders: Iterable[tuple[str, str]] = (),
    kind: str | ReviewKind = ReviewKind.PRE_LAUNCH,
    who: str,
    now: datetime | None = None,
    today: date | None = None,
) -> tuple[Review, list[str]]:
    """A new review of ``checklist`` (restricted to ``tier``); returns it and warnings."""
    now = now or now_utc()
    today = today or date.today()
    name = _text(workload, _("the workload name"))
    launch = parse_date(launch_date, _("launch date"))
    env = parse_environment(environment)
    in_scope = select_tier(checklist, tier)
    people: list[Stakeholder] = []
    for person, role in stakeholders:
        people.append(Stakeholder(name=_text(person, _("a stakeholder's name")), role=role))
        _role(checklist, role)
    warnings = _past(launch, today, _("the launch date"))
    if not in_scope.questions:
        raise InputError(_("tier {tier!r} has no questions: choose another tier").format(tier=tier))
    try:
        review = Review(
            schema_version=SCHEMA_VERSION,
            workload=Workload(
                name=name,
                description=description,
                environment=env,
                launch_date=launch,
                owner=owner.strip(),
                regions=list(regions),
            ),
            checklist=ChecklistRef(
                manifest=manifest,
                id=checklist.manifest.id,
                version=checklist.manifest.version,
                content_hash=checklist.content_hash,
                tier=tier,
                question_hashes=question_hashes(in_scope),
            ),
            stakeholders=people,
            kind=parse_review_kind(kind),
        )
    except ValidationError as exc:
        raise InputError(_first_error(exc)) from None
    audit(
        review,
        who,
        now,
        "new",
        f"review of {name} started from checklist {checklist.manifest.id} "
        f"{checklist.manifest.version}" + (f", tier {tier}" if tier else ""),
    )
    return review, warnings


def add_stakeholder(
    review: Review,
    checklist: Checklist,
    name: str,
    role: str,
    *,
    who: str,
    now: datetime | None = None,
) -> list[str]:
    """Add a person with a role of the checklist (one person may hold several roles)."""
    person = Stakeholder(name=_text(name, _("the stakeholder's name")), role=_role(checklist, role))
    if person in review.stakeholders:
        return [_("{name} ({role}) is already a stakeholder").format(name=person.name, role=role)]
    review.stakeholders.append(person)
    audit(review, who, now or now_utc(), "stakeholder", f"added {person.name} as {role}")
    return []


def remove_stakeholder(
    review: Review, name: str, role: str | None = None, *, who: str, now: datetime | None = None
) -> list[str]:
    """Remove a person (in one role, or in every role when ``role`` is None). Their answers,
    sign-offs and audit entries stay: they record what was done."""
    gone = [
        s
        for s in review.stakeholders
        if s.name == name.strip() and (role is None or s.role == role)
    ]
    if not gone:
        known = [f"{s.name} ({s.role})" for s in review.stakeholders]
        fields = {
            "name": quoted(name.strip()),
            "role": role,
            "suggestion": suggest(name, [s.name for s in review.stakeholders]),
            "stakeholders": ", ".join(known) or _("none"),
        }
        if role:
            message = _(
                "{name} ({role}) is not a stakeholder of the review{suggestion} "
                "(stakeholders: {stakeholders})"
            )
        else:
            message = _(
                "{name} is not a stakeholder of the review{suggestion} "
                "(stakeholders: {stakeholders})"
            )
        raise InputError(message.format(**fields))
    review.stakeholders = [s for s in review.stakeholders if s not in gone]
    audit(
        review,
        who,
        now or now_utc(),
        "stakeholder",
        "removed " + ", ".join(f"{s.name} ({s.role})" for s in gone),
    )
    return []


_WORKLOAD_FIELDS = ("name", "description", "environment", "launch_date", "owner", "regions")


def update_workload(
    review: Review,
    *,
    who: str,
    now: datetime | None = None,
    today: date | None = None,
    **changes: Any,
) -> list[str]:
    """Change workload fields (name, description, environment, launch_date, owner, regions)."""
    unknown = [k for k in changes if k not in _WORKLOAD_FIELDS]
    if unknown:
        raise InputError(
            _("cannot change {names} of the workload (fields: {fields})").format(
                names=", ".join(unknown), fields=", ".join(_WORKLOAD_FIELDS)
            )
        )
    if not changes:
        raise InputError(_("workload: nothing to change"))
    today = today or date.today()
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "launch_date":
            value = parse_date(value, _("launch date"))
        elif key == "environment":
            value = parse_environment(value)
        elif key == "name":
            value = _text(value, _("the workload name"))
        elif key == "regions":
            value = [r.strip() for r in value if r.strip()]
        elif isinstance(value, str):
            value = value.strip()
        clean[key] = value
    try:
        updated = Workload.model_validate({**review.workload.model_dump(), **clean})
    except ValidationError as exc:
        raise InputError(_("workload: {problem}").format(problem=_first_error(exc))) from None
    what = [
        f"{k} {_shown(getattr(review.workload, k))} -> {_shown(getattr(updated, k))}"
        for k in clean
        if getattr(review.workload, k) != getattr(updated, k)
    ]
    if not what:
        return [_("the workload is unchanged")]
    review.workload = updated
    audit(review, who, now or now_utc(), "workload", "; ".join(what))
    warnings = (
        _past(updated.launch_date, today, _("the launch date")) if "launch_date" in clean else []
    )
    if "launch_date" in clean:
        warnings += [
            _after_launch_warning(m, updated.launch_date)
            for m in review.mitigations
            if due_after_launch(m, updated.launch_date)
        ]
    return warnings


def _shown(value: object) -> str:
    # For the audit trail: saved in the review, so never translated.
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if value != "" else "none"


def _after_launch_warning(m: Mitigation, launch: date) -> str:
    assert m.due is not None
    return _(
        "{mitigation} is blocking but due {due}, after the launch date {launch}: the launch "
        "cannot go ahead before it is done (bring the due date forward, or accept the risk)"
    ).format(mitigation=m.id, due=m.due.isoformat(), launch=launch.isoformat())


def newly_stale(before_hash: str | None, review: Review, checklist: Checklist) -> list[str]:
    """The approvals a change just made stale (they covered the answers before it), as lines
    to tell the user at once. ``before_hash`` is ``approvals_hash`` before the change (None:
    there was no approval to make stale)."""
    if before_hash is None or answers_hash(review) == before_hash:
        return []
    roles = checklist.manifest.roles
    return [
        _(
            "{name}'s approval for {role} is now stale: the answers changed since; sign again"
        ).format(name=s.name, role=roles[s.role].name if s.role in roles else s.role)
        for s in review.signoffs
        if s.decision is Decision.APPROVE and s.answers_hash == before_hash
    ]


# --- answers -------------------------------------------------------------------------------------


def set_answer(
    review: Review,
    checklist: Checklist,
    qid: str,
    *,
    choices: Sequence[str] | None = None,
    none: bool = False,
    na_reason: str | NaReason | None = None,
    na_note: str | None = None,
    notes: str | None = None,
    evidence: Sequence[str | Evidence] = (),
    who: str,
    now: datetime | None = None,
) -> list[str]:
    """Record an answer.

    ``choices`` replaces the selection; ``none`` selects "None of these" (exclusive with other
    choices); ``na_reason`` marks the question not applicable (a not-applicable answer needs a
    reason); ``notes`` replaces the notes; ``evidence`` adds links. Giving choices or a reason
    also confirms an answer a rebase marked for re-confirmation.
    """
    now = now or now_utc()
    question = _question(review, checklist, qid)
    old = review.answers.get(qid)
    selected = list(dict.fromkeys(choices or []))
    none_id = question.none_choice_id
    known = [c.id for c in question.choices]
    for cid in selected:
        if cid not in known:
            raise InputError(
                _(
                    "{choice} is not a choice of question {question}{suggestion} "
                    "(choices: {choices})"
                ).format(
                    choice=quoted(cid),
                    question=qid,
                    suggestion=suggest(cid, known),
                    choices=", ".join(known),
                )
            )
    if none:
        if none_id is None:
            raise InputError(
                _('question {question} has no "None of these" choice').format(question=qid)
            )
        selected = [*selected, none_id] if none_id not in selected else selected
    if none_id is not None and none_id in selected and len(selected) > 1:
        others = ", ".join(c for c in selected if c != none_id)
        raise InputError(
            _(
                '"None of these" ({choice}) cannot be selected together with {others}: '
                "it stands alone"
            ).format(choice=none_id, others=others)
        )
    reason = parse_na_reason(na_reason) if na_reason is not None else None
    if reason is not None:
        _check_na_note(
            reason, na_note if na_note is not None else (old.na_note if old else ""), qid
        )
    if reason is not None and selected:
        raise InputError(
            _(
                "question {question}: choose practices or mark it not applicable (--na), not both"
            ).format(question=qid)
        )
    sets_selection = bool(selected) or reason is not None
    if not sets_selection and na_note is not None and (old is None or old.applicable):
        raise InputError(
            _(
                "question {question}: a not-applicable answer needs a reason: give --na with "
                "one of {reasons}"
            ).format(question=qid, reasons=", ".join(r.value for r in NaReason))
        )
    links: list[Evidence] = []
    for item in evidence:
        if isinstance(item, Evidence):
            links.append(item)
        else:
            links.append(Evidence(url=check_url(item, _("evidence")), verified_on=now.date()))
    if not sets_selection and notes is None and not links and na_note is None:
        raise InputError(
            _(
                "question {question}: nothing to record: give choices, None of these, a "
                "not-applicable reason, notes or evidence"
            ).format(question=qid)
        )

    base = old or Answer(answered_by=who, answered_at=now)
    answer = base.model_copy(deep=True)
    if sets_selection:
        answer.choices = [c for c in known if c in selected]  # checklist order
        answer.applicable = reason is None
        answer.na_reason = reason
        if reason is None:
            answer.na_note = ""
            # A practice selected now is in place: it is no longer "not applicable".
            for cid in answer.choices:
                answer.na_choices.pop(cid, None)
        else:
            answer.na_choices = {}
        answer.reconfirm = False
    if na_note is not None:
        answer.na_note = na_note.strip()
    if notes is not None:
        answer.notes = notes
    have = {e.url for e in answer.evidence}
    for link in links:
        if link.url not in have:
            answer.evidence.append(link)
            have.add(link.url)
    answer.answered_by = who
    answer.answered_at = now
    if old is not None and answer == old.model_copy(
        update={"answered_by": who, "answered_at": now}
    ):
        return [_("question {question}: the answer is unchanged").format(question=qid)]

    before = current_risk(review, checklist, qid)
    review.answers[qid] = answer
    after = current_risk(review, checklist, qid)
    warnings: list[str] = []
    # The audit detail is saved in the review: never translated.
    if not answer.applicable:
        detail = f"{qid}: not applicable ({answer.na_reason})"
    elif answer.choices:
        detail = f"{qid}: {', '.join(answer.choices)}"
    else:
        detail = f"{qid}: notes or evidence"
    detail += _risk_note(before, after)
    if after is Risk.HIGH_RISK and not any(m.question == qid for m in review.mitigations):
        warnings.append(
            _(
                "question {question} is a HIGH risk finding: add a mitigation or record a risk "
                "acceptance before launch"
            ).format(question=qid)
        )
    audit(review, who, now, "answer", detail)
    return warnings


def _check_na_note(reason: NaReason, note: str, where: str) -> None:
    # "Other" says nothing by itself: the one rule for every front end is that it needs a note.
    if reason is NaReason.OTHER and not note.strip():
        raise InputError(
            _("{where}: not applicable for another reason (OTHER) needs a note saying why").format(
                where=where
            )
        )


def set_practice_na(
    review: Review,
    checklist: Checklist,
    qid: str,
    choice_id: str,
    reason: str | NaReason | None,
    note: str = "",
    *,
    who: str,
    now: datetime | None = None,
) -> list[str]:
    """Mark one practice of a question not applicable (it then counts as in place for the risk
    rules and the gate), or with ``reason`` None make it applicable again. A practice that is
    selected is unselected; a practice the checklist marks ``waivable = false`` is refused."""
    now = now or now_utc()
    question = _question(review, checklist, qid)
    choice = question.choice(choice_id)
    practices = question.practice_ids
    if choice is None or choice_id not in practices:
        raise InputError(
            _(
                "{choice} is not a practice of question {question}{suggestion} "
                "(practices: {practices})"
            ).format(
                choice=quoted(choice_id),
                question=qid,
                suggestion=suggest(choice_id, practices),
                practices=", ".join(practices),
            )
        )
    old = review.answers.get(qid)
    if reason is None:
        if old is None or choice_id not in old.na_choices:
            return [
                _("question {question}: practice {choice} is not marked not applicable").format(
                    question=qid, choice=choice_id
                )
            ]
        answer = old.model_copy(deep=True)
        del answer.na_choices[choice_id]
        answer.answered_by, answer.answered_at = who, now
        before = current_risk(review, checklist, qid)
        review.answers[qid] = answer
        after = current_risk(review, checklist, qid)
        audit(
            review,
            who,
            now,
            "answer",
            f"{qid}: {choice_id} applies again{_risk_note(before, after)}",
        )
        return []
    why = parse_na_reason(reason)
    if not choice.waivable:
        raise InputError(
            _(
                "question {question}: practice {choice} may not be marked not applicable: the "
                "checklist requires it of every workload"
            ).format(question=qid, choice=quoted(choice_id))
        )
    _check_na_note(
        why,
        note,
        _("question {question}, practice {choice}").format(question=qid, choice=choice_id),
    )
    if old is not None and not old.applicable:
        raise InputError(
            _(
                "question {question} is not applicable as a whole: answer it first, then mark "
                "a practice"
            ).format(question=qid)
        )
    entry = PracticeNa(reason=why, note=note.strip())
    if old is not None and old.na_choices.get(choice_id) == entry:
        return [
            _("question {question}: practice {choice} is already not applicable ({reason})").format(
                question=qid, choice=choice_id, reason=why
            )
        ]
    answer = (old or Answer(answered_by=who, answered_at=now)).model_copy(deep=True)
    answer.choices = [c for c in answer.choices if c != choice_id]
    answer.na_choices[choice_id] = entry
    answer.answered_by, answer.answered_at = who, now
    before = current_risk(review, checklist, qid)
    review.answers[qid] = answer
    after = current_risk(review, checklist, qid)
    audit(
        review,
        who,
        now,
        "answer",
        f"{qid}: {choice_id} not applicable ({why}){_risk_note(before, after)}",
    )
    return []


def _risk_note(before: Risk | None, after: Risk | None) -> str:
    # Part of an audit detail (saved in the review): never translated.
    if before != after:
        return f" (risk {before or 'none'} -> {after or 'none'})"
    return f" (risk {after})" if after is not None else ""


def verify_evidence(
    review: Review,
    checklist: Checklist,
    qid: str,
    urls: Sequence[str] = (),
    *,
    on: date,
    who: str,
    now: datetime | None = None,
) -> list[str]:
    """Record that the evidence links of a question (all of them, or those given) were checked
    on ``on`` and still show the practice."""
    _question(review, checklist, qid)
    answer = review.answers.get(qid)
    links = [e.url for e in answer.evidence] if answer else []
    if answer is None or not links:
        raise InputError(
            _("question {question} has no evidence link to verify: add one first").format(
                question=qid
            )
        )
    wanted = [u.strip() for u in urls] or links
    unknown = [u for u in wanted if u not in links]
    if unknown:
        raise InputError(
            _("question {question}: no evidence link {url!r} (links: {links})").format(
                question=qid, url=unknown[0][:80], links=", ".join(links)
            )
        )
    now = now or now_utc()
    updated = answer.model_copy(deep=True)
    for e in updated.evidence:
        if e.url in wanted:
            e.verified_on = on
    review.answers[qid] = updated
    audit(
        review,
        who,
        now,
        "evidence",
        f"{qid}: verified on {on.isoformat()}: {', '.join(wanted)}",
    )
    return []


def remove_evidence(
    review: Review,
    checklist: Checklist,
    qid: str,
    url: str,
    *,
    who: str,
    now: datetime | None = None,
) -> list[str]:
    """Remove an evidence link from a question's answer."""
    _question(review, checklist, qid)
    answer = review.answers.get(qid)
    links = [e.url for e in answer.evidence] if answer else []
    if answer is None or url.strip() not in links:
        raise InputError(
            _("question {question}: no evidence link {url!r} (links: {links})").format(
                question=qid, url=url.strip()[:80], links=", ".join(links) or _("none")
            )
        )
    now = now or now_utc()
    updated = answer.model_copy(deep=True)
    updated.evidence = [e for e in updated.evidence if e.url != url.strip()]
    review.answers[qid] = updated
    audit(review, who, now, "answer", f"{qid}: evidence removed {url.strip()}")
    return []


def clear_choices(
    review: Review, checklist: Checklist, qid: str, *, who: str, now: datetime | None = None
) -> list[str]:
    """Take back a question's answer (it becomes unanswered) but keep what was written about it:
    notes, evidence links and practices marked not applicable stay; an answer with none of them
    is removed."""
    _question(review, checklist, qid)
    old = review.answers.get(qid)
    if old is None or (old.applicable and not old.choices):
        return [_("question {question} has no answer to take back").format(question=qid)]
    now = now or now_utc()
    before = current_risk(review, checklist, qid)
    kept = old.model_copy(
        update={
            "choices": [],
            "applicable": True,
            "na_reason": None,
            "na_note": "",
            "reconfirm": False,
            "answered_by": who,
            "answered_at": now,
        },
        deep=True,
    )
    if kept.notes or kept.evidence or kept.na_choices:
        review.answers[qid] = kept
    else:
        del review.answers[qid]
    audit(review, who, now, "answer", f"{qid}: answer taken back{_risk_note(before, None)}")
    return []


def confirm_answer(
    review: Review, checklist: Checklist, qid: str, *, who: str, now: datetime | None = None
) -> list[str]:
    """Confirm an answer a rebase marked for re-confirmation, as it stands."""
    question = _question(review, checklist, qid)
    answer = review.answers.get(qid)
    state = question_state(question, answer)
    if answer is None or not state.answered:
        raise InputError(
            _("question {question} is not answered yet: nothing to confirm").format(question=qid)
        )
    if state.unknown:
        raise InputError(
            _(
                "question {question}: the answer names {choices}, which the question does not "
                "have: answer it again"
            ).format(question=qid, choices=", ".join(state.unknown))
        )
    if state.na_without_reason:
        raise InputError(
            _("question {question}: give the reason it does not apply first").format(question=qid)
        )
    if not answer.reconfirm:
        return [_("question {question}: the answer needs no confirmation").format(question=qid)]
    now = now or now_utc()
    review.answers[qid] = answer.model_copy(
        update={"reconfirm": False, "answered_by": who, "answered_at": now}
    )
    audit(
        review, who, now, "answer", f"{qid}: answer confirmed{_risk_note(state.risk, state.risk)}"
    )
    return []


def clear_answer(review: Review, qid: str, *, who: str, now: datetime | None = None) -> list[str]:
    """Remove a question's answer (it becomes unanswered again)."""
    if qid not in review.answers:
        return [_("question {question} has no answer to clear").format(question=qid)]
    del review.answers[qid]
    audit(review, who, now or now_utc(), "answer", f"{qid}: answer cleared")
    return []


# --- mitigations ---------------------------------------------------------------------------------


def add_mitigation(
    review: Review,
    checklist: Checklist,
    qid: str,
    *,
    title: str,
    owner: str,
    due: date | str | None,
    status: str | MitigationStatus = MitigationStatus.OPEN,
    blocking: bool | None = None,
    ticket: str | None = None,
    notes: str = "",
    who: str,
    now: datetime | None = None,
    today: date | None = None,
) -> tuple[Mitigation, list[str]]:
    """Add a mitigation to a question's finding. ``blocking`` defaults to True for a HIGH
    finding and False otherwise."""
    now = now or now_utc()
    today = today or date.today()
    _question(review, checklist, qid)
    due_date = parse_date(due, _("due date")) if due is not None else None
    risk = current_risk(review, checklist, qid)
    warnings = _past(due_date, today, _("due date"))
    if risk is None:
        warnings.append(
            _("question {question} is not a finding yet (unanswered or not applicable)").format(
                question=qid
            )
        )
    elif risk is Risk.NO_RISK:
        warnings.append(
            _("question {question} is not a finding yet (answered with no risk)").format(
                question=qid
            )
        )
    mitigation = Mitigation(
        id=review.next_mitigation_id(),
        question=qid,
        title=_text(title, _("the mitigation title")),
        owner=_text(owner, _("the mitigation owner")),
        due=due_date,
        status=parse_status(status),
        blocking=(risk is Risk.HIGH_RISK) if blocking is None else blocking,
        ticket=check_url(ticket, _("ticket")) if ticket else None,
        notes=notes,
        updated_at=now,
        updated_by=who,
    )
    if due_after_launch(mitigation, review.workload.launch_date):
        warnings.append(_after_launch_warning(mitigation, review.workload.launch_date))
    review.mitigations.append(mitigation)
    audit(
        review,
        who,
        now,
        "mitigate",
        f"{mitigation.id} on {qid}: {mitigation.title} (owner {mitigation.owner}, "
        f"due {due_date.isoformat() if due_date else 'none'}, {mitigation.status}"
        f"{', blocking' if mitigation.blocking else ''})",
    )
    return mitigation, warnings


_MITIGATION_FIELDS = ("title", "owner", "due", "status", "blocking", "ticket", "notes")


def update_mitigation(
    review: Review,
    mid: str,
    *,
    who: str,
    now: datetime | None = None,
    today: date | None = None,
    **changes: Any,
) -> list[str]:
    """Change a mitigation's fields: title, owner, due, status, blocking, ticket, notes."""
    now = now or now_utc()
    today = today or date.today()
    current = _mitigation(review, mid)
    unknown = [k for k in changes if k not in _MITIGATION_FIELDS]
    if unknown:
        raise InputError(
            _("cannot change {names} of a mitigation (fields: {fields})").format(
                names=", ".join(unknown), fields=", ".join(_MITIGATION_FIELDS)
            )
        )
    if not changes:
        raise InputError(_("mitigation {mitigation}: nothing to change").format(mitigation=mid))
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "status":
            value = parse_status(value)
        elif key == "due":
            value = parse_date(value, _("due date")) if value is not None else None
        elif key == "ticket":
            value = check_url(value, _("ticket")) if value else None
        elif key == "title":
            value = _text(value, _("the mitigation title"))
        elif key == "owner":
            value = _text(value, _("the mitigation owner"))
        clean[key] = value
    try:
        updated = Mitigation.model_validate(
            {**current.model_dump(), **clean, "updated_at": now, "updated_by": who}
        )
    except ValidationError as exc:
        raise InputError(
            _("mitigation {mitigation}: {problem}").format(
                mitigation=mid, problem=_first_error(exc)
            )
        ) from None
    what = [
        f"{k} {getattr(current, k)!s} -> {getattr(updated, k)!s}"
        for k in clean
        if getattr(current, k) != getattr(updated, k)
    ]
    if not what:
        return [_("mitigation {mitigation} is unchanged").format(mitigation=mid)]
    review.mitigations[review.mitigations.index(current)] = updated
    warnings = _past(updated.due, today, _("due date")) if "due" in clean else []
    if due_after_launch(updated, review.workload.launch_date) and not due_after_launch(
        current, review.workload.launch_date
    ):
        warnings.append(_after_launch_warning(updated, review.workload.launch_date))
    audit(review, who, now, "mitigation", f"{mid}: " + "; ".join(what))
    return warnings


def withdraw_mitigation(
    review: Review, mid: str, *, reason: str = "", who: str, now: datetime | None = None
) -> list[str]:
    """Withdraw a mitigation (recorded on the wrong finding, or no longer wanted): it stays in
    the file with its history, marked ``withdrawn``, and no longer counts for the gate."""
    current = _mitigation(review, mid)
    if current.status is MitigationStatus.WITHDRAWN:
        return [_("mitigation {mitigation} is already withdrawn").format(mitigation=mid)]
    now = now or now_utc()
    review.mitigations[review.mitigations.index(current)] = current.model_copy(
        update={"status": MitigationStatus.WITHDRAWN, "updated_at": now, "updated_by": who}
    )
    detail = f"{mid} on {current.question} withdrawn (was {current.status})"
    if reason.strip():
        detail += f": {reason.strip()}"
    audit(review, who, now, "mitigation", detail)
    return []


def _mitigation(review: Review, mid: str) -> Mitigation:
    current = review.mitigation(mid)
    if current is None:
        known = [m.id for m in review.mitigations]
        raise InputError(
            _(
                "mitigation {mitigation} is not in the review{suggestion} "
                "(mitigations: {mitigations})"
            ).format(
                mitigation=quoted(mid),
                suggestion=suggest(mid, known),
                mitigations=", ".join(known) or _("none"),
            )
        )
    return current


# --- risk acceptances ----------------------------------------------------------------------------


def add_acceptance(
    review: Review,
    checklist: Checklist,
    qid: str,
    *,
    approver: str,
    role: str,
    rationale: str,
    expires: date | str,
    controls: str = "",
    who: str,
    now: datetime | None = None,
    today: date | None = None,
) -> tuple[RiskAcceptance, list[str]]:
    """Record that ``approver`` accepts the risk of a question's finding until ``expires``."""
    now = now or now_utc()
    today = today or date.today()
    _question(review, checklist, qid)
    until = parse_date(expires, _("expiry date"))
    if until <= today:
        raise InputError(
            _(
                "expiry date {expires} is not after today ({today}): an acceptance that has "
                "already expired counts as absent"
            ).format(expires=until.isoformat(), today=today.isoformat())
        )
    acceptance = RiskAcceptance(
        id=review.next_acceptance_id(),
        question=qid,
        approver=_text(approver, _("the approver")),
        role=_role(checklist, role),
        rationale=_text(rationale, _("the rationale")),
        compensating_controls=controls.strip(),
        expires=until,
        created_at=now,
        created_by=who,
    )
    warnings: list[str] = []
    risk = current_risk(review, checklist, qid)
    if risk is None or risk is Risk.NO_RISK:
        warnings.append(
            _("question {question} is not a finding yet: the acceptance has no effect now").format(
                question=qid
            )
        )
    if until < review.workload.launch_date:
        warnings.append(
            _("the acceptance expires on {expires}, before the launch date {launch}").format(
                expires=until.isoformat(), launch=review.workload.launch_date.isoformat()
            )
        )
    review.acceptances.append(acceptance)
    audit(
        review,
        who,
        now,
        "accept",
        f"{acceptance.id} on {qid}: accepted by {acceptance.approver} ({role}) until "
        f"{until.isoformat()}",
    )
    return acceptance, warnings


# --- sign-offs -----------------------------------------------------------------------------------


def sign_off(
    review: Review,
    checklist: Checklist,
    role: str,
    name: str,
    decision: str | Decision,
    *,
    who: str,
    now: datetime | None = None,
    today: date | None = None,
) -> list[str]:
    """Record a role's sign-off (replacing its earlier one), covering the current answers.

    ``name`` decides for the role: when the review lists stakeholders with that role, it must be
    one of them. When someone else enters it (``who`` is not ``name``), the sign-off records
    that it was entered on the signer's behalf, and by whom."""
    now = now or now_utc()
    _role(checklist, role)
    choice: Decision = _enum(Decision, decision, _("decision"))
    signer = _text(name, _("the name of who signs"))
    holders = review.stakeholders_with(role)
    if holders and signer not in holders:
        role_name = checklist.manifest.roles[role].name
        raise InputError(
            _(
                "{signer} is not the review's {role_name} ({holders}): the sign-off for {role} "
                "is theirs to give (or add {signer} as a stakeholder with role {role})"
            ).format(signer=signer, role_name=role_name, holders=", ".join(holders), role=role)
        )
    signoff = SignOff(
        role=role,
        name=signer,
        decision=choice,
        at=now,
        answers_hash=answers_hash(review),
        recorded_by=who if who.strip() and who.strip() != signer else "",
    )
    warnings: list[str] = []
    if role not in checklist.manifest.required_signoffs:
        warnings.append(
            _("role {role} is not a required sign-off: recorded anyway").format(role=quoted(role))
        )
    if not holders:
        warnings.append(
            _(
                "the review lists no stakeholder with role {role}: add {signer} as one so that "
                "the review says who holds it"
            ).format(role=role, signer=signer)
        )
    if choice is Decision.APPROVE and today is not None:
        gate = evaluate_gate(review, checklist, today)
        others = [b for b in gate.blockers if b.kind not in SIGNOFF_KINDS]
        if others:
            warnings.append(_("approved while {count} blocker(s) remain").format(count=len(others)))
    review.signoffs = [s for s in review.signoffs if s.role != role] + [signoff]
    behalf = f" (entered by {signoff.recorded_by} on their behalf)" if signoff.recorded_by else ""
    audit(review, who, now, "signoff", f"{role}: {choice} by {signoff.name}{behalf}")
    return warnings


# --- rebase --------------------------------------------------------------------------------------


@dataclass
class RebaseResult:
    """What a rebase did, question by question."""

    kept: list[str] = field(default_factory=list)
    reconfirm: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    dropped_choices: dict[str, list[str]] = field(default_factory=dict)
    old_version: str = ""
    new_version: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.reconfirm or self.archived or self.restored or self.new)


def rebase(
    review: Review,
    checklist: Checklist,
    *,
    manifest: str | None = None,
    who: str = "",
    now: datetime | None = None,
) -> RebaseResult:
    """Carry a review over to a changed checklist.

    Answers of unchanged questions are kept; answers of changed questions are kept but marked
    for re-confirmation (choices the question no longer has are dropped and named in the audit
    trail); answers of removed questions move to ``archived``; an archived answer whose question
    comes back is restored, marked for re-confirmation; new questions start unanswered.
    """
    now = now or now_utc()
    who = who or current_user()
    tier = review.checklist.tier
    if tier is not None and tier not in checklist.manifest.tiers:
        raise InputError(
            _(
                "the checklist no longer has tier {tier} which this review covers (tiers: {tiers})"
            ).format(tier=quoted(tier), tiers=", ".join(checklist.manifest.tiers) or _("none"))
        )
    in_scope = select_tier(checklist, tier)
    old_hashes = review.checklist.question_hashes
    new_hashes = question_hashes(in_scope)
    result = RebaseResult(
        old_version=review.checklist.version, new_version=checklist.manifest.version
    )
    answers: dict[str, Answer] = {}
    for qid, answer in review.answers.items():
        question = in_scope.question(qid)
        if question is None:
            review.archived[qid] = answer
            result.archived.append(qid)
            continue
        if old_hashes.get(qid) == new_hashes[qid]:
            answers[qid] = answer
            result.kept.append(qid)
            continue
        answers[qid] = _carry(answer, question, result)
        result.reconfirm.append(qid)
    for question in in_scope.questions:
        qid = question.id
        if qid in answers:
            continue
        if qid in review.archived:
            answers[qid] = _carry(review.archived.pop(qid), question, result)
            result.restored.append(qid)
        elif qid not in old_hashes:
            result.new.append(qid)
    review.answers = answers
    review.checklist = ChecklistRef(
        manifest=manifest or review.checklist.manifest,
        id=checklist.manifest.id,
        version=checklist.manifest.version,
        content_hash=checklist.content_hash,
        tier=tier,
        question_hashes=new_hashes,
    )
    # The audit detail is saved in the review: never translated.
    parts = [f"checklist {result.old_version or '?'} -> {result.new_version or '?'}"]
    for label, ids in (
        ("re-confirm", result.reconfirm),
        ("archived", result.archived),
        ("restored", result.restored),
        ("new", result.new),
    ):
        if ids:
            parts.append(f"{label}: {', '.join(ids)}")
    for qid, dropped in result.dropped_choices.items():
        parts.append(f"{qid} lost choices {', '.join(dropped)}")
    audit(review, who, now, "rebase", "; ".join(parts))
    return result


def _carry(answer: Answer, question: ChecklistQuestion, result: RebaseResult) -> Answer:
    known = {c.id for c in question.choices}
    dropped = [c for c in answer.choices if c not in known]
    if dropped:
        result.dropped_choices[question.id] = dropped
    return answer.model_copy(
        update={"choices": [c for c in answer.choices if c in known], "reconfirm": True}
    )
