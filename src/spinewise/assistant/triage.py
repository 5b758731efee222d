"""Red-flag triage of patient messages: runs first, before any answer is looked up.

``triage(message, profile)`` reads free text with :func:`spinewise.assistant.concepts.analyse`
(negation, past versus present, other people, typos) and combines the findings with the
patient's profile into one of four levels:

``emergency``
    possible cauda equina syndrome (saddle numbness, new bladder or bowel dysfunction,
    bilateral sciatica, sexual dysfunction), progressive neurological deficit or foot drop,
    trauma with neurological symptoms, suspected abdominal aortic aneurysm or dissection
    (including fainting with back pain), chest pain, thoughts of suicide. The answer says exactly what to do now and carries no
    self-care advice.
``urgent``
    possible fracture (significant trauma; minor trauma with osteoporosis, long-term steroids
    or age >= 70), infection (fever, IV drug use, a weakened immune system with back pain
    that is not the usual mechanical pain, a red wound after a spinal procedure), malignancy
    (cancer history with new pain, unexplained weight loss, unrelenting night pain), new leg
    weakness: same-day medical assessment.
``routine``
    no red flag, but worth a clinician's review (one-sided sciatica, pain for 6+ weeks,
    first episode after 50, side effects of medicines, pregnancy …).
``self_care``
    everything else.

Sources: NICE NG59 *Low back pain and sciatica in over 16s* (2016, updated 2020); Finucane LM
et al., *International framework for red flags for potential serious spinal pathologies*,
J Orthop Sports Phys Ther 2020;50(7):350-372 (IFOMPT); GIRFT *National suspected cauda equina
syndrome pathway* (NHS England, 2023); Downie A et al., *Red flags to screen for malignancy
and fracture in patients with low back pain*, BMJ 2013;347:f7095; NICE NG234 (spinal
metastases, 2023); NICE NG156 (abdominal aortic aneurysm, 2020); NICE NG225 (self-harm, 2022).

Two layers find the findings: the precise rules below (each pattern written for a clinical
phrasing) and the broad danger vocabulary of :mod:`.danger` (body sites and "something is
wrong" words per red-flag family, for recall on wording nobody anticipated). Both give the same
finding codes; the vocabulary's evidence ends with ``BROAD_EVIDENCE_NOTE``.

This is decision support written for safety: it escalates when unsure and never tells a
patient that a symptom is harmless. It is not a diagnosis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from spinewise.assistant.concepts import (
    CHANGED_PAIN,
    FAMILY,
    ON_BEHALF,
    SIDE_EFFECT_SAID,
    WEIGHT_LOSS_TREATMENT,
    AnalysedText,
    Mention,
    analyse,
    continues_other,
)
from spinewise.assistant.concepts import OTHER_PERSON as _OTHER_PERSON_WORDS
from spinewise.assistant.danger import (
    AS_IF,
    WETTING,
    about_people_in_general,
    broad_hits,
    claudication_posture,
    claudication_symptom,
    general_crisis_question,
    injury_cleared,
    is_syncope,
    stress_incontinence,
    tired_after_exertion,
)
from spinewise.assistant.text import ENGLISH_MIN_SHARE, english_share
from spinewise.core.errors import InvalidInput

Level = Literal["emergency", "urgent", "routine", "self_care"]
LEVELS: tuple[Level, ...] = ("self_care", "routine", "urgent", "emergency")
RED_FLAG_LEVELS: frozenset[str] = frozenset({"urgent", "emergency"})

# Age from which minor trauma raises suspicion of fracture: "older age" in Downie et al. 2013
# (the primary-care cohort of Henschke et al., Arthritis Rheum 2009, used > 70 years).
FRACTURE_AGE_YEARS = 70
# Age from which a first episode of back pain deserves a clinician's review (IFOMPT 2020 lists
# age > 50 as a risk factor for malignancy; alone it has low diagnostic value, hence routine).
FIRST_EPISODE_REVIEW_AGE_YEARS = 50
# Age from which sudden severe abdominal and back pain is treated as a possible aneurysm
# (NICE NG156: AAA is rare under 50; screening starts at 65 in men).
AAA_AGE_YEARS = 50

SOURCES: dict[str, str] = {
    "NICE NG59": (
        "NICE NG59. Low back pain and sciatica in over 16s: assessment and management "
        "(2016, updated 2020)."
    ),
    "IFOMPT 2020": (
        "Finucane LM, Downie A, Mercer C, et al. International framework for red flags for "
        "potential serious spinal pathologies. J Orthop Sports Phys Ther 2020;50(7):350-372."
    ),
    "GIRFT CES 2023": (
        "GIRFT / NHS England. National suspected cauda equina syndrome (CES) pathway (2023)."
    ),
    "Downie 2013": (
        "Downie A, Williams CM, Henschke N, et al. Red flags to screen for malignancy and "
        "fracture in patients with low back pain: systematic review. BMJ 2013;347:f7095."
    ),
    "NICE NG234": "NICE NG234. Spinal metastases and metastatic spinal cord compression (2023).",
    "NICE NG156": "NICE NG156. Abdominal aortic aneurysm: diagnosis and management (2020).",
    "NICE NG225": "NICE NG225. Self-harm: assessment, management and preventing recurrence (2022).",
    "NICE NG201": "NICE NG201. Antenatal care (2021).",
}


@dataclass(frozen=True)
class PatientProfile:
    """What the app knows about the patient, passed in by the caller (all optional).

    ``age`` in whole years; the booleans are the patient's recorded history. The triage also
    reads these from the message itself ("I have osteoporosis"), so an empty profile is safe.
    """

    age: int | None = None
    cancer_history: bool = False
    osteoporosis: bool = False
    long_term_steroids: bool = False
    immunosuppressed: bool = False

    def __post_init__(self) -> None:
        if self.age is not None and not 0 <= self.age <= 120:
            raise InvalidInput("age", f"must be between 0 and 120 years, got {self.age}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "age": self.age,
            "cancer_history": self.cancer_history,
            "osteoporosis": self.osteoporosis,
            "long_term_steroids": self.long_term_steroids,
            "immunosuppressed": self.immunosuppressed,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> PatientProfile:
        if not data:
            return cls()
        unknown = set(data) - {
            "age",
            "cancer_history",
            "osteoporosis",
            "long_term_steroids",
            "immunosuppressed",
        }
        if unknown:
            raise InvalidInput("profile", f"unknown field(s): {', '.join(sorted(unknown))}")
        age = data.get("age")
        if age is not None and (isinstance(age, bool) or not isinstance(age, int)):
            raise InvalidInput("age", "must be a whole number of years")
        return cls(
            age=age,
            cancer_history=bool(data.get("cancer_history", False)),
            osteoporosis=bool(data.get("osteoporosis", False)),
            long_term_steroids=bool(data.get("long_term_steroids", False)),
            immunosuppressed=bool(data.get("immunosuppressed", False)),
        )


@dataclass(frozen=True)
class Finding:
    """One reason for the triage level."""

    code: str
    category: str
    level: Level
    reason: str
    evidence: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    about_other_person: bool = False  # the writer describes someone else's symptoms

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "category": self.category,
            "level": self.level,
            "reason": self.reason,
            "evidence": list(self.evidence),
            "sources": list(self.sources),
            "about_other_person": self.about_other_person,
        }


@dataclass(frozen=True)
class TriageResult:
    """The level, the findings behind it and what the patient should do now."""

    level: Level
    findings: tuple[Finding, ...]
    advice: str
    notify_care_team: bool
    citations: tuple[str, ...] = field(default=())

    @property
    def red_flag(self) -> bool:
        return self.level in RED_FLAG_LEVELS

    @property
    def categories(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for f in self.findings:
            if f.level == self.level:
                seen.setdefault(f.category, None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "red_flag": self.red_flag,
            "advice": self.advice,
            "notify_care_team": self.notify_care_team,
            "findings": [f.to_dict() for f in self.findings],
            "citations": [SOURCES[c] for c in self.citations],
        }


def level_rank(level: str) -> int:
    """0 for self_care … 3 for emergency."""
    return LEVELS.index(level)


_AGE_IN_TEXT = re.compile(
    r"\b(?:i am|aged?|age(?: is)?) (\d{2,3})\b(?!\.\d)(?! (?:kg|kilos?|percent|minutes|mins|hours|days|"
    r"weeks|months|times|cm|mm|km|miles|degrees|years? ago|stone|pounds))"
    r"|\b(\d{2,3})[- ]?(?:years?|yrs?)[- ](?:old|young)\b|\b(\d{2,3}) ?(?:yo|y/o)\b"
    # a French speaker's "I have 56 years", "she has 81 years"
    r"|\b(?:i|he|she) (?:have|has) (\d{2,3}) years\b(?! ago)"
    # a message that opens with the age: "58, first time I've ever had back trouble"
    r"|^(\d{2})(?=, | - | and )"
    # "my nan (88)", "husband 66 collapsed", "(she is 70)": a relative's age
    r"|\b(?:" + FAMILY + r")(?: he| she)?(?: is| aged?)? ?\(?"
    r"(\d{2,3})\)?"
    r"(?! ?(?:kg|kilos?|percent|minutes|mins|hours|days|weeks|months|times|years? ago))"
    r"|\((?:he is |she is )?(\d{2,3})\)"
    # an age in apposition ("my grandmother, 84 years, is …") or closing the message ("slipped in
    # the bath, back hurts. 84")
    r"|, (\d{2,3}) (?:years?|yrs?)(?: old)?,|(?:^|[.!?] )(\d{2,3})\W*$"
)
_LONG_TERM = re.compile(
    r"long[- ]term|for (?:\S+ ){0,2}?(?:years?|yrs?|months)|(?:\d+|two|three|four|five|six|"
    r"several|many) (?:years?|yrs?|months)|since (?:19|20)\d\d|every day|daily|\bon (?:\S+ )?"
    r"(?:steroids?|prednis\w*)|regular\w*|\byears\b|\byrs\b|\d+ ?mg (?:a|per|each) day|"
    r"since (?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|last (?:year|spring|summer|autumn|winter|christmas)|christmas|the spring|the "
    r"summer|the autumn|the winter)"
)


# A joint that cracks or clicks, not a bone that breaks: "cracking my back", "my back cracked so
# loud at the gym … feels great", "back cracks every time I twist".
_JOINT_NOISE = re.compile(
    r"\b(?:crack(?:ing|s)? (?:my|his|her|your|the|their|one's) (?:own )?(?:back|neck|spine)|(?:back|spine|neck) "
    r"(?:\S+ )?crack(?:s|ed|ing)? (?:when|every|each|whenever|if|a lot|all the time|so loud|"
    r"loudly|like)|feels? (?:great|good|nice|amazing|better|lovely|so much better)|satisfying)\b"
)


# Pain said to be exactly as it always was: "the same old ache I've had since my 30s, nothing
# changed" (not "my usual back ache has changed")
_SAME_PAIN = re.compile(
    r"\b(?:(?:nothing|no)(?: has)? chang\w*|unchanged|same old|the same as (?:ever|always|usual)|"
    r"as (?:usual|always))\b"
)


# Pain the patient knows or can explain: long-standing, as usual, or after an activity.
_USUAL_PAIN = re.compile(
    r"\b(?:for (?:many |several |a few |\d+ |two |three |ten |twenty )?(?:years|decades)|"
    r"always (?:had|been|have)|all my life|same (?:old|as always|as ever|as usual)|as usual|"
    r"(?:nothing|no) (?:new|different|change)|usual (?:\S+ )?(?:pain|ache)|long[- ]standing|"
    r"nothing (?:has )?changed|unchanged|(?:has |have |is )(?:reduced|improved|eased)|"
    r"(?<!not )getting better|much better|"
    r"(?:from|after|since) (?:the |my |some |a |doing )?(?:\S+ )?(?:gardening|lifting|"
    r"decorating|painting|moving (?:house|furniture)|the gym|gym|work|sitting|hoovering|"
    r"cleaning|digging|carrying|exercis\w*|workout|training|running|a long drive|driving))\b"
)


_NEW_PAIN = re.compile(
    r"\bnew (?:\S+ ){0,2}?(?:pain|ache|backache)\b|\b(?:pain|ache) (?:\S+ ){0,3}?(?:started|began|came "
    r"on) (?:last|this|on|yesterday|\d)"
)


def age_from_text(analysed: AnalysedText) -> int | None:
    """An age stated in the message ("I'm 68", "74 years old"), if plausible (16-110)."""
    for match in _AGE_IN_TEXT.finditer(analysed.text):
        value = int(next(g for g in match.groups() if g))
        if 16 <= value <= 110:
            return value
    return None


def _evidence(*mentions: Mention) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.text for m in mentions))


def _continues_the_deficit(a: AnalysedText, deficit: Mention, progression: Mention) -> bool:
    """A progression told in a sentence after the deficit's: the spread ("The numb patch
    started on my little toe on Monday. Now it goes up the outside of my leg to my knee."), or
    a comparison that opens the very next sentence and so has the deficit for its subject ("Ma
    leg's went that weak it gave way on me in Tesco. Worse than yesterday …")."""
    gap = a.sentence_of(progression.start) - a.sentence_of(deficit.start)
    if progression.text.startswith(("now it", "it is")):
        return 0 < gap <= 3
    if not (gap == 1 and progression.text.startswith(("worse than", "weaker than"))):
        return False
    sentence = a.sentence_of(progression.start)
    opens = min(c.start for c in a.clauses if c.sentence == sentence)
    return not a.text[opens : progression.start].strip(" ,.;:!?-")


def _near(analysed: AnalysedText, a: list[Mention], b: list[Mention]) -> list[Mention]:
    """Mentions of ``a`` sharing a sentence with some mention of ``b``."""
    return [x for x in a if any(analysed.same_sentence(x, y) for y in b)]


def triage(message: str, profile: PatientProfile | None = None) -> TriageResult:
    """Triage one patient message. ``profile`` adds what the app already knows."""
    if not isinstance(message, str) or not message.strip():
        raise InvalidInput("message", "is empty")
    if len(message) > 5000:
        raise InvalidInput("message", "is longer than 5000 characters")
    profile = profile or PatientProfile()
    analysed = analyse(message)
    found = _findings(analysed, profile)
    found += _broad_findings(analysed, profile, found)
    if analysed.mentions_other_person:
        found += _their_findings(analysed, profile)
    found += _unreadable(analysed.text, found)
    level: Level = "self_care"
    for finding in found:
        if level_rank(finding.level) > level_rank(level):
            level = finding.level
    findings = tuple(sorted(found, key=lambda f: -level_rank(f.level)))
    citations = tuple(dict.fromkeys(s for f in findings for s in f.sources if f.level == level))
    if not citations:
        citations = ("NICE NG59", "IFOMPT 2020")
    return TriageResult(
        level=level,
        findings=findings,
        advice=advice_for(level, findings),
        notify_care_team=level in RED_FLAG_LEVELS,
        citations=citations,
    )


def _unreadable(text: str, found: list[Finding]) -> list[Finding]:
    """A message written mostly in a language the rules cannot read is never answered with
    self-care: scored once on code-switching messages (blind61: Tagalog, Hindi and Spanish mixed
    with English), ``ask`` escalated 59 of 76 red flags. A person reads it the same day instead
    (with this rule the rules and screen escalate 74 of the 76, and send 35 of its 84 benign
    messages to a person too); the answer says why, in plain English, with the safety net."""
    if any(level_rank(f.level) >= level_rank("urgent") for f in found):
        return []
    share = english_share(text)  # after contractions, texting spellings and typos are repaired
    if share is None or share >= ENGLISH_MIN_SHARE:
        return []
    return [
        Finding(
            "language_unreadable",
            "language",
            "urgent",
            "I can only read English reliably, and much of your message is in another "
            "language, so I cannot tell whether it describes a warning sign. Someone from your "
            "care team will read it today.",
            (f"{share:.0%} of the words read as English",),
            ("NICE NG59",),
        )
    ]


# Someone else's back pain or back operation, in words about that person ("his back is really
# bad", "my mum has had back pain for a month", "wife had back surgery 5 days ago").
_THIRD_PERSON = re.compile(r"\b(?:he|she|they|him|his|her|hers|their|them)\b")
# Their back named without a pain word: an operation, a disc, or an injury to it ("took a
# massive tackle and landed on his back").
_THEIR_BACK = re.compile(
    r"\b(?:back|spine|spinal|disc) (?:surgery|operation|op|problems?)\b|slipped disc|"
    r"\b(?:bad|bulging|prolapsed|herniated|slipped) disc\b|slipped (?:a|his|her) disc|"
    r"\binjection in (?:his|her|their) (?:spine|back)\b|"
    # (not the writer's: "without wrecking my own back after my discectomy")
    r"(?<!\bmy )(?<!\bmy own )\b(?:discectomy|decompression|laminectomy|spinal fusion)\b|"
    r"\b(?:crack|snap|pop|click|twinge|twang)\w* in (?:his|her|their) (?:lower |upper )?back\b|"
    # (not "broke her back": a known fracture is already being looked after)
    r"\b(?:hurt|injured|landed on|fell on|did|done|put out|twisted|jarred|cricked) "
    r"(?:his|her|their) (?:lower |upper )?(?:back|spine|neck)\b|"
    r"\b(?:fell|landed|sat down hard|went down|came down) (?:\S+ ){0,2}?on (?:his|her|their) "
    r"(?:backside|bum|bottom|behind|tailbone|coccyx)\b"
)
# Their back named as the cause or the place, outside a question: "he says its his back", "pain
# in his back and belly", "his old disc", "bad back since she slipped", or in their words: "he
# says it's just my back". Not a back said to be fine ("his back is fine", "not about his
# back"), nor an old fracture ("broke a bone in her back").
_THEIR_BACK_NAMED = re.compile(
    r"(?<!broke )(?<!broken )(?<!fractured )(?<!not about )(?<!bone in )(?<!fracture in )"
    r"(?<!fractures in )(?<!crack in )"
    r"\b(?:his|her|their) (?:own |lower |upper |bad |old |poor )?(?:back|spine|disc)\b"
    r"(?!,? (?:which |that )?(?:is|has been|was|feels|seems|has|had|does|did|have) (?:\S+ ){0,2}?"
    r"(?:fine|ok|okay|good|great|better|normal|grand|all right|alright|not|no|never)\b)|"
    r"\bbad back\b|\bmy (?:" + FAMILY + r") back (?:is|has|was|pain|ache|hurts|keeps)\b|"
    r"\b(?:says?|said|reckons?|thinks?|insists?) (?:that )?(?:it is |its )?(?:just |only )?"
    r"(?:my|his|her) (?:\S+ )?back\b"
)
# A nerve symptom in their own leg or seat, which needs no back to matter: "the numbness in her
# right leg … has crept up to the knee"
_THEIR_NERVES = re.compile(
    r"\b(?:numb\w*|tingl\w*|pins and needles|weak\w*|no feeling|(?:can not|cannot|could not) "
    r"feel) (?:\S+ ){0,2}?(?:in|down|of|on|around) (?:his|her|their) (?:left |right |lower |upper |"
    r"both |inner )?(?:legs?|feet|foot|thighs?|bum|bottom|backside|groin|calf|calves|shin|toes?)\b|"
    r"\b(?:his|her|their) (?:left |right |both |inner )?(?:legs?|feet|foot|thighs?|bum|bottom|"
    r"backside|groin|calf|shin|toes?) (?:is |are |has |have |feels? |went |gone |going |keeps? )"
    r"(?:\S+ )?(?:numb|weak|dead|tingl\w*|giving way|gave way|buckl\w*|dragg\w*|catch\w*)"
)
# Pain said to have changed (a mention of the concept "new_onset")
_CHANGED = re.compile(CHANGED_PAIN)
# Words that explain a weight loss from a sentence away: "Slimming World weigh-in: 'lost 8kg!'"
_DIETING = re.compile(
    r"slimming|weight ?watchers|on purpose|intentional|deliberate|calori|fasting|ozempic|"
    r"wegovy|mounjaro|semaglutide|tirzepatide|weigh-?in|" + WEIGHT_LOSS_TREATMENT
)
# A relative's story that is over: "… had emergency surgery on his spine a few years back,
# bladder issues, the lot, and he's totally fine now"
_THEY_RECOVERED = re.compile(
    r"(?<!says )(?<!said )(?<!thinks )(?<!insists )\b(?:he|she|they|it) (?:is|are|has been|have "
    r"been|was|were) (?:now )?(?:(?:totally|completely|fully|absolutely|all) (?:fine|recovered|"
    r"better|well|back to normal)|recovered|back to normal)(?: now| since| again| by \w+)?"
    r"(?= *(?:[.,;!?]|$|and\b))|"
    # "hes back now and fine" (back on the wing)
    r"\b(?:he|she|they) (?:is|are) back (?:now )?and (?:fine|ok|okay|well)\b|"
    # "The son is fine."
    r"\bthe (?:" + FAMILY + r"|friend|colleague|neighbou?r|kids?|children) (?:is|was|are|were) "
    r"(?:fine|ok|okay|alright|all right|unhurt)(?= *(?:[.;!?]|$))|"
    # "he's fine now", "was hit by a car last week and is fine, thankfully", "but she's ok."
    r"(?<!says )(?<!said )(?<!thinks )\b(?:(?:he|she|they) (?:is|are) fine now\b|(?:(?:he|she|"
    r"they) (?:is|are)|and (?:is|are)) (?:fine|ok|okay|alright|all right)(?:,? (?:thankfully|"
    r"luckily|now))?(?= *(?:[.;!?]|$|, (?!but\b))))|"
    # "now ok already after surgery" (Singapore English)
    r"\bnow (?:ok|okay|fine|alright) already\b|"
    # "… surgery fixed it and she's jogging again"
    r"\b(?:surgery|the op|the operation|an operation|physio) (?:fixed|sorted|cured) (?:it|him|her|"
    r"them)\b|\b(?:he|she|they) (?:is|are) (?:jogging|running|walking|back at work|playing) "
    r"again\b|"
    # "… he had weakness in his leg, now he is walking fine after physio"
    r"\bnow (?:he|she|they) (?:is|are) (?:walking|moving|running|playing|doing) (?:fine|well|"
    r"normally|great)\b"
)
_FAMILY_WORD = re.compile(r"\b(?:" + FAMILY + r")\b")
_STILL_GOING = re.compile(
    # told in the present: "says both his legs have pins and needles"
    r"\b(?:says|is saying|tells me|keeps saying)\b|\b(?:his|her|their) (?:\w+ ){1,2}(?:have|has|is|"
    r"are|feel|feels|keeps?)\b|"
    # (theirs, not the writer's: "I have been helping her move flat")
    r"\b(?<!\bi )(?<!\bwe )(?:has|have) (?:had|been|just)\b|\b(?:is|are) (?:having|getting|still|just)\b|\bfor (?:\d+|a few|"
    r"two|three|several) (?:days|weeks)\b"
)
# People the writer does not care for: their story is not a patient's report ("my colleague
# fell off a ladder and ended up numb in both legs", "a guy on TikTok couldn't feel his legs")
_NOT_IN_THEIR_CARE = re.compile(
    r"\b(?:friend|colleague|neighbou?r|mate|pal|guy|bloke|woman|man|lady|someone|somebody|"
    r"teacher|coach|tutor|teammate|classmate|"
    r"tiktok|video|youtube|instagram|facebook|workmate|co-?worker)s?\b"
)
_LIFTING = re.compile(
    r"\b(?:deadlift\w*|lift\w*|squat\w*|gym|training|bench press\w*|weights|pulled|pushing|"
    r"carrying|moving (?:a|the) \w+)\b"
)
# Someone else's death by suicide ("lad on the wing topped himself last month"): a loss to talk
# about, not a crisis of theirs that anyone can still act on
_THEIR_SUICIDE = re.compile(
    r"\b(?:killed|topped|hanged|hung) (?:him|her|them)sel(?:f|ves)\b|\btook (?:his|her|their) own "
    r"life\b"
)
# said at the end: "… He is awake now, he says it's nothing. I write for him."
_WRITE_FOR_THEM = re.compile(
    r"\bi (?:write|am writing|type|am typing) (?:this )?for (?:him|her|them)\b"
)
_REPORT_SUBJECT = re.compile(
    r"\b(?:employee|claimant|injured party|member of staff|staff member|service user)\b"
)
_GOT_HELP = re.compile(
    r"\b(?:he|she|they) (?:has|have|has now|have now|is|are) (?:got |getting |found |now getting )?"
    r"(?:help|support|professional help|treatment|a counsellor|a therapist)(?: now)?\b|"
    r"\b(?:he|she|they) (?:is|are) (?:now )?(?:with|under) (?:the )?(?:crisis|mental health) team\b"
)
_VET = re.compile(r"\bvets?\b")
_PERSON_WORD = re.compile(r"\b(?:" + FAMILY + r"|friend|mate|colleague|neighbou?r|boss)s?\b")
_THEY_DIED = re.compile(
    r"\b(?:passed away|passed on|passed from|died|lost (?:him|her) to|my late)\b|"
    r"\bpassed(?= *(?:$|[.,;!?]|last|recently|in (?:19|20)\d\d))"
)
_QUESTION_WORD = re.compile(r"\W*(?:is|are|can|could|does|do|should|will|would|what|how|why)\b")
_FIRST_PERSON_NEAR = re.compile(r"(?: \w+)?? (?:my|me|i)\b")
# General claims and questions are not a report of symptoms ("my friend says back pain with
# weight loss means cancer", "is back pain genetic?").
_GENERAL_CLAIM = re.compile(
    r"\b(?:says?|said|told|tells|reckons?|heard|read)\b.*\b(?:means?|signs?|causes?|linked)\b"
)


# Hearsay about someone's relative: "Colleague said her husband couldn't feel his legs after
# his back op" (that person is nobody the writer cares for)
_HEARSAY = re.compile(
    r"\b(?:colleague|friend|mate|neighbou?r|workmate|co-?worker|someone|somebody|(?:a |some |this )?"
    r"(?:woman|man|lady|guy|bloke|fella))s? (?:at (?:work|church|the gym|the mosque|the temple|"
    r"the pub|the club|school)|from (?:work|church|the gym|the mosque))? ?(?:said|told me|says|"
    r"mentioned|was saying)(?: that)? (?:her|his|their) "
)


_WRITER_CONTRAST = re.compile(
    r"\b(?:mine (?:is|has|was|started|came|began|just)|does (?:that|this|it) apply to me|"
    # "Could that happen to me?", "should I worry about my regular old backache?", "worried
    # about mine"
    r"(?:could|can|will|would|might) (?:that|this|it|the same) (?:\S+ )?happen to me|"
    r"i (?:have not|do not have|have no) (?:got )?(?:any )?(?:\S+ )?(?:symptoms?|problems?) "
    r"(?:myself|like that)|wonder\w* about (?:mine|my own)|"
    r"(?:can|could|does) (?:that|this) (?:really |actually )?happen\b|"
    r"(?:should|do|must|need) i (?:\S+ )?(?:worry|be worried|panic) about (?:my|mine)\b|"
    r"(?:worried|worrying|scared|paranoid|anxious) about (?:mine|my own)\b|"
    r"(?:what|how) about (?:me|mine)|i (?:do not|have not|never) (?:have|had|got)\b|"
    r"my (?:own )?back (?:is|has been) (?:only|just)|as for me)"
)
# ... and the story is second-hand or about someone further away: "my friend at work said her
# uncle", "my partner's uncle", "my friend with HIV was told" (not "my husband fainted")
_REMOVED_STORY = re.compile(
    r"\b(?:said|says|told me|was told|were told|heard|read)\b|\b(?:her|his|their|partner|"
    r"friend|colleague|neighbou?r|mate)s? (?:uncle|aunt|auntie|cousin|friend|dad|father|mum|"
    r"mother|brother|sister|grandad|grandma|nan|colleague|neighbou?r)\b|"
    # a friend or the wider family, not someone the writer speaks for
    r"\b(?:friend|colleague|neighbou?r|mate|pal|uncle|aunt|auntie|cousin|fella|bloke|guy|chap|"
    r"in-laws?|(?:brother|sister|mother|father|son|daughter)-in-law|"
    r"lady|woman|man|someone|somebody|teammate|team ?mate)s?\b"
)
# a symptom that is recent keeps its red flags: "my friend says her dad cannot pee since
# yesterday" is still told as an emergency for him
_HAPPENING_NOW = re.compile(
    r"\b(?:now|today|tonight|this (?:morning|afternoon|evening|week)|currently|still|right now|"
    r"at the moment|since|yesterday|last night|hours? ago)\b"
)
# the writer's own feeling now, not the story happening now: "Now I'm paranoid."
_WRITER_FEELS_NOW = re.compile(
    r"\bnow (?:i am|i feel|i have been|i keep) (?:\S+ )?(?:paranoid|worried|worrying|scared|"
    r"anxious|panicking|terrified|nervous|freaking out|wondering|thinking|overthinking)\b"
)


def _happening_now(text: str) -> bool:
    """True when the message tells something happening now, not just the writer's feeling now
    ("… and now I'm paranoid")."""
    return bool(_HAPPENING_NOW.search(_WRITER_FEELS_NOW.sub(" ", text)))


# Someone else already in a clinician's hands: "the ambulance came", "went to hospital by
# ambulance", "got taken out" (from prison to hospital), "he sees his own doctor"
IN_SOMEONES_CARE = (
    r"\b(?:(?:the )?ambulance (?:came|took (?:him|her|them)|was called|arrived)|went (?:to|into) "
    r"(?:hospital|a and e|the hospital)|(?:by|in an?|in the) ambulance|got taken out|(?:sees?|"
    r"seeing|saw|is under) (?:his|her|their) (?:own )?(?:doctor|gp|consultant|specialist|"
    r"surgeon)|"
    # "he is seeing the cardiologist tomorrow"
    r"(?:he|she|they) (?:is|are) (?:seeing|booked in with|being seen by) (?:the|a|his|her|their) "
    r"(?:\S+ )?(?:doctor|gp|consultant|specialist|surgeon|cardiologist|neurologist|oncologist|"
    r"urologist|team))\b"
)
_IN_SOMEONES_CARE = re.compile(IN_SOMEONES_CARE)
_ALREADY_IN_HOSPITAL = re.compile(
    r"\b(?:ended up|was|were|is|are|been|spent \S+ (?:days?|weeks?)) (?:\S+ )?in (?:hospital|"
    r"a&e|intensive care|icu)\b|\bthey operated\b|\bhad (?:an |the )?(?:operation|surgery)\b|"
    r"\bhad to have (?:an? |the )?(?:emergency |urgent |major )?(?:operation|surgery|op)\b|"
    r"\bended up (?:having|needing|with) (?:an? |the )?(?:emergency |urgent )?(?:surgery|operation|"
    r"op)\b|"
    # "she is at the hospital now with her husband, doctors are on it", "she has been sorted at
    # the hospital", "they found a fracture in her spine"
    r"\b(?:is|are|was|were) (?:now |still )?at (?:the )?hospital\b|\bdoctors? (?:are|is|were|was) "
    r"(?:on it|with (?:him|her|them)|looking after)\b|\b(?:been|got|was|were|is|are) (?:all )?"
    r"sorted (?:out )?(?:at|by|in) (?:the )?(?:hospital|doctors?|a and e|gp)\b|"
    r"\b(?:they|the doctors?|the hospital|the x-?ray|the scan|the mri) (?:\S+ )?(?:found|showed|"
    r"confirmed|diagnosed)\b|" + IN_SOMEONES_CARE
)
# A relative's chest pain already in a doctor's hands or long past: "he's seeing the
# cardiologist tomorrow", "The husband's in hospital with chest pains", "my dad died of a
# heart attack at 60"
_CHEST_IN_HAND = re.compile(
    r"\b(?:cardiolog\w*|heart (?:doctor|specialist|clinic)|ambulance|paramedics?|died|passed "
    r"away|in (?:hospital|a&e|a and e|intensive care|icu|the hospital))\b"
)
_FICTION = re.compile(
    r"\b(?:tv|television|drama|film|movie|show|series|soap|documentary|video|book|novel|podcast|"
    r"article|episode|story)\b (?:\S+ ){0,3}?(?:where|in which|about|when)\b|"
    # "saw on This Morning about a man who …", "watching casualty and a guy had …"
    r"\b(?:saw|seen|watched|heard) (?:it |something )?on (?:\S+ ){1,3}?(?:about|where|that)\b|"
    r"\bwatching (?:\S+ ){1,3}?and (?:a|this|some) (?:\S+ )?(?:guy|man|woman|lady|bloke|girl|"
    r"boy|character|patient)\b"
)


def _describes_their_pain(theirs: AnalysedText) -> bool:
    """True when the message describes the other person's own back or leg pain, or a recent
    back operation: a relative's red flag needs that context, so that "my son wets the bed,
    lifting him hurts my back" or "my grandmother had bone cancer, is back pain genetic?"
    stay the writer's own (benign) question."""
    sentences: dict[int, tuple[int, int]] = {}
    for clause in theirs.clauses:
        first, _ = sentences.get(clause.sentence, (clause.start, clause.end))
        sentences[clause.sentence] = (first, clause.end)
    for clause in theirs.clauses:
        words = theirs.text[clause.start : clause.end]
        # the person may be named in another clause of the same statement: "my brother he
        # have disc problem, now from today the pain go in two legs" (not in a question:
        # "my dad has an aneurysm, is back pain a sign of it?")
        start, end = sentences[clause.sentence]
        whole = theirs.text[start:end]
        if (
            _GENERAL_CLAIM.search(words)
            or _HEARSAY.search(whole)
            or _THEY_DIED.search(whole)
            or _FICTION.search(whole)
            or _ALREADY_IN_HOSPITAL.search(whole)
        ):
            # a claim, someone who has died ("my aunt passed from pancreatic cancer"), a
            # story ("a TV drama where someone lost control of their bladder"), or someone
            # already cared for ("my mate's sciatica went down both legs and he ended up in
            # hospital")
            continue
        question = "?" in theirs.text[end : end + 2] or bool(_QUESTION_WORD.match(words))
        context = words if question else whole
        about_them = (
            _THIRD_PERSON.search(context)
            or _OTHER_PERSON_WORDS.search(context)
            or continues_other(theirs.text, theirs.clauses, clause.sentence)
        )
        if not about_them:
            continue
        if _THEIR_BACK.search(context) or (
            not question and (_THEIR_BACK_NAMED.search(context) or _THEIR_NERVES.search(context))
        ):
            return True
        # their back pain, even long-standing ("he's had back trouble for years but this
        # weakness is new"): the context is their back
        their_pain = [
            m
            for m in theirs.mentions
            if m.concept == "pain" and not (m.negated or m.hypothetical or m.other_person)
        ]
        for m in their_pain:
            writer_s = _FIRST_PERSON_NEAR.match(theirs.text, m.end) or "my" in m.text.split()
            if clause.start <= m.start < clause.end and not writer_s:
                return True
    return False


def _their_findings(analysed: AnalysedText, profile: PatientProfile) -> list[Finding]:
    """Red flags of the other person a message describes ("my dad can't pee and his bum is
    numb"): a relative writing for someone who needs emergency care now must be told so.

    The same rules read the message from that person's point of view, without the patient's
    profile (it is not theirs); only red flags (urgent, emergency) are kept, so a relative's
    ordinary back ache never makes the patient's own message routine. A message written for
    the patient ("Writing for my dad") is the exception: the account's profile is theirs and
    their routine findings count."""
    if (
        _WRITER_CONTRAST.search(analysed.text)
        and _REMOVED_STORY.search(analysed.text)
        and not _happening_now(analysed.text)
    ):
        # someone else's past story told to ask about the writer's own ordinary pain: "my
        # partner's uncle had cancer that started as back pain. Mine started after a 10k"
        return []
    # "… couldn't wee for a day and had surgery. He's completely fine now.": nobody needs care
    # now, except for thoughts of suicide ("she says it's passed and she's ok now" still needs
    # someone to talk with her today)
    recovered = bool(_THEY_RECOVERED.search(analysed.text)) and not _HAPPENING_NOW.search(
        _THEY_RECOVERED.sub(" ", analysed.text)
    )
    if _VET.search(analysed.text) and not _PERSON_WORD.search(analysed.text):
        return []  # "the vet says my spaniel might lose control of his bladder": the dog's
    # a form or note about the patient counts as written for them: "HR incident log -
    # employee (warehouse operative, 34) reported lower back pain … she wet herself"
    written_for = bool(
        ON_BEHALF.match(analysed.text)
        or _REPORT_SUBJECT.search(analysed.text)
        or _WRITE_FOR_THEM.search(analysed.text)
    )
    # a friend's or a colleague's past story ("my mate at work had bladder problems after his
    # back op, put me right off"): nobody here needs care now (thoughts of suicide still count)
    strangers_story = (
        not written_for
        and bool(_NOT_IN_THEIR_CARE.search(analysed.text))
        and not _FAMILY_WORD.search(analysed.text)
        and not _happening_now(analysed.text)
        and not _STILL_GOING.search(analysed.text)
    )
    # someone outside the family whose thoughts of suicide are already in other hands: "someone
    # in my support group talked about suicide … she has got help now"
    stranger_helped = (
        not written_for
        and bool(_NOT_IN_THEIR_CARE.search(analysed.text))
        and not _FAMILY_WORD.search(analysed.text)
        and bool(_GOT_HELP.search(analysed.text))
    )
    theirs = analysed.about_other_person()
    # written for them ("Typing for my great-uncle, he is 87"): they are the patient, so the
    # profile is theirs, their routine findings count too, and a red flag needs no mention of
    # their back
    theirs_profile = profile if written_for else PatientProfile()
    found = _findings(theirs, theirs_profile)
    found += _broad_findings(theirs, theirs_profile, found)
    describes_back = _describes_their_pain(theirs)
    return [
        replace(f, about_other_person=True, reason=f"Someone you describe: {f.reason}")
        for f in found
        if (
            f.level in RED_FLAG_LEVELS
            and not ((strangers_story or recovered) and f.category != "crisis")
            and not (
                f.category == "crisis"
                and (
                    stranger_helped
                    or all(_THEIR_SUICIDE.search(e) for e in f.evidence if not e.startswith("("))
                )
            )
            and (
                describes_back
                or written_for
                # thoughts of suicide need no back ("my dad sometimes feels like ending it
                # all"), nor does a spreading or traumatic nerve deficit in their legs, nor a
                # relative's chest pain now ("my nan says her chest feels heavy like an
                # elephant is sitting on it")
                or f.category == "crisis"
                or (
                    f.code == "chest_pain"
                    and bool(_FAMILY_WORD.search(analysed.text))
                    and bool(_STILL_GOING.search(analysed.text))
                    and not _ALREADY_IN_HOSPITAL.search(analysed.text)
                    and not _CHEST_IN_HAND.search(analysed.text)
                )
                or (
                    (f.category == "neuro_deficit" or f.code == "trauma_with_neuro_deficit")
                    # (a friend's counts when it is happening now: "my friend is with me now,
                    # he fell off a ladder and can't feel his legs")
                    and not (
                        _NOT_IN_THEIR_CARE.search(analysed.text)
                        and not _happening_now(analysed.text)
                    )
                    and not _IN_SOMEONES_CARE.search(analysed.text)
                )
            )
        )
        or (written_for and f.level == "routine")
    ]


def combine(result: TriageResult, extra: list[Finding] | tuple[Finding, ...]) -> TriageResult:
    """``result`` with ``extra`` findings added (e.g. from the semantic safety net).

    The level can only go up; advice, notification and citations follow the new level.
    """
    if not extra:
        return result
    found = [*result.findings, *extra]
    level: Level = result.level
    for finding in found:
        if level_rank(finding.level) > level_rank(level):
            level = finding.level
    findings = tuple(sorted(found, key=lambda f: -level_rank(f.level)))
    citations = tuple(dict.fromkeys(s for f in findings for s in f.sources if f.level == level))
    return TriageResult(
        level=level,
        findings=findings,
        advice=advice_for(level, findings),
        notify_care_team=level in RED_FLAG_LEVELS,
        citations=citations or result.citations,
    )


_WRECKED = re.compile(
    r"\b(?:destroy\w*|written off|write-? ?off|totall?ed|wrecked|airbags? (?:went off|deployed)|"
    r"rolled (?:over|the car))"
)


def _findings(a: AnalysedText, profile: PatientProfile) -> list[Finding]:
    out: list[Finding] = []
    age = profile.age if profile.age is not None else age_from_text(a)
    pain = a.active("pain")
    core = ("NICE NG59", "IFOMPT 2020")

    # --- cauda equina syndrome: any one feature is an emergency (GIRFT CES pathway 2023) ---
    ces = ("GIRFT CES 2023", *core)
    if m := a.active("saddle_anaesthesia"):
        out.append(
            Finding(
                "ces_saddle_anaesthesia",
                "cauda_equina",
                "emergency",
                "Numbness or altered feeling between the legs, around the back passage or "
                "genitals (saddle area) can be a sign of cauda equina syndrome.",
                _evidence(*m),
                ces,
            )
        )
    if m := [
        x
        for x in a.active("bladder_bowel_dysfunction")
        # "laughed at something on telly and wet myself a little. Baby is 5 weeks": the pelvic
        # floor after a birth, not cauda equina
        if not (stress_incontinence(a.text) and WETTING.search(x.text))
    ]:
        out.append(
            Finding(
                "ces_bladder_bowel",
                "cauda_equina",
                "emergency",
                "New difficulty passing urine, loss of bladder or bowel control, or not feeling "
                "when the bladder is full can be a sign of cauda equina syndrome.",
                _evidence(*m),
                ces,
            )
        )
    bilateral = [
        m
        for m in a.active("bilateral_leg_symptoms")
        # "my legs felt weak after the long run", "calves burning after hill walking"
        if not tired_after_exertion(_sentence_text(a, m), m.text)
        # "legs ache and go numbish after 10 minutes walking, sitting on a bench eases it"
        and not claudication_symptom(a.text, m.text)
    ]
    if a.has("claudication") and all(
        re.fullmatch(r"ach\w*|pain\w*|hurt\w*|sore", m.text) for m in bilateral
    ):
        bilateral = []  # "both legs ache after standing all day": claudication (routine)
    if m := bilateral:
        out.append(
            Finding(
                "ces_bilateral_sciatica",
                "cauda_equina",
                "emergency",
                "Sciatica, numbness or weakness in both legs can be a sign of cauda equina "
                "syndrome.",
                _evidence(*m),
                ces,
            )
        )
    if m := a.active("sexual_dysfunction"):
        out.append(
            Finding(
                "ces_sexual_dysfunction",
                "cauda_equina",
                "emergency",
                "New loss of sexual function or genital sensation with back pain can be a sign "
                "of cauda equina syndrome.",
                _evidence(*m),
                ces,
            )
        )

    # --- neurological deficit ----------------------------------------------------------------
    weakness = [
        m
        for m in a.active("leg_weakness")
        if not tired_after_exertion(_sentence_text(a, m), m.text)
        # "legs ache and go numbish after 10 minutes walking, sitting on a bench eases it"
        and not claudication_symptom(a.text, m.text)
    ]
    foot_drop = a.active("foot_drop")
    sensory = a.active("limb_sensory")
    progression = [m for m in a.active("progression") if not _compared_and_stable(a, m)]
    deficits = weakness + foot_drop + sensory
    progressive = _near(a, deficits, progression) or [
        d for d in deficits for p in progression if _continues_the_deficit(a, d, p)
    ]
    if progressive:
        out.append(
            Finding(
                "progressive_neuro_deficit",
                "neuro_deficit",
                "emergency",
                "Weakness or numbness in the leg that is getting worse (a progressive "
                "neurological deficit) needs emergency assessment.",
                _evidence(*progressive, *_near(a, progression, deficits)),
                core,
            )
        )
    if foot_drop:
        out.append(
            Finding(
                "foot_drop",
                "neuro_deficit",
                "emergency",
                "Not being able to lift the foot or toes (foot drop) is a severe loss of nerve "
                "function and needs emergency assessment.",
                _evidence(*foot_drop),
                core,
            )
        )
    if weakness and not progressive:
        out.append(
            Finding(
                "new_leg_weakness",
                "neuro_deficit",
                "urgent",
                "New weakness in the leg needs a same-day clinical examination.",
                _evidence(*weakness),
                core,
            )
        )

    # --- fracture (Downie et al. 2013) --------------------------------------------------------
    fracture_src = ("Downie 2013", *core)
    # "a small fall off my bike onto grass" is described by the patient as minor
    major = [
        m
        for m in a.active("significant_trauma")
        if not (
            re.search(r"\b(?:small|minor|little|slight|gentle|tiny)\s+$", a.text[: m.start])
            # unless the damage says otherwise: "small car accident, the car is destroyed"
            and not _WRECKED.search(a.text)
        )
        # "feel like I've been hit by a bus": a figure of speech for aching all over
        and not AS_IF.search(a.text[max(0, m.start - 30) : m.start])
    ]
    if major and (deficits or a.has("bilateral_leg_symptoms")):
        out.append(
            Finding(
                "trauma_with_neuro_deficit",
                "fracture",
                "emergency",
                "A significant injury followed by numbness, tingling or weakness in the legs "
                "may mean a spinal fracture pressing on nerves.",
                _evidence(*major, *deficits, *a.active("bilateral_leg_symptoms")),
                fracture_src,
            )
        )
    elif major and not injury_cleared(a.text):
        out.append(
            Finding(
                "fracture_significant_trauma",
                "fracture",
                "urgent",
                "Back pain after a significant injury (fall from height or down stairs, road "
                "accident, sports collision) needs an examination for a spinal fracture.",
                _evidence(*major),
                fracture_src,
            )
        )
    fracture_words = [
        m
        for m in a.active("fracture_words")
        if not ("crack" in m.text and _JOINT_NOISE.search(_sentence_text(a, m)))
    ]
    if m := fracture_words:
        out.append(
            Finding(
                "fracture_suspected",
                "fracture",
                "urgent",
                "A possible broken bone in the spine needs a same-day assessment.",
                _evidence(*m),
                fracture_src,
            )
        )
    minor = [
        m
        for m in a.active("minor_trauma")
        # "I can go further bent over the trolley": the posture that eases claudication
        if not claudication_posture(a.text, m.text)
    ]
    osteoporosis = profile.osteoporosis or a.has("osteoporosis")
    steroid_mentions = [m for m in a.active("steroids") if _LONG_TERM.search(_sentence_text(a, m))]
    steroids = profile.long_term_steroids or bool(steroid_mentions)
    old = age is not None and age >= FRACTURE_AGE_YEARS
    # a felt crack or snap is itself the event to worry about, even if pain is not named
    felt_give = any(re.search(r"crack|snap|pop|gave|went|crunch", m.text) for m in minor)
    if minor and (pain or felt_give) and not major and (osteoporosis or steroids or old):
        risks = [
            name
            for name, present in (
                ("osteoporosis", osteoporosis),
                ("long-term steroid use", steroids),
                (f"age {age}", old),
            )
            if present
        ]
        out.append(
            Finding(
                "fracture_minor_trauma_risk",
                "fracture",
                "urgent",
                "A minor fall, lift, cough or sneeze can break a weakened vertebra; with "
                f"{' and '.join(risks)} this back pain needs a same-day check for a fracture.",
                _evidence(*minor, *a.active("osteoporosis"), *steroid_mentions),
                fracture_src,
            )
        )

    # --- infection ------------------------------------------------------------------------------
    fever = a.active("fever")
    back_fine = a.has("back_fine")
    immuno = profile.immunosuppressed or a.has("immunosuppression")
    if fever and back_fine:
        out.append(
            Finding(
                "fever_without_back_pain",
                "review",
                "routine",
                "A fever without back pain is not a spinal red flag, but see your GP or "
                "pharmacist if you feel unwell.",
                _evidence(*fever),
                ("NICE NG59",),
            )
        )
    elif fever:
        reason = "Fever or shivering together with back pain can be a sign of a spinal infection."
        if immuno:
            reason += " A weakened immune system makes infection more likely."
        out.append(
            Finding(
                "infection_fever",
                "infection",
                "urgent",
                reason,
                _evidence(*fever, *a.active("immunosuppression")),
                core,
            )
        )
    # A weakened immune system (HIV, transplant drugs, chemotherapy, biologics, methotrexate,
    # long-term oral steroids) is a risk factor for spinal infection (IFOMPT 2020): back pain
    # that is not the patient's usual long-standing or clearly mechanical pain needs a same-day
    # check even without a fever.
    immune_risk = immuno or steroids
    # "for years" must be about the pain: "on steroid tablets for years. New back pain …"
    # (and a pain called new is new: "on pred for 2 years … now there's a new nagging pain")
    usual = any(
        _USUAL_PAIN.search(_sentence_text(a, m)) and not _NEW_PAIN.search(_sentence_text(a, m))
        for m in pain
    )
    # … nor a side effect the writer names ("capecitabine is making my feet sore")
    usual = usual or all(SIDE_EFFECT_SAID.search(_sentence_text(a, m)) for m in pain)
    if immune_risk and pain and not usual and not fever and not a.has("back_fine"):
        out.append(
            Finding(
                "infection_immunosuppressed",
                "infection",
                "urgent",
                "New or worsening back pain with a weakened immune system (for example HIV, "
                "transplant medicines, chemotherapy, biologics or long-term steroids) can be a "
                "sign of a spinal infection.",
                _evidence(*a.active("immunosuppression"), *steroid_mentions, *pain[:1]),
                core,
            )
        )
    if (m := a.active("iv_drug_use")) and pain:
        out.append(
            Finding(
                "infection_iv_drug_use",
                "infection",
                "urgent",
                "Back pain in someone who injects drugs can be a sign of a spinal infection.",
                _evidence(*m),
                core,
            )
        )
    if (w := a.active("wound_signs")) and a.has("spinal_procedure"):
        out.append(
            Finding(
                "infection_after_procedure",
                "infection",
                "urgent",
                "A red, hot or leaking wound after a spinal injection or operation can be an "
                "infection.",
                _evidence(*w, *a.active("spinal_procedure")),
                core,
            )
        )

    # --- malignancy (NICE NG234; Downie et al. 2013) ---------------------------------------------
    cancer_src = ("NICE NG234", "Downie 2013", *core)
    cancer = a.active("cancer")
    # long-standing pain that has changed counts as new: "I have the back pain since years, I
    # know it, but now it is different, stronger and in other place" (NICE NG234: new or
    # changed pain in someone who has had cancer)
    changed = [m for m in a.mentions if m.concept == "new_onset" and _CHANGED.fullmatch(m.text)]
    own_pain = [m for m in a.mentions if m.concept == "pain" and not (m.negated or m.hypothetical)]
    new_pain = (pain and a.has("new_onset")) or bool(changed and own_pain)
    # (not "the same old ache I've had since my 30s, nothing changed")
    usual_pain = any(_SAME_PAIN.search(_sentence_text(a, m)) for m in pain)
    if (cancer or profile.cancer_history) and new_pain and not usual_pain:
        out.append(
            Finding(
                "malignancy_cancer_history",
                "malignancy",
                "urgent",
                "New or changing back pain in someone who has had cancer must be checked for "
                "spread to the spine.",
                _evidence(*cancer, *a.active("new_onset")),
                cancer_src,
            )
        )
    weight = a.active("weight_loss")
    if weight:
        intended = a.active("weight_loss_intended")
        unexplained = a.active("weight_loss_unexplained")
        # the reason may be a sentence away when it can mean nothing else: "Slimming World
        # weigh-in: 'lost 8kg!'", "lost 8kg since september!! on purpose"
        explained = _near(a, weight, intended) or [
            w
            for w in weight
            for i in intended
            if abs(a.sentence_of(w.start) - a.sentence_of(i.start)) <= 1 and _DIETING.search(i.text)
        ]
        if unexplained or not explained:
            out.append(
                Finding(
                    "malignancy_weight_loss",
                    "malignancy",
                    "urgent",
                    "Losing weight without trying, together with back pain, needs to be checked "
                    "by a doctor soon.",
                    _evidence(*weight, *unexplained),
                    cancer_src,
                )
            )
    night = a.active("night")
    unrelenting = a.active("unrelenting")
    if night and unrelenting:
        out.append(
            Finding(
                "malignancy_night_pain",
                "malignancy",
                "urgent",
                "Pain that is constant, not eased by rest or any position and present through "
                "the night needs a medical assessment soon.",
                _evidence(*night, *unrelenting),
                cancer_src,
            )
        )

    # --- aorta, heart and other emergencies -----------------------------------------------------
    aaa_src = ("NICE NG156", *core)
    tearing = [
        m
        for m in a.active("tearing_pain")
        # "felt like something tore in my back when I deadlifted": a strain, not the aorta
        if not (m.text.startswith("something") and _LIFTING.search(_sentence_text(a, m)))
    ]
    if m := tearing:
        out.append(
            Finding(
                "aaa_tearing_pain",
                "aaa",
                "emergency",
                "Sudden tearing or ripping pain in the back or belly can come from the aorta "
                "(aneurysm or dissection).",
                _evidence(*m),
                aaa_src,
            )
        )
    if m := a.active("pulsatile_abdomen"):
        out.append(
            Finding(
                "aaa_pulsatile_mass",
                "aaa",
                "emergency",
                "A pulsing lump in the belly with back pain can be an abdominal aortic aneurysm.",
                _evidence(*m),
                aaa_src,
            )
        )
    if (m := a.active("aneurysm")) and pain:
        out.append(
            Finding(
                "aaa_known_with_pain",
                "aaa",
                "emergency",
                "New back or belly pain in someone with an aortic aneurysm can mean it is leaking.",
                _evidence(*m),
                aaa_src,
            )
        )
    sudden = a.active("sudden_onset")
    severe = a.active("severe")
    collapse = a.active("collapse")
    abdomen = a.active("abdomen")
    period = a.has("period_pain")
    if severe and abdomen and pain and not period and (sudden or collapse or age is not None):
        # NICE NG156: a symptomatic aneurysm presents with abdominal or back pain; it is rare
        # under 50, so sudden severe pain at an unknown age is treated as if older.
        older = age is None or age >= AAA_AGE_YEARS
        aaa_level: Level = "emergency" if (collapse or (older and (sudden or age))) else "urgent"
        out.append(
            Finding(
                "aaa_severe_abdominal_back_pain",
                "aaa",
                aaa_level,
                "Severe pain in the belly and back can come from the aorta or another abdominal "
                "emergency.",
                _evidence(*sudden, *severe, *abdomen, *collapse),
                aaa_src,
            )
        )
    elif severe and abdomen and pain and not period and not a.has("medication_side_effect"):
        # "the naproxen … is giving me awful stomach ache": a side effect (routine)
        out.append(
            Finding(
                "severe_abdominal_back_pain",
                "aaa",
                "urgent",
                "Severe pain in the belly and back needs a same-day medical assessment.",
                _evidence(*severe, *abdomen),
                aaa_src,
            )
        )
    elif pain and (
        (syncope := [m for m in collapse if is_syncope(a.text, m.start, m.text)])
        or _faint_with_pain(collapse, sudden or severe, a.has("new_onset"), age)
    ):
        # fainting with back pain is an emergency however the pain is described (NICE NG156:
        # collapse with back or abdominal pain suggests a ruptured aneurysm); feeling faint or
        # clammy counts when the pain is sudden or severe, or new from the age of 50
        out.append(
            Finding(
                "collapse_with_pain",
                "aaa",
                "emergency",
                "Fainting or collapsing with back pain, or feeling faint with sudden severe "
                "back pain, needs emergency care.",
                _evidence(*(syncope or collapse), *sudden, *severe),
                aaa_src,
            )
        )
    if m := a.active("chest_pain"):
        out.append(
            Finding(
                "chest_pain",
                "cardiac",
                "emergency",
                "Chest pain, especially spreading to the back, arm or jaw, can be a heart or "
                "aortic emergency.",
                _evidence(*m),
                core,
            )
        )
    if m := [
        x for x in a.active("suicidal") if not about_people_in_general(a.text, x.start, x.end)
    ]:
        out.append(
            Finding(
                "suicidal_thoughts",
                "crisis",
                "emergency",
                "Thoughts of ending your life matter as much as any physical symptom.",
                _evidence(*m),
                ("NICE NG225",),
            )
        )
    elif any(
        m.concept in ("suicidal", "crisis_line")
        and not m.other_person
        and not m.negated
        # "can chronic pain make people suicidal?" asks about people in general
        and not general_crisis_question(a.text, m.start, m.end)
        for m in a.mentions
    ):
        # past or hypothetical mention: do not dismiss it, but do not send an ambulance
        out.append(
            Finding(
                "suicide_mentioned",
                "crisis",
                "urgent",
                "You mentioned suicide or self-harm; someone from your care team should talk "
                "with you today.",
                _evidence(*(m for m in a.mentions if m.concept in ("suicidal", "crisis_line"))),
                ("NICE NG225",),
            )
        )

    elif any(m.concept == "suicidal" and not m.other_person for m in a.mentions):
        # denied ("not feeling suicidal, just fed up"): not a red flag, but low mood with pain
        # is worth a conversation with the care team
        out.append(
            Finding(
                "mood_mentioned",
                "review",
                "routine",
                "Living with pain can wear anyone down; tell your care team how you are feeling, "
                "they can help with that too.",
                _evidence(*(m for m in a.mentions if m.concept == "suicidal")),
                ("NICE NG225",),
            )
        )

    # Severe back pain in pregnancy can be labour, a kidney infection or a placental problem:
    # the midwife or maternity triage should see her today (NICE NG201).
    pregnant = a.active("pregnancy")
    if pregnant and (severe or a.has("cannot_walk")):
        out.append(
            Finding(
                "pregnancy_severe_pain",
                "pregnancy",
                "urgent",
                "Severe back pain in pregnancy needs to be checked today: call your midwife or "
                "maternity triage unit.",
                _evidence(*pregnant, *severe),
                ("NICE NG201",),
            )
        )
    # IFOMPT 2020 (malignancy): age over 50 with constant or thoracic pain and no previous
    # back trouble; two weak risk indicators together warrant a same-day look.
    if (
        age is not None
        and age >= FIRST_EPISODE_REVIEW_AGE_YEARS
        and a.has("first_episode")
        and (a.has("unrelenting") or a.has("thoracic"))
    ):
        out.append(
            Finding(
                "first_episode_over_50_constant",
                "malignancy",
                "urgent",
                f"A first episode of constant or upper-back pain at {age} should be checked by a "
                "doctor soon.",
                _evidence(
                    *a.active("first_episode"), *a.active("unrelenting"), *a.active("thoracic")
                ),
                ("IFOMPT 2020", "Downie 2013"),
            )
        )

    # --- routine review -----------------------------------------------------------------------
    if (m := a.active("radicular_one_leg")) or sensory:
        out.append(
            Finding(
                "radicular_symptoms",
                "review",
                "routine",
                "Pain, numbness or tingling going down one leg (sciatica) is worth a review by "
                "your physiotherapist or GP if it is not settling.",
                _evidence(*m, *sensory),
                ("NICE NG59",),
            )
        )
    if m := a.active("persistent"):
        out.append(
            Finding(
                "persistent_pain",
                "review",
                "routine",
                "Pain that has lasted more than about six weeks or is not improving deserves a "
                "review of your plan.",
                _evidence(*m),
                ("NICE NG59",),
            )
        )
    if age is not None and age >= FIRST_EPISODE_REVIEW_AGE_YEARS and a.has("first_episode"):
        out.append(
            Finding(
                "first_episode_over_50",
                "review",
                "routine",
                f"A first episode of back pain at {age} is worth a check by a clinician.",
                _evidence(*a.active("first_episode")),
                ("IFOMPT 2020",),
            )
        )
    elif old and pain:
        out.append(
            Finding(
                "older_age_pain",
                "review",
                "routine",
                f"At {age}, new back pain is worth a check by a clinician.",
                _evidence(*pain),
                ("Downie 2013",),
            )
        )
    risk_factors = (
        cancer or profile.cancer_history or osteoporosis or steroids or immuno
    ) or a.has("iv_drug_use")
    if risk_factors and pain and not any(f.level in RED_FLAG_LEVELS for f in out):
        out.append(
            Finding(
                "risk_factor_review",
                "review",
                "routine",
                "Your history (cancer, osteoporosis, steroids or a weakened immune system) means "
                "your clinician should know about this pain.",
                _evidence(*pain),
                ("IFOMPT 2020",),
            )
        )
    for concept, code, reason in (
        (
            "medication_side_effect",
            "medication_side_effect",
            "Possible side effects of a medicine: ask your pharmacist or GP before changing it.",
        ),
        (
            "pregnancy",
            "pregnancy",
            "In pregnancy, check exercises and medicines with your midwife or GP.",
        ),
        (
            "claudication",
            "neurogenic_claudication",
            "Legs that tire or ache with walking and ease with rest are worth a clinician's "
            "review.",
        ),
        (
            "inflammatory_pattern",
            "inflammatory_pattern",
            "Morning stiffness that eases with movement can be inflammatory back pain; a "
            "clinician should review it.",
        ),
    ):
        if m := a.active(concept):
            out.append(Finding(code, "review", "routine", reason, _evidence(*m), ("NICE NG59",)))
    return out


_CES = ("GIRFT CES 2023", "NICE NG59", "IFOMPT 2020")
_CORE = ("NICE NG59", "IFOMPT 2020")
_FRACTURE = ("Downie 2013", *_CORE)
_CANCER = ("NICE NG234", "Downie 2013", *_CORE)
_AAA = ("NICE NG156", *_CORE)
# Reasons for findings of the broad danger vocabulary (danger.py), by finding code: the same
# codes, wording and sources as the precise rules above.
BROAD_REASONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ces_bladder_bowel": (
        "New difficulty passing urine, loss of bladder or bowel control, or not feeling when "
        "the bladder is full can be a sign of cauda equina syndrome.",
        _CES,
    ),
    "ces_saddle_anaesthesia": (
        "Numbness or altered feeling between the legs, around the back passage or genitals "
        "(saddle area) can be a sign of cauda equina syndrome.",
        _CES,
    ),
    "ces_sexual_dysfunction": (
        "New loss of sexual function or genital sensation with back pain can be a sign of "
        "cauda equina syndrome.",
        _CES,
    ),
    "ces_bilateral_sciatica": (
        "Sciatica, numbness or weakness in both legs can be a sign of cauda equina syndrome.",
        _CES,
    ),
    "foot_drop": (
        "Not being able to lift the foot or toes (foot drop) is a severe loss of nerve "
        "function and needs emergency assessment.",
        _CORE,
    ),
    "progressive_neuro_deficit": (
        "Weakness or numbness in the leg that is getting worse (a progressive neurological "
        "deficit) needs emergency assessment.",
        _CORE,
    ),
    "new_leg_weakness": ("New weakness in the leg needs a same-day clinical examination.", _CORE),
    "trauma_with_neuro_deficit": (
        "A significant injury followed by numbness, tingling or weakness may mean a spinal "
        "fracture pressing on nerves.",
        _FRACTURE,
    ),
    "fracture_significant_trauma": (
        "Back pain after a significant injury (fall from height or down stairs, road accident, "
        "sports collision) needs an examination for a spinal fracture.",
        _FRACTURE,
    ),
    "fracture_minor_trauma_risk": (
        "A minor fall, lift, cough or sneeze can break a weakened vertebra (osteoporosis, "
        "long-term steroids or older age): this needs a same-day check for a fracture.",
        _FRACTURE,
    ),
    "aaa_severe_abdominal_back_pain": (
        "Sudden or severe pain in the back and belly, a pulsing lump in the belly, tearing "
        "pain, or fainting with back pain can come from the aorta (aneurysm or dissection).",
        _AAA,
    ),
    "severe_abdominal_back_pain": (
        "Severe pain in the belly and back needs a same-day medical assessment.",
        _AAA,
    ),
    "chest_pain": (
        "Chest pain, especially spreading to the back, arm or jaw, can be a heart or aortic "
        "emergency.",
        _CORE,
    ),
    "suicidal_thoughts": (
        "Thoughts of ending your life matter as much as any physical symptom.",
        ("NICE NG225",),
    ),
    "suicide_mentioned": (
        "You mentioned suicide or self-harm; someone from your care team should talk with you "
        "today.",
        ("NICE NG225",),
    ),
    "infection_fever": (
        "Fever, shivering or feeling hot and unwell together with back pain can be a sign of a "
        "spinal infection.",
        _CORE,
    ),
    "infection_iv_drug_use": (
        "Back pain in someone who injects drugs can be a sign of a spinal infection.",
        _CORE,
    ),
    "infection_after_procedure": (
        "A red, hot or leaking wound after a spinal injection or operation can be an infection.",
        _CORE,
    ),
    "malignancy_cancer_history": (
        "New or changing back pain in someone who has had cancer must be checked for spread to "
        "the spine.",
        _CANCER,
    ),
    "malignancy_weight_loss": (
        "Losing weight without trying, together with back pain, needs to be checked by a "
        "doctor soon.",
        _CANCER,
    ),
    "malignancy_night_pain": (
        "Pain that is constant, not eased by rest or any position and present through the night "
        "needs a medical assessment soon.",
        _CANCER,
    ),
}
BROAD_EVIDENCE_NOTE = "(broad danger vocabulary)"


