"""A patient's prescription as plain data: programme items, today's plan, session logs.

The programme and session services store what this module validates and computes, so the
rules read in one place and are tested without a database:

- :func:`parse_items` checks programme items a clinician writes (exercise in the library,
  dosage within the library's ranges, weeks within the programme);
- :func:`items_from_template` copies a template's items with every dosage resolved;
- :func:`programme_week` and :func:`items_for_week` give today's plan;
- :func:`session_status` turns per-exercise results into the session status that
  adherence counts (:mod:`spinewise.rehab.adherence`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from spinewise.core.errors import InvalidInput
from spinewise.rehab.library import ExerciseLibrary, default_library
from spinewise.rehab.programmes import ProgrammeTemplate

ExerciseStatus = Literal["done", "partial", "skipped"]
EXERCISE_STATUSES: tuple[ExerciseStatus, ...] = ("done", "partial", "skipped")
#: How hard an exercise felt, in the patient's words (drives the progression rule).
DIFFICULTIES: tuple[str, ...] = ("too_easy", "just_right", "too_hard")
DIFFICULTY_LABELS: dict[str, str] = {
    "too_easy": "Too easy",
    "just_right": "About right",
    "too_hard": "Too hard",
}
MAX_ITEMS = 30
MAX_NOTE_CHARS = 500


@dataclass(frozen=True)
class PrescribedItem:
    """One exercise of a patient's programme with its full dosage.

    ``from_week``/``until_week`` are programme weeks (1-based, inclusive) in which the
    exercise is part of the plan; ``None`` dosage fields mean "not used" (a walk has
    minutes, not reps).
    """

    exercise_id: str
    sets: int | None
    reps: int | None
    hold_s: int | None
    duration_min: int | None
    rest_s: int
    per_side: bool
    from_week: int
    until_week: int
    notes: str = ""

    def active_in(self, week: int) -> bool:
        return self.from_week <= week <= self.until_week

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def dose_text(self) -> str:
        """ "3 × 10 reps each side, hold 5 s", "20 min" — what the patient reads."""
        parts = []
        if self.reps is not None:
            reps = f"{self.reps} reps" + (" each side" if self.per_side else "")
            parts.append(f"{self.sets} × {reps}" if self.sets else reps)
        elif self.hold_s is not None and self.sets:
            parts.append(f"{self.sets} ×" + (" each side" if self.per_side else ""))
        if self.hold_s is not None:
            parts.append(f"hold {self.hold_s} s")
        if self.duration_min is not None:
            parts.append(f"{self.duration_min} min")
        return ", ".join(parts)


def _int(value: Any, where: str, low: int, high: int, *, optional: bool = True) -> int | None:
    if value is None or value == "":
        if optional:
            return None
        raise InvalidInput(where, "is required")
    if isinstance(value, bool):
        raise InvalidInput(where, f"must be a whole number {low}–{high}")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(where, f"must be a whole number {low}–{high}") from None
    if number != value and not isinstance(value, str):
        raise InvalidInput(where, f"must be a whole number {low}–{high}")
    if not low <= number <= high:
        raise InvalidInput(where, f"must be {low}–{high}")
    return number


def parse_item(
    raw: Mapping[str, Any],
    *,
    duration_weeks: int,
    library: ExerciseLibrary | None = None,
    where: str = "item",
) -> PrescribedItem:
    """Validate one item; missing dosage fields take the exercise's default dosage.

    Ranges are the exercise library's (sets 1–10, reps 1–100, hold 1–600 s, duration
    1–120 min, rest 0–600 s); at least one of reps, hold or duration must remain.
    """
    if not isinstance(raw, Mapping):
        raise InvalidInput(where, "must be an object")
    lib = library or default_library()
    exercise_id = raw.get("exercise_id")
    if not isinstance(exercise_id, str) or exercise_id not in lib:
        raise InvalidInput(f"{where}.exercise_id", f"no exercise {exercise_id!r} in the library")
    default = lib.get(exercise_id).dosage

    def pick(key: str, low: int, high: int) -> int | None:
        if key in raw:
            return _int(raw[key], f"{where}.{key}", low, high)
        value: int | None = getattr(default, key)
        return value

    sets = pick("sets", 1, 10)
    reps = pick("reps", 1, 100)
    hold_s = pick("hold_s", 1, 600)
    duration_min = pick("duration_min", 1, 120)
    if reps is None and hold_s is None and duration_min is None:
        raise InvalidInput(where, "give reps, a hold time or a duration")
    rest_s = _int(raw.get("rest_s", default.rest_s), f"{where}.rest_s", 0, 600, optional=False)
    per_side = raw.get("per_side", default.per_side)
    if not isinstance(per_side, bool):
        raise InvalidInput(f"{where}.per_side", "must be true or false")
    first = _int(raw.get("from_week", 1), f"{where}.from_week", 1, duration_weeks, optional=False)
    last = _int(
        raw.get("until_week", duration_weeks),
        f"{where}.until_week",
        1,
        duration_weeks,
        optional=False,
    )
    assert first is not None and last is not None and rest_s is not None
    if first > last:
        raise InvalidInput(where, "from_week is after until_week")
    notes = raw.get("notes") or ""
    if not isinstance(notes, str) or len(notes) > MAX_NOTE_CHARS:
        raise InvalidInput(f"{where}.notes", f"text of at most {MAX_NOTE_CHARS} characters")
    return PrescribedItem(
        exercise_id=exercise_id,
        sets=sets,
        reps=reps,
        hold_s=hold_s,
        duration_min=duration_min,
        rest_s=rest_s,
        per_side=per_side,
        from_week=first,
        until_week=last,
        notes=notes.strip(),
    )


def parse_items(
    raw: Sequence[Mapping[str, Any]],
    *,
    duration_weeks: int,
    library: ExerciseLibrary | None = None,
) -> list[PrescribedItem]:
    """Validate a programme's items (1–30, every programme week with an exercise)."""
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence) or not raw:
        raise InvalidInput("items", "a programme needs at least one exercise")
    if len(raw) > MAX_ITEMS:
        raise InvalidInput("items", f"at most {MAX_ITEMS} exercises")
    items = [
        parse_item(r, duration_weeks=duration_weeks, library=library, where=f"items[{n}]")
        for n, r in enumerate(raw)
    ]
    for week in range(1, duration_weeks + 1):
        if not any(item.active_in(week) for item in items):
            raise InvalidInput("items", f"week {week} has no exercise")
    return items


