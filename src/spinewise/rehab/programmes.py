"""Programme templates: evidence-based starting points a clinician adapts and assigns.

A template is data (``spinewise/rehab/data/programmes/<id>.json``, format
``spinewise.programme/1``, documented in ``docs/rehab.md``): who it is for, its sources,
education points, restrictions, milestones, the signs that need a clinician, a
progression rule and a list of exercises from the library with their dosage and the
weeks in which they apply. Templates never replace clinical judgement: a clinician
copies one into a patient's programme and edits it.

Validation at load: every exercise exists in the library, weeks fall within the
programme, dosages are sane, and at least one source is cited.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from spinewise.core.errors import InvalidInput
from spinewise.rehab.library import Dosage, ExerciseLibrary, default_library

FORMAT = "spinewise.programme/1"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TEMPLATE_KEYS = {
    "format",
    "id",
    "name",
    "indication",
    "summary",
    "duration_weeks",
    "week_offset",
    "sessions_per_week",
    "sources",
    "education",
    "restrictions",
    "milestones",
    "referral_triggers",
    "progression_rule",
    "items",
}
_ITEM_KEYS = {
    "exercise_id",
    "sets",
    "reps",
    "hold_s",
    "duration_min",
    "from_week",
    "until_week",
    "notes",
}


@dataclass(frozen=True)
class Source:
    citation: str
    url: str | None


@dataclass(frozen=True)
class Milestone:
    week: int  # programme week (1-based) by which the milestone is typically reached
    description: str


@dataclass(frozen=True)
class ProgrammeItem:
    """One exercise of a template; ``None`` dosage fields take the exercise default."""

    exercise_id: str
    sets: int | None
    reps: int | None
    hold_s: int | None
    duration_min: int | None
    from_week: int
    until_week: int
    notes: str

    def active_in(self, week: int) -> bool:
        return self.from_week <= week <= self.until_week


@dataclass(frozen=True)
class ProgrammeTemplate:
    """A validated template. ``week_offset`` maps programme week 1 to a clinical week
    (post-microdiscectomy weeks 6–12 has offset 6: its week 1 is week 7 after surgery)."""

    id: str
    name: str
    indication: str
    summary: str
    duration_weeks: int
    week_offset: int
    sessions_per_week: int
    sources: tuple[Source, ...]
    education: tuple[str, ...]
    restrictions: tuple[str, ...]
    milestones: tuple[Milestone, ...]
    referral_triggers: tuple[str, ...]
    progression_rule: str
    items: tuple[ProgrammeItem, ...]

    def items_for_week(self, week: int) -> list[ProgrammeItem]:
        """Exercises active in programme week ``week`` (1-based)."""
        if not 1 <= week <= self.duration_weeks:
            raise InvalidInput("week", f"must be 1–{self.duration_weeks}")
        return [item for item in self.items if item.active_in(week)]

    def dosage(self, item: ProgrammeItem, library: ExerciseLibrary | None = None) -> Dosage:
        """The item's dosage with the exercise defaults filled in; sessions per week is
        the programme's."""
        default = (library or default_library()).get(item.exercise_id).dosage
        return Dosage(
            sets=item.sets if item.sets is not None else default.sets,
            reps=item.reps if item.reps is not None else default.reps,
            hold_s=item.hold_s if item.hold_s is not None else default.hold_s,
            duration_min=item.duration_min
            if item.duration_min is not None
            else default.duration_min,
            sessions_per_week=self.sessions_per_week,
            rest_s=default.rest_s,
            per_side=default.per_side,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "indication": self.indication,
            "summary": self.summary,
            "duration_weeks": self.duration_weeks,
            "week_offset": self.week_offset,
            "sessions_per_week": self.sessions_per_week,
            "sources": [{"citation": s.citation, "url": s.url} for s in self.sources],
            "education": list(self.education),
            "restrictions": list(self.restrictions),
            "milestones": [{"week": m.week, "description": m.description} for m in self.milestones],
            "referral_triggers": list(self.referral_triggers),
            "progression_rule": self.progression_rule,
            "items": [
                {
                    "exercise_id": i.exercise_id,
                    "sets": i.sets,
                    "reps": i.reps,
                    "hold_s": i.hold_s,
                    "duration_min": i.duration_min,
                    "from_week": i.from_week,
                    "until_week": i.until_week,
                    "notes": i.notes,
                }
                for i in self.items
            ],
        }


def _need(cond: bool, where: str, message: str) -> None:
    if not cond:
        raise InvalidInput(where, message)


def _texts(value: Any, where: str, *, min_items: int = 0) -> tuple[str, ...]:
    ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    _need(ok and len(value) >= min_items, where, f"needs a list of ≥ {min_items} texts")
    return tuple(value)


def _opt_int(value: Any, where: str, low: int, high: int) -> int | None:
    if value is None:
        return None
    _need(
        isinstance(value, int) and not isinstance(value, bool) and low <= value <= high,
        where,
        f"must be an integer {low}–{high} or null",
    )
    return int(value)