def _faint_with_pain(
    collapse: list[Mention], sudden_or_severe: list[Mention], new: bool, age: int | None
) -> bool:
    """Feeling faint or clammy (not an actual faint) that makes back pain an emergency."""
    fainting = any(m.text.startswith(("faint", "pass", "collaps", "black")) for m in collapse)
    if fainting and sudden_or_severe:
        return True
    presyncope = any(re.match(r"faint|clammy|cold sweat|grey|ashen|pale", m.text) for m in collapse)
    return presyncope and new and (age is None or age >= AAA_AGE_YEARS)


def _broad_findings(
    a: AnalysedText, profile: PatientProfile, found: list[Finding]
) -> list[Finding]:
    """Findings of the high-recall vocabulary screen (danger.py) the precise rules missed."""
    age = profile.age if profile.age is not None else age_from_text(a)
    steroid_mentions = [m for m in a.active("steroids") if _LONG_TERM.search(_sentence_text(a, m))]
    hits = broad_hits(
        a,
        age=age,
        cancer_history=profile.cancer_history,
        osteoporosis=profile.osteoporosis or a.has("osteoporosis"),
        long_term_steroids=profile.long_term_steroids or bool(steroid_mentions),
        immunosuppressed=profile.immunosuppressed or a.has("immunosuppression"),
    )
    have = {f.code: f.level for f in found}
    out: list[Finding] = []
    for h in hits:
        level: Level = h.level  # type: ignore[assignment]
        if h.code in have and level_rank(have[h.code]) >= level_rank(level):
            continue
        reason, sources = BROAD_REASONS[h.code]
        category = h.category
        out.append(
            Finding(h.code, category, level, reason, (*h.evidence, BROAD_EVIDENCE_NOTE), sources)
        )
        have[h.code] = level
    return out