def items_from_template(
    template: ProgrammeTemplate, library: ExerciseLibrary | None = None
) -> list[PrescribedItem]:
    """The template's items with dosages resolved (template value, else exercise default)."""
    out = []
    for item in template.items:
        dosage = template.dosage(item, library)
        out.append(
            PrescribedItem(
                exercise_id=item.exercise_id,
                sets=dosage.sets,
                reps=dosage.reps,
                hold_s=dosage.hold_s,
                duration_min=dosage.duration_min,
                rest_s=dosage.rest_s,
                per_side=dosage.per_side,
                from_week=item.from_week,
                until_week=item.until_week,
                notes=item.notes,
            )
        )
    return out


def programme_week(start: dt.date, today: dt.date) -> int:
    """Programme week of ``today`` (1 for the first seven days from ``start``); 0 before."""
    if today < start:
        return 0
    return (today - start).days // 7 + 1


def items_for_week(items: Sequence[PrescribedItem], week: int) -> list[PrescribedItem]:
    return [item for item in items if item.active_in(week)]


@dataclass(frozen=True)
class ExerciseResult:
    """How one exercise of a session went, as the patient logged it."""

    exercise_id: str
    status: ExerciseStatus
    sets_done: int | None = None
    pain_during: int | None = None  # NPRS 0–10 during the exercise
    difficulty: str | None = None  # one of DIFFICULTIES

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], where: str = "exercise") -> ExerciseResult:
        if not isinstance(raw, Mapping):
            raise InvalidInput(where, "must be an object")
        status = raw.get("status")
        if status not in EXERCISE_STATUSES:
            raise InvalidInput(f"{where}.status", f"must be one of {', '.join(EXERCISE_STATUSES)}")
        difficulty = raw.get("difficulty") or None
        if difficulty is not None and difficulty not in DIFFICULTIES:
            raise InvalidInput(f"{where}.difficulty", f"must be one of {', '.join(DIFFICULTIES)}")
        exercise_id = raw.get("exercise_id")
        if not isinstance(exercise_id, str) or not exercise_id:
            raise InvalidInput(f"{where}.exercise_id", "is required")
        return cls(
            exercise_id=exercise_id,
            status=status,
            sets_done=_int(raw.get("sets_done"), f"{where}.sets_done", 0, 10),
            pain_during=_int(raw.get("pain_during"), f"{where}.pain_during", 0, 10),
            difficulty=difficulty,
        )


def session_status(results: Sequence[ExerciseResult]) -> Literal["completed", "partial", "skipped"]:
    """A session is completed when every exercise was done, skipped when none was even
    partly done, otherwise partial (adherence credits 1, 0 and 0.5)."""
    if not results:
        raise InvalidInput("exercises", "log at least one exercise")
    if all(r.status == "done" for r in results):
        return "completed"
    if all(r.status == "skipped" for r in results):
        return "skipped"
    return "partial"
