"""App actions asked for in chat, parsed into structured intents that need confirmation.

``parse_intents(message)`` recognises:

``log_pain``            "my pain is 6 today", "pain 7/10", "log my pain as 8" → ``{"score": 6}``
                        on the 0-10 numeric rating scale (NPRS).
``medication_taken``    "I took my tablets", "took 2 paracetamol at 8am".
``exercise_done``       "I did my exercises".
``set_reminder``        "remind me to do my exercises at 6 pm" → what, kind, 24-hour time,
                        repetition.
``next_appointment``    "when is my next session?" (a question: no confirmation needed).
``handover``            "I want to talk to a person" → pass the conversation to a clinician.

Nothing is done here: each intent carries the sentence to show the patient ("Log your pain as
6/10 for today?") and the service acts only after the patient confirms. Parsing is pure and
deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from spinewise.assistant.text import normalise

IntentKind = Literal[
    "log_pain",
    "medication_taken",
    "exercise_done",
    "set_reminder",
    "next_appointment",
    "handover",
]
PAIN_SCALE_MAX = 10  # NPRS 0-10 (Hawker et al., Arthritis Care Res 2011)


@dataclass(frozen=True)
class Intent:
    kind: IntentKind
    params: dict[str, Any] = field(default_factory=dict)
    requires_confirmation: bool = True
    confirmation_prompt: str = ""
    evidence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.kind,
            "params": dict(self.params),
            "requires_confirmation": self.requires_confirmation,
            "confirmation_prompt": self.confirmation_prompt,
        }


_NOT_A_SCORE_UNIT = (
    r"(?! ?(?:days?|weeks?|months?|years?|hours?|hrs?|minutes?|mins?|times|mg|tablets?|pills?|"
    r"am|pm|kg|%|percent|degrees|steps|km|miles))"
)
_PAIN_SCORE = re.compile(
    r"\b(?:log|record|rate|put|set|save)? ?(?:my )?(?:back )?pain(?: level| score| rating)?"
    r"(?: today| now| this morning| tonight)?(?: is| was| of| at| as| to|:|=| -)?"
    r"(?: only| about| around| roughly| maybe| probably| like)?(?: a)? (\d{1,2})"
    r"(?: ?(?:/|out of) ?10)?\b" + _NOT_A_SCORE_UNIT
)
_SCORE_THEN_PAIN = re.compile(r"\b(\d{1,2}) ?(?:/|out of) ?10\b")
_TIME = re.compile(
    r"\b(?:at |by |around |about )?(\d{1,2})(?:[:.](\d{2}))? ?(am|pm|a\.m\.|p\.m\.)?(?=\W|$)"
    r"|\b(noon|midday|midnight)\b"
)
_REMIND = re.compile(r"\bremind(?:er)?(?: me)?(?: to| about| of| for)? (.+)")
_TOOK_MEDS = re.compile(
    r"\b(?:i|i have|have|just)? ?(?:took|taken|had) (?:my |the |all my )?(?:(\d+|two|one|three) )?"
    r"((?:morning |evening |night |lunchtime |bedtime )?(?:tablets?|pills?|medicines?|"
    r"medication|meds|dose|painkillers?|[a-z]+(?:amol|fen|xen|eine|adol|ine|in)))\b"
)
_DID_EXERCISES = re.compile(
    r"\b(?:i |i have |have |just )?(?:did|done|finished|completed) (?:my |the |all my |today )?"
    r"(?:exercises?|stretches|session|workout|programme|program)\b"
)
_NEXT_APPOINTMENT = re.compile(
    r"\b(?:when|what time|what day)\b.*\b(?:next |my )?(?:appointment|session|consultation|"
    r"video call|call|physio|visit|check-?up)\b|\bnext (?:appointment|session|consultation|"
    r"video call|physio)\b"
)
_HANDOVER = re.compile(
    r"\b(?:talk|speak|chat) (?:to|with) (?:a |an |my |the |someone|somebody)?(?:real |actual )?"
    r"(?:person|human|someone|somebody|physio\w*|doctor|clinician|nurse|therapist|care team|gp)\b"
    r"|\b(?:human|real person|operator)\b please|\bcan (?:a|my) (?:physio|doctor|clinician|"
    r"nurse) (?:call|contact) me\b"
)
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4}
_MEDICINE_WORDS = frozenset(
    {"tablet", "tablets", "pill", "pills", "medicine", "medicines", "medication", "meds"}
    | {"dose", "painkiller", "painkillers"}
)


def parse_time(text: str) -> tuple[str | None, bool]:
    """First clock time in ``text`` as ``HH:MM`` (24-hour) and whether it was ambiguous.

    "6 pm" → ("18:00", False); "at 6" → ("06:00", True): no am/pm given, so the service must
    ask. Returns (None, False) when no time is found or the numbers are not a time.
    """
    for match in _TIME.finditer(text):
        word = match.group(4)
        if word:
            return ("00:00" if word == "midnight" else "12:00"), False
        hour = int(match.group(1))
        minute = int(match.group(2) or 0)
        meridiem = (match.group(3) or "").replace(".", "")
        if minute > 59:
            continue
        if meridiem:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
            return f"{hour:02d}:{minute:02d}", False
        introduced = match.group(0).lstrip().startswith(("at", "by", "around", "about"))
        if not introduced and not match.group(2):
            continue  # a bare number ("3 times") is not a time
        if hour > 23:
            continue
        return f"{hour:02d}:{minute:02d}", hour <= 12 and not match.group(2)
    return None, False


def _recurrence(text: str) -> str | None:
    if re.search(r"\bevery (?:day|morning|evening|night)\b|\bdaily\b|\beach day\b", text):
        return "daily"
    if m := re.search(r"\bevery (\d+ )?(hour|hours)\b", text):
        return f"every {m.group(1) or '1 '}hour".replace("1 hour", "hour")
    if re.search(r"\bevery week\b|\bweekly\b", text):
        return "weekly"
    day = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    if m := re.search(rf"\bevery ({day})\b", text):
        return f"weekly on {m.group(1)}"
    return None


def parse_intents(message: str) -> list[Intent]:
    """Every app action requested in ``message``, in a stable order (see module docstring)."""
    text = normalise(message)
    intents: list[Intent] = []

    reminder = _REMIND.search(text)
    reminder_span = (0, 0)
    if reminder:
        request = re.split(r"[.!?;]| also ", reminder.group(1))[0].strip()
        reminder_span = (reminder.start(), reminder.start(1) + len(request))
        time, ambiguous = parse_time(request)
        what = re.sub(
            r"\b(?:at|by|around|about)? ?\d{1,2}(?:[:.]\d{2})? ?(?:am|pm|a\.m\.|p\.m\.)?(?=\W|$)"
            r"|\b(?:at )?(?:noon|midday|midnight)\b|\bevery \w+\b|\bdaily\b|\beach day\b",
            "",
            request,
        )
        what = " ".join(what.split()) or "your reminder"
        words = set(what.split())
        kind = (
            "exercise"
            if re.search(r"exercis|stretch|session|programme|walk", what)
            else "medication"
            if words & _MEDICINE_WORDS or re.search(r"(?:amol|fen|xen|eine)\b", what)
            else "other"
        )
        params: dict[str, Any] = {
            "what": what,
            "kind": kind,
            "time": time,
            "time_ambiguous": ambiguous,
            "repeat": _recurrence(request),
        }
        shown = re.sub(r"\bmy\b", "your", what)
        when = f"at {time}" if time else (params["repeat"] or "at a time you choose")
        if params["repeat"] and time:
            when += f", {params['repeat']}"
        prompt = f"Set a reminder ({shown}) {when}?"
        if ambiguous:
            prompt += " (Did you mean morning or evening?)"
        intents.append(Intent("set_reminder", params, True, prompt, text[slice(*reminder_span)]))

    def outside_reminder(match: re.Match[str] | None) -> re.Match[str] | None:
        if match is None or reminder_span[0] <= match.start() < reminder_span[1]:
            return None
        return match

    pain = outside_reminder(_PAIN_SCORE.search(text)) or outside_reminder(
        _SCORE_THEN_PAIN.search(text) if re.search(r"\bpain\b", text) else None
    )
    if pain:
        score = int(pain.group(1))
        if 0 <= score <= PAIN_SCALE_MAX:
            intents.append(
                Intent(
                    "log_pain",
                    {"score": score, "scale": "NPRS 0-10", "date": "today"},
                    True,
                    f"Log your pain as {score}/10 for today?",
                    pain.group(0).strip(),
                )
            )

    took = outside_reminder(_TOOK_MEDS.search(text))
    if took:
        count = took.group(1)
        quantity = int(count) if count and count.isdigit() else _WORD_NUMBERS.get(count or "")
        item = took.group(2)
        medication = None if set(item.split()) & _MEDICINE_WORDS else item
        time, _ = parse_time(text[took.end() :])
        intents.append(
            Intent(
                "medication_taken",
                {"medication": medication, "quantity": quantity, "time": time},
                True,
                f"Mark {medication or 'your ' + item} as taken"
                + (f" at {time}" if time else " now")
                + "?",
                took.group(0).strip(),
            )
        )

    done = outside_reminder(_DID_EXERCISES.search(text))
    if done:
        intents.append(
            Intent(
                "exercise_done",
                {"date": "today"},
                True,
                "Record today's exercise session as done?",
                done.group(0).strip(),
            )
        )

    if appointment := outside_reminder(_NEXT_APPOINTMENT.search(text)):
        intents.append(
            Intent("next_appointment", {}, False, "Here is your next appointment.", appointment[0])
        )

    if handover := _HANDOVER.search(text):
        intents.append(
            Intent(
                "handover",
                {},
                True,
                "Send this conversation to your care team so a clinician can reply?",
                handover.group(0),
            )
        )
    return intents