# A state compared ("my right calf is weaker"), not a change over time ("getting weaker")
_COMPARED = re.compile(r"^is (?:\S+ )?(?:weaker|more numb)$")
# The writer says it is not changing: "been exactly the same for a week, not getting worse"
# (not about the pain: "the pain is no worse" says nothing of the weakness)
_STABLE = re.compile(
    r"\b(?:not|never) (?:\S+ )?(?:getting|got|gotten|become|becoming|gone) (?:any )?worse|"
    r"\bno worse\b|\b(?:exactly|just|about) the same\b|\bnot (?:spreading|progressing|"
    r"changing)\b|\b(?:not|never) changed\b|\bstable\b"
)
_PAIN_WORD = re.compile(r"\b(?:pain|ache|aching|sore|soreness|back)\b")


def _compared_and_stable(a: AnalysedText, mention: Mention) -> bool:
    """A weaker leg the writer says is stable: new weakness (urgent), not progression."""
    if not _COMPARED.match(mention.text):
        return False
    sentence = a.sentence_of(mention.start)
    for clause in a.clauses:
        if clause.sentence in (sentence, sentence + 1):
            words = a.text[clause.start : clause.end]
            if _STABLE.search(words) and not _PAIN_WORD.search(words):
                return True
    return False


def _sentence_text(a: AnalysedText, mention: Mention) -> str:
    sentence = a.sentence_of(mention.start)
    parts = [a.text[c.start : c.end] for c in a.clauses if c.sentence == sentence]
    return " ".join(parts)


