"""The exercise library: data files, validation at load time, and search.

Exercises live as JSON, one file per category, in ``spinewise/rehab/data/exercises/``
(format ``spinewise.exercises/1``, documented in ``docs/rehab.md``). Everything is
checked when the library is loaded, so a broken file fails loudly at start-up and in
the tests rather than in front of a patient:

- required fields, types and vocabularies (category, equipment, difficulty 1–5);
- ids unique across files; progressions and regressions name existing exercises, are
  mutual (B is a progression of A exactly when A is a regression of B), never make an
  exercise easier than the one it progresses from, and contain no cycle;
- demonstrations: known view, base pose, anchor and support points; keyframe times
  start at 0 and strictly increase; every angle is known and within its anatomical
  range (:mod:`spinewise.rehab.figure`); support points touch the floor; a looping
  demonstration ends on its first pose.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from spinewise.core.errors import InvalidInput
from spinewise.rehab.figure import (
    ANGLE_NAMES,
    BASE_POSES,
    CONTACT_RADIUS,
    EASINGS,
    POINT_NAMES,
    SUPPORT_TOLERANCE,
    VIEWS,
    Easing,
    Keyframe,
    View,
    base_angles,
    check_angles,
    pose_at,
    support_gaps,
)

FORMAT = "spinewise.exercises/1"

#: Categories of the library (file names in data/exercises/ are ``<category>.json``).
CATEGORIES: tuple[str, ...] = (
    "motor_control",
    "extension",
    "core_stabilisation",
    "mobility",
    "hip_strength",
    "walking",
    "nerve_mobilisation",
    "relaxation",
)

#: Equipment vocabulary; an exercise with no equipment lists none.
EQUIPMENT: tuple[str, ...] = (
    "mat",
    "chair",
    "pillow",
    "towel_or_strap",
    "dowel",
    "kettlebell",
    "wall",
)

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TAG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_CUE_CHARS = 160

_EXERCISE_KEYS = {
    "id",
    "name",
    "category",
    "purpose",
    "steps",
    "dosage",
    "progressions",
    "regressions",
    "cautions",
    "contraindications",
    "equipment",
    "difficulty",
    "tags",
    "demonstration",
}
_DOSAGE_KEYS = {"sets", "reps", "hold_s", "duration_min", "sessions_per_week", "rest_s", "per_side"}
_DEMO_KEYS = {"view", "base_pose", "anchor", "floor", "easing", "loop", "support", "keyframes"}


@dataclass(frozen=True)
class Dosage:
    """Default prescription. At least one of ``reps``, ``hold_s``, ``duration_min``.

    Attributes:
        sets: number of sets (None for a single continuous bout).
        reps: repetitions per set (per side when ``per_side``).
        hold_s: hold per repetition, seconds.
        duration_min: duration of a bout, minutes (walking, breathing).
        sessions_per_week: how often, 1–14 (twice daily = 14).
        rest_s: rest between sets, seconds.
        per_side: reps/holds are done on each side.
    """

    sets: int | None
    reps: int | None
    hold_s: int | None
    duration_min: int | None
    sessions_per_week: int
    rest_s: int
    per_side: bool

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in sorted(_DOSAGE_KEYS)}


@dataclass(frozen=True)
class Demonstration:
    """A keyframed demonstration with resolved (full) angle sets."""

    view: View
    base_pose: str
    anchor: str
    floor: bool
    easing: Easing
    loop: bool
    support: tuple[str, ...]
    keyframes: tuple[Keyframe, ...]

    @property
    def duration_s(self) -> float:
        return self.keyframes[-1].t_s

    def angles_at(self, t_s: float) -> tuple[dict[str, float], str]:
        """Interpolated angles and active cue at ``t_s`` (see :func:`figure.pose_at`)."""
        return pose_at(self.keyframes, t_s, loop=self.loop, easing=self.easing)

    def to_dict(self) -> dict[str, Any]:
        """JSON for renderers: every keyframe carries the full angle set."""
        return {
            "view": self.view,
            "base_pose": self.base_pose,
            "anchor": self.anchor,
            "floor": self.floor,
            "easing": self.easing,
            "loop": self.loop,
            "duration_s": self.duration_s,
            "keyframes": [
                {"t_s": k.t_s, "angles": dict(k.angles), "cue": k.cue, "support": list(k.support)}
                for k in self.keyframes
            ],
        }


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    category: str
    purpose: str
    steps: tuple[str, ...]
    dosage: Dosage
    progressions: tuple[str, ...]
    regressions: tuple[str, ...]
    cautions: tuple[str, ...]
    contraindications: tuple[str, ...]
    equipment: tuple[str, ...]
    difficulty: int
    tags: tuple[str, ...]
    demonstration: Demonstration

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "purpose": self.purpose,
            "steps": list(self.steps),
            "dosage": self.dosage.to_dict(),
            "progressions": list(self.progressions),
            "regressions": list(self.regressions),
            "cautions": list(self.cautions),
            "contraindications": list(self.contraindications),
            "equipment": list(self.equipment),
            "difficulty": self.difficulty,
            "tags": list(self.tags),
            "demonstration": self.demonstration.to_dict(),
        }


# --- field checks ------------------------------------------------------------------------


def _fail(where: str, message: str) -> InvalidInput:
    return InvalidInput(where, message)


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"{key} must be non-empty text")
    return value


def _texts(data: Mapping[str, Any], key: str, where: str, *, min_items: int = 0) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(where, f"{key} must be a list of non-empty texts")
    if len(value) < min_items:
        raise _fail(where, f"{key} needs at least {min_items} item(s)")
    return tuple(value)


def _int(
    value: Any, where: str, name: str, low: int, high: int, *, optional: bool = False
) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(where, f"{name} must be an integer {low}–{high}")
    return value


def _keys(data: Any, allowed: set[str], where: str, required: set[str] | None = None) -> None:
    if not isinstance(data, Mapping):
        raise _fail(where, "must be an object")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise _fail(where, f"unknown field {unknown[0]!r}")
    missing = sorted((required if required is not None else allowed) - set(data))
    if missing:
        raise _fail(where, f"missing field {missing[0]!r}")


def parse_dosage(data: Any, where: str) -> Dosage:
    _keys(data, _DOSAGE_KEYS, where)
    dosage = Dosage(
        sets=_int(data["sets"], where, "sets", 1, 10, optional=True),
        reps=_int(data["reps"], where, "reps", 1, 100, optional=True),
        hold_s=_int(data["hold_s"], where, "hold_s", 1, 600, optional=True),
        duration_min=_int(data["duration_min"], where, "duration_min", 1, 120, optional=True),
        sessions_per_week=_int(data["sessions_per_week"], where, "sessions_per_week", 1, 14),  # type: ignore[arg-type]
        rest_s=_int(data["rest_s"], where, "rest_s", 0, 600),  # type: ignore[arg-type]
        per_side=data["per_side"],
    )
    if not isinstance(dosage.per_side, bool):
        raise _fail(where, "per_side must be true or false")
    if dosage.reps is None and dosage.hold_s is None and dosage.duration_min is None:
        raise _fail(where, "give reps, hold_s or duration_min")
    return dosage


def parse_demonstration(data: Any, where: str) -> Demonstration:
    _keys(data, _DEMO_KEYS, where)
    view = data["view"]
    if view not in VIEWS:
        raise _fail(where, f"view must be one of {VIEWS}")
    base_pose = data["base_pose"]
    if base_pose not in BASE_POSES:
        raise _fail(where, f"base_pose must be one of {sorted(BASE_POSES)}")
    anchor = data["anchor"]
    if anchor not in POINT_NAMES:
        raise _fail(where, f"anchor must be one of the figure's points, not {anchor!r}")
    easing = data["easing"]
    if easing not in EASINGS:
        raise _fail(where, f"easing must be one of {EASINGS}")
    for flag in ("floor", "loop"):
        if not isinstance(data[flag], bool):
            raise _fail(where, f"{flag} must be true or false")
    support = _support(data["support"], where)
    raw = data["keyframes"]
    if not isinstance(raw, list) or len(raw) < 2:
        raise _fail(where, "needs at least two keyframes")
    angles = base_angles(base_pose)
    frames: list[Keyframe] = []
    for n, frame in enumerate(raw, start=1):
        at = f"{where} keyframe {n}"
        _keys(frame, {"t_s", "angles", "cue", "support"}, at, required={"t_s", "angles", "cue"})
        t_s = frame["t_s"]
        if isinstance(t_s, bool) or not isinstance(t_s, int | float):
            raise _fail(at, "t_s must be a number of seconds")
        if n == 1 and t_s != 0:
            raise _fail(at, "the first keyframe must be at t_s = 0")
        if frames and t_s <= frames[-1].t_s:
            raise _fail(at, f"t_s {t_s} must be later than {frames[-1].t_s}")
        if not isinstance(frame["angles"], Mapping):
            raise _fail(at, "angles must be an object")
        check_angles(frame["angles"], view, field=at)
        # Keyframes list only what changes; the rest carries over from the previous one.
        angles = {**angles, **{k: float(v) for k, v in frame["angles"].items()}}
        check_angles(angles, view, field=at)
        cue = _text(frame, "cue", at)
        if len(cue) > MAX_CUE_CHARS:
            raise _fail(at, f"cue longer than {MAX_CUE_CHARS} characters")
        frame_support = _support(frame["support"], at) if "support" in frame else support
        if data["floor"] and frame_support:
            gaps = support_gaps(angles, view, frame_support)
            floating = {k: round(v, 3) for k, v in gaps.items() if v > SUPPORT_TOLERANCE}
            if floating:
                name, gap = next(iter(floating.items()))
                raise _fail(at, f"support point {name} is {gap} above the floor")
        frames.append(Keyframe(t_s=float(t_s), angles=angles, cue=cue, support=frame_support))
    if data["loop"] and any(
        abs(frames[0].angles[a] - frames[-1].angles[a]) > 1e-9 for a in ANGLE_NAMES
    ):
        raise _fail(where, "a looping demonstration must end on its first pose")
    return Demonstration(
        view=view,
        base_pose=base_pose,
        anchor=anchor,
        floor=data["floor"],
        easing=easing,
        loop=data["loop"],
        support=support,
        keyframes=tuple(frames),
    )


def _support(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(v in CONTACT_RADIUS for v in value):
        raise _fail(where, "support must be a list of figure points")
    return tuple(value)


def parse_exercise(data: Any, *, category: str | None = None) -> Exercise:
    """Validate one exercise object (cross-references are checked by the library)."""
    where = f"exercise {data.get('id', '?')!r}" if isinstance(data, Mapping) else "exercise"
    _keys(data, _EXERCISE_KEYS, where)
    ex_id = data["id"]
    if not isinstance(ex_id, str) or not _ID.match(ex_id):
        raise _fail(where, "id must be lower-case letters, digits and _")
    if data["category"] not in CATEGORIES:
        raise _fail(where, f"category must be one of {CATEGORIES}")
    if category is not None and data["category"] != category:
        raise _fail(where, f"is in the {category!r} file but says category {data['category']!r}")
    equipment = _texts(data, "equipment", where)
    unknown = [e for e in equipment if e not in EQUIPMENT]
    if unknown:
        raise _fail(where, f"unknown equipment {unknown[0]!r} (known: {', '.join(EQUIPMENT)})")
    tags = _texts(data, "tags", where, min_items=1)
    bad_tags = [t for t in tags if not _TAG.match(t)]
    if bad_tags:
        raise _fail(where, f"tag {bad_tags[0]!r} must be lower-case words joined by -")
    return Exercise(
        id=ex_id,
        name=_text(data, "name", where),
        category=data["category"],
        purpose=_text(data, "purpose", where),
        steps=_texts(data, "steps", where, min_items=2),
        dosage=parse_dosage(data["dosage"], f"{where} dosage"),
        progressions=_texts(data, "progressions", where),
        regressions=_texts(data, "regressions", where),
        cautions=_texts(data, "cautions", where),
        contraindications=_texts(data, "contraindications", where),
        equipment=equipment,
        difficulty=_int(data["difficulty"], where, "difficulty", 1, 5),  # type: ignore[arg-type]
        tags=tags,
        demonstration=parse_demonstration(data["demonstration"], f"{where} demonstration"),
    )


# --- the library -------------------------------------------------------------------------------


class ExerciseLibrary:
    """A validated, read-only set of exercises with lookup and search."""

    def __init__(self, exercises: Iterable[Exercise]) -> None:
        self._by_id: dict[str, Exercise] = {}
        for exercise in exercises:
            if exercise.id in self._by_id:
                raise _fail(f"exercise {exercise.id!r}", "id used twice")
            self._by_id[exercise.id] = exercise
        _check_links(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._by_id.values())

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id

    def get(self, exercise_id: str) -> Exercise:
        try:
            return self._by_id[exercise_id]
        except KeyError:
            raise InvalidInput("exercise_id", f"no exercise {exercise_id!r}") from None

    def search(
        self,
        *,
        text: str | None = None,
        category: str | None = None,
        equipment_available: Collection[str] | None = None,
        min_difficulty: int = 1,
        max_difficulty: int = 5,
        tags: Collection[str] = (),
        base_pose: str | None = None,
    ) -> list[Exercise]:
        """Exercises matching every given filter, best text match first.

        Args:
            text: words that must all appear (case-insensitive) in the name, purpose,
                steps or tags; name matches rank first.
            category: one of :data:`CATEGORIES`.
            equipment_available: what the patient has; an exercise matches when all its
                equipment is available (pass ``[]`` for "no equipment at all").
            min_difficulty / max_difficulty: inclusive range 1–5.
            tags: every tag must be present.
            base_pose: starting position (e.g. ``"standing"`` for someone who cannot
                get down to the floor).

        Results are ordered by text relevance, then difficulty, then name.
        """
        if category is not None and category not in CATEGORIES:
            raise InvalidInput("category", f"unknown category {category!r}")
        if base_pose is not None and base_pose not in BASE_POSES:
            raise InvalidInput("base_pose", f"unknown base pose {base_pose!r}")
        if equipment_available is not None:
            unknown = sorted(set(equipment_available) - set(EQUIPMENT))
            if unknown:
                raise InvalidInput("equipment", f"unknown equipment {unknown[0]!r}")
        if not 1 <= min_difficulty <= max_difficulty <= 5:
            raise InvalidInput("difficulty", "need 1 ≤ min ≤ max ≤ 5")
        words = [w for w in re.split(r"\W+", (text or "").lower()) if w]
        wanted_tags = set(tags)
        scored: list[tuple[int, Exercise]] = []
        for ex in self._by_id.values():
            if category is not None and ex.category != category:
                continue
            if equipment_available is not None and not set(ex.equipment) <= set(
                equipment_available
            ):
                continue
            if not min_difficulty <= ex.difficulty <= max_difficulty:
                continue
            if not wanted_tags <= set(ex.tags):
                continue
            if base_pose is not None and ex.demonstration.base_pose != base_pose:
                continue
            score = _text_score(ex, words)
            if score is None:
                continue
            scored.append((score, ex))
        scored.sort(key=lambda pair: (-pair[0], pair[1].difficulty, pair[1].name))
        return [ex for _, ex in scored]


def _text_score(ex: Exercise, words: Sequence[str]) -> int | None:
    if not words:
        return 0
    name = ex.name.lower()
    body = " ".join([ex.purpose, *ex.steps, " ".join(ex.tags), ex.category]).lower()
    score = 0
    for word in words:
        if word in name:
            score += 2
        elif word in body:
            score += 1
        else:
            return None
    return score


def _check_links(by_id: Mapping[str, Exercise]) -> None:
    for ex in by_id.values():
        where = f"exercise {ex.id!r}"
        for kind in ("progressions", "regressions"):
            for other in getattr(ex, kind):
                if other == ex.id:
                    raise _fail(where, f"lists itself in {kind}")
                if other not in by_id:
                    raise _fail(where, f"{kind} names unknown exercise {other!r}")
        for other in ex.progressions:
            if ex.id not in by_id[other].regressions:
                raise _fail(
                    where, f"progresses to {other!r}, which does not list it as a regression"
                )
            if by_id[other].difficulty < ex.difficulty:
                raise _fail(
                    where, f"progression {other!r} is easier (difficulty {by_id[other].difficulty})"
                )
        for other in ex.regressions:
            if ex.id not in by_id[other].progressions:
                raise _fail(
                    where, f"regresses to {other!r}, which does not list it as a progression"
                )
    # No cycles along progressions (depth-first search with colours).
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in by_id[node].progressions:
            if state.get(nxt) == 1:
                raise _fail(f"exercise {nxt!r}", f"progression cycle {' → '.join([*path, nxt])}")
            if nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in by_id:
        if node not in state:
            visit(node, [node])


def _parse_file(text: str, name: str) -> list[Exercise]:
    data = json.loads(text)
    where = f"file {name}"
    _keys(data, {"format", "category", "exercises"}, where)
    if data["format"] != FORMAT:
        raise _fail(where, f"format must be {FORMAT!r}")
    category = data["category"]
    if category not in CATEGORIES or name != f"{category}.json":
        raise _fail(where, f"must be named <category>.json with a known category, not {category!r}")
    if not isinstance(data["exercises"], list) or not data["exercises"]:
        raise _fail(where, "exercises must be a non-empty list")
    return [parse_exercise(item, category=category) for item in data["exercises"]]


def _read_dir(directory: Traversable | Path) -> list[Exercise]:
    exercises: list[Exercise] = []
    files = sorted(
        (f for f in directory.iterdir() if f.name.endswith(".json")), key=lambda f: f.name
    )
    if not files:
        raise _fail("library", f"no exercise files in {directory}")
    for file in files:
        exercises += _parse_file(file.read_text(encoding="utf-8"), file.name)
    return exercises


def load_library(directory: Path | None = None) -> ExerciseLibrary:
    """Load and validate a library directory (default: the one shipped with Spinewise)."""
    if directory is None:
        return default_library()
    return ExerciseLibrary(_read_dir(Path(directory)))


@lru_cache(maxsize=1)
def default_library() -> ExerciseLibrary:
    """The shipped library, validated once per process."""
    return ExerciseLibrary(_read_dir(resources.files("spinewise.rehab.data") / "exercises"))