def parse_template(data: Any, library: ExerciseLibrary) -> ProgrammeTemplate:
    """Validate one template against the format and the exercise library."""
    _need(isinstance(data, Mapping), "template", "must be an object")
    where = f"programme {data.get('id', '?')!r}"
    unknown = sorted(set(data) - _TEMPLATE_KEYS)
    _need(not unknown, where, f"unknown field {unknown[0]!r}" if unknown else "")
    missing = sorted(_TEMPLATE_KEYS - set(data))
    _need(not missing, where, f"missing field {missing[0]!r}" if missing else "")
    _need(data["format"] == FORMAT, where, f"format must be {FORMAT!r}")
    _need(isinstance(data["id"], str) and bool(_ID.match(data["id"])), where, "bad id")
    for key in ("name", "indication", "summary", "progression_rule"):
        _need(isinstance(data[key], str) and bool(data[key].strip()), where, f"{key} must be text")
    duration = _opt_int(data["duration_weeks"], f"{where} duration_weeks", 1, 52)
    _need(duration is not None, where, "duration_weeks is required")
    assert duration is not None
    offset = _opt_int(data["week_offset"], f"{where} week_offset", 0, 104)
    spw = _opt_int(data["sessions_per_week"], f"{where} sessions_per_week", 1, 14)
    _need(
        offset is not None and spw is not None, where, "week_offset and sessions_per_week required"
    )
    sources = data["sources"]
    _need(isinstance(sources, list) and len(sources) >= 1, where, "cite at least one source")
    parsed_sources = []
    for s in sources:
        _need(isinstance(s, Mapping) and isinstance(s.get("citation"), str), where, "bad source")
        url = s.get("url")
        _need(url is None or isinstance(url, str), where, "source url must be text or null")
        parsed_sources.append(Source(citation=s["citation"], url=url))
    milestones = []
    for m in data["milestones"]:
        _need(isinstance(m, Mapping), where, "milestones must be objects")
        week = _opt_int(m.get("week"), f"{where} milestone week", 1, duration)
        _need(week is not None and isinstance(m.get("description"), str), where, "bad milestone")
        assert week is not None
        milestones.append(Milestone(week=week, description=m["description"]))
    items = []
    for n, raw in enumerate(data["items"], start=1):
        at = f"{where} item {n}"
        _need(
            isinstance(raw, Mapping) and set(raw) == _ITEM_KEYS,
            at,
            f"needs exactly {sorted(_ITEM_KEYS)}",
        )
        _need(raw["exercise_id"] in library, at, f"unknown exercise {raw['exercise_id']!r}")
        first = _opt_int(raw["from_week"], f"{at} from_week", 1, duration)
        last = _opt_int(raw["until_week"], f"{at} until_week", 1, duration)
        _need(
            first is not None and last is not None and first <= last,
            at,
            "needs from_week ≤ until_week",
        )
        assert first is not None and last is not None
        _need(isinstance(raw["notes"], str), at, "notes must be text (may be empty)")
        items.append(
            ProgrammeItem(
                exercise_id=raw["exercise_id"],
                sets=_opt_int(raw["sets"], f"{at} sets", 1, 10),
                reps=_opt_int(raw["reps"], f"{at} reps", 1, 100),
                hold_s=_opt_int(raw["hold_s"], f"{at} hold_s", 1, 600),
                duration_min=_opt_int(raw["duration_min"], f"{at} duration_min", 1, 120),
                from_week=first,
                until_week=last,
                notes=raw["notes"],
            )
        )
    _need(bool(items), where, "needs at least one exercise")
    template = ProgrammeTemplate(
        id=data["id"],
        name=data["name"],
        indication=data["indication"],
        summary=data["summary"],
        duration_weeks=duration,
        week_offset=offset,  # type: ignore[arg-type]
        sessions_per_week=spw,  # type: ignore[arg-type]
        sources=tuple(parsed_sources),
        education=_texts(data["education"], f"{where} education", min_items=1),
        restrictions=_texts(data["restrictions"], f"{where} restrictions"),
        milestones=tuple(milestones),
        referral_triggers=_texts(
            data["referral_triggers"], f"{where} referral_triggers", min_items=1
        ),
        progression_rule=data["progression_rule"],
        items=tuple(items),
    )
    for week in range(1, duration + 1):
        _need(bool(template.items_for_week(week)), where, f"week {week} has no exercises")
    return template


def _read(directory: Traversable | Path, library: ExerciseLibrary) -> dict[str, ProgrammeTemplate]:
    templates: dict[str, ProgrammeTemplate] = {}
    for file in sorted(directory.iterdir(), key=lambda f: f.name):
        if not file.name.endswith(".json"):
            continue
        template = parse_template(json.loads(file.read_text(encoding="utf-8")), library)
        _need(file.name == f"{template.id}.json", f"file {file.name}", "must be named <id>.json")
        templates[template.id] = template
    _need(bool(templates), "programmes", f"no templates in {directory}")
    return templates


def load_templates(
    directory: Path | None = None, library: ExerciseLibrary | None = None
) -> dict[str, ProgrammeTemplate]:
    """Load and validate templates (default: those shipped with Spinewise)."""
    if directory is None and library is None:
        return default_templates()
    lib = library or default_library()
    root = Path(directory) if directory else resources.files("spinewise.rehab.data") / "programmes"
    return _read(root, lib)


@lru_cache(maxsize=1)
def default_templates() -> dict[str, ProgrammeTemplate]:
    return _read(resources.files("spinewise.rehab.data") / "programmes", default_library())