# --- what to tell the patient --------------------------------------------------------------------

EMERGENCY_NOW = (
    "Call emergency services now (999 in the UK, 112 in the EU, 911 in North America) or go "
    "straight to the nearest A&E / emergency department. Do not wait to see if it settles and "
    "do not drive yourself."
)
_EMERGENCY_BY_CATEGORY: dict[str, str] = {
    "cauda_equina": (
        'Tell them: "I have back pain with {evidence} and I am worried about cauda equina '
        'syndrome." It needs an emergency examination and usually an MRI scan the same day.'
    ),
    "neuro_deficit": (
        "Tell them your leg or foot is getting weaker or number. Nerve pressure that is getting "
        "worse needs emergency assessment."
    ),
    "fracture": (
        "Keep still while you wait if moving hurts. Tell them about the injury and the numbness "
        "or weakness."
    ),
    "aaa": (
        "Lie down while you wait and tell them about the sudden pain in your back and belly. "
        "If you know you have an aortic aneurysm, say so."
    ),
    "cardiac": "Sit down and rest while you wait; tell them you have chest pain.",
    "crisis": (
        "If you might act on these thoughts, you are not safe alone: call 999 or go to A&E now. "
        "You can also talk to Samaritans at any time on 116 123 (free, UK)."
    ),
    # the learned screen (classifier.py) cannot say which sign it saw
    "learned": (
        "Tell them in your own words what you wrote here, and that you have back pain. If you "
        "are having thoughts of ending your life, you can also talk to Samaritans at any time "
        "on 116 123 (free, UK)."
    ),
}
# How the patient can describe each cauda equina finding to the emergency service.
_SYMPTOM_PHRASES: dict[str, str] = {
    "ces_saddle_anaesthesia": "numbness between my legs",
    "ces_bladder_bowel": "new bladder or bowel problems",
    "ces_bilateral_sciatica": "sciatica or numbness in both legs",
    "ces_sexual_dysfunction": "new loss of sexual function or feeling",
}
URGENT_TODAY = (
    "Get medical advice today: contact your GP practice and ask for an urgent same-day "
    "appointment, or call NHS 111 (your local urgent care line) if the practice is closed. "
    "Do not wait for your next physiotherapy session."
)
SAFETY_NET = (
    "Call 999 or go to A&E at once if you get numbness between your legs or around your back "
    "passage, new problems passing urine or controlling your bladder or bowels, or weakness "
    "in both legs."
)
ROUTINE_REVIEW = (
    "This does not sound like an emergency, but it is worth a review: message your care team "
    "or book an appointment with your physiotherapist or GP in the next few days."
)


def advice_for(level: Level, findings: tuple[Finding, ...] | list[Finding]) -> str:
    """The instruction for ``level``: what to do now, in plain words.

    Emergency advice contains only what to do now: no exercise, heat or painkiller tips.
    """
    top = [f for f in findings if f.level == level]
    others = bool(top) and all(f.about_other_person for f in top)
    if level == "emergency":
        lines = ["This could be serious and needs emergency care now.", EMERGENCY_NOW]
        if others:
            lines[0] = (
                "What you describe could be serious for the person you are writing about: "
                "they need emergency care now. The advice below is for them."
            )
        for category in dict.fromkeys(f.category for f in top):
            template = _EMERGENCY_BY_CATEGORY.get(category)
            if template:
                symptoms = [
                    _SYMPTOM_PHRASES[f.code]
                    for f in top
                    if f.category == category and f.code in _SYMPTOM_PHRASES
                ]
                evidence = " and ".join(dict.fromkeys(symptoms)) or "these symptoms"
                lines.append(template.format(evidence=evidence))
        lines.append("Your care team has been alerted to this message.")
        return "\n".join(lines)
    if level == "urgent":
        reasons = " ".join(dict.fromkeys(f.reason for f in top))
        return "\n".join(
            [
                reasons,
                URGENT_TODAY,
                "Your care team has been alerted to this message.",
                SAFETY_NET,
            ]
        )
    if level == "routine":
        reasons = " ".join(dict.fromkeys(f.reason for f in top))
        return "\n".join([reasons, ROUTINE_REVIEW, SAFETY_NET])
    return SAFETY_NET
