"""Clinical concepts found in patient messages, each with its context (negated, past, whose).

A *concept* is a regular expression over the normalised message (see :mod:`.text`) with a
named group ``core``: the words that carry the finding ("numb", "cannot pee"). Site words next
to it ("groin", "both legs") are part of the match but not of the core. A *mention* is one
match plus four context checks, each scoped to the sub-clause (or sentence) of the core:

- **negated** — a negation word shortly before the core ("no numbness", "I do not have any
  fever or weight loss"), or "… are fine" right after it. Negation words inside the core are
  part of the finding ("cannot feel", "no feeling"), so they do not count. Pseudo-negations
  ("no idea", "not sure") are skipped, as in NegEx (Chapman et al., J Biomed Inform 2001).
- **past** — time markers that take the finding out of the present, by the concept's kind:
  ``current`` symptoms are dropped by remote past ("years ago", "as a teenager"), month-scale
  past ("last month"), long-standing ("for years", "since giving birth") and resolution
  ("it has gone"); ``event`` (an injury) only by remote past and resolution; ``exposure``
  (drug use, steroids) by remote past and resolution; ``history`` (cancer) never: a cancer
  treated years ago is exactly the history that matters.
- **hypothetical** — conditionals and questions about signs ("what should I do if I lose
  bladder control?"); for diagnosis words ("cancer", "fracture") also worry and questions
  ("could it be cancer?").
- **other person** — a relative or friend named before the core with no first-person word in
  between ("my mum had bowel cancer"; but "my partner noticed I cannot feel …" is mine).

The lists are written for safety first: when unsure, a finding stays present.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Literal

from spinewise.assistant.text import Clause, TypoRepairer, normalise, split_clauses

TimeKind = Literal["current", "event", "exposure", "history"]


# One word of a gap inside a sentence that is not a denial
_WORDS_NOT_DENIED = r"(?:(?!no\b|not\b|never\b|without\b|nor\b)[^\s.!?;]+ )"


def _gap(n: int) -> str:
    """Up to ``n`` words between two parts of a pattern, never crossing a sentence end."""
    return rf"(?:\s+[^\s.!?;:]+){{0,{n}}}?\s+"


# --- vocabulary -----------------------------------------------------------------------------

# Numb, numbness, numbed … but not "number" ("pregnant with number 2", "a number two")
# Up to six words that name no other body part (see bilateral_leg_symptoms).
_NO_OTHER_PART_GAP = (
    r"(?:\s+(?!(?:hands?|arms?|fingers?|wrists?|neck|shoulders?|face|head|elbows?|lips?|calf|"
    r"shin|knee|thigh|foot|ankle|heel|one|only)\b)"
    r"[^\s.!?;:]+){0,6}?\s+"
)
NUMB_WORD = r"numb(?!ers?\b)\w*"
# Ants under the skin (formication), in English and in French: "like ants walking in my leg",
# "my legs have the ants (fourmis)"
FORMICATION = (
    r"(?:like )?ants (?:are )?(?:walking|crawling|running|marching)|(?:have|has|having|got) (?:the )?"
    r"ants\b|fourmis|fourmill\w*"
)

# Walking limited by aching or distance, not legs that cannot walk: "cannot walk round the
# supermarket without my legs aching" (neurogenic claudication), "can't stand without a rest",
# "can't walk more than 200 metres"; but "cannot walk without my leg giving way" is weakness
WALKING_LIMITED_BY_ACHE = (
    r"(?!(?: [^\s,.;]+){0,7} without (?:(?:my |the )?(?:legs?|calves|calf|thighs?|back) "
    r"(?:\S+ )?(?:ach\w*|hurt\w*|going heavy|getting heavy|getting tired|cramp\w*)|stopping|"
    r"a (?:rest|break|sit)|resting|sitting)\b"
    # a distance: "can't walk more than a few hundred metres before my calves cramp"
    r"| (?:more|further|farther) than\b| (?:very |that )?far\b)"
)

NUMB = (
    r"(?:" + NUMB_WORD + r"|tingl\w*|pins and needles|"
    r"(?:no|lost|lost the|loss of|lose|losing|reduced|altered|less|without|strange|weird|funny|"
    r"dead|different|changed) (?:feeling|sensation)s?"
    r"(?! (?:changes?|problems?|issues?|loss|difference|of (?:pain|weakness)))|"
    r"(?:cannot|can no longer|no longer|could not|not|do not|does not|unable to|hard to) "
    r"(?:really )?feel"
    r"(?! (?:any\b|well|good|better|fine|sure|like|ok|okay|numb|tingl|pain|unwell|weak|sick|ill))|"
    r"feels? (?:strange|different|weird|dead|funny|odd|numb|like cotton wool|like rubber)|"
    r"(?:feels?|felt) like (?:\S+ ){0,3}?(?:someone else|somebody else|not mine|not my own|"
    r"cardboard|cotton wool|rubber|wood|a stranger)|"
    r"dead|asleep|"
    # a learner's "my left leg is sleeping since" (French "ma jambe dort")
    r"(?:is|are) (?:still )?sleeping(?= (?:since|all (?:the )?(?:time|day))\b|\s*[.,;!]|\s*$)|"
    + FORMICATION
    + r"|"
    r"(?:is|are|feels?|felt|(?:has |have )?gone|went) like (?:a )?(?:wood|wooden|cardboard|plank)|"
    r"(?:is|are|feels?) like sleeping|like (?:\S+ )?after (?:the |an |a )?"
    r"(?:injection|anaesthetic|anesthetic|jab) (?:at|from|of) (?:the )?dentist)"
)
SADDLE = (
    r"(?:saddle|groin|genitals?|genital area|private (?:parts?|area)|privates|down there|"
    r"down below|bum\b|bottom\b(?! of)|buttocks|backside|anus|back passage|rectum|perine\w*|"
    r"between (?:my|the) legs|inner thighs?|crotch|vagina\w*|penis|scrotum|testicles?|labia|"
    r"clitoris|(?:when|after) (?:i )?wip\w*|toilet paper|wiping|inside of (?:my )?thighs|"
    r"(?:the )?(?:area|part|bit)s? (?:i|you) sit on|cheeks of my (?:bum|bottom)|"
    r"(?:the )?(?:area|part|place) where (?:i|you) sit)"
)
# A body site named as where sciatica starts, not where the feeling is: "from the bum to the
# little toe", "from my buttock down to my foot"
SCIATIC_PATH_NOT = (
    r"(?! (?:all the way )?(?:down )?(?:to|into|through) (?:my |the )?(?:\S+ )?(?:legs?|foot|feet|"
    r"toes?|knee|thigh|calf|heel|ankle)\b)"
)
URINE = r"(?:urine|wee|pee|bladder|water|waterworks|urinating|peeing)"
BOWEL = r"(?:bowels?|stools?|poo|poop|faeces|feces|back passage|bowel movements?)"
# Finding out only afterwards that the bladder or bowel has emptied (no warning feeling).
AWARE_AFTER = (
    r"(?:find|finds|found|finding|discover\w*|realis\w*|realiz\w*|notic\w*|see|saw) (?:that )?"
    r"(?:it|i|they) (?:is |has |have |had |was |am )?(?:already|just) (?:happened|been|gone|"
    r"come out|done it|wet|soiled|leaked)|"
    r"(?:did not|do not|does not|never|would not) (?:\S+ )?(?:know|notice|realise|realize|feel|"
    r"find out|twig) (?:\S+ ){0,5}?until (?:after|afterwards|later|too late|i (?:\S+ )?(?:look|"
    r"looked|check|checked|saw|see|went|go|got|get|change|changed|undress|undressed|stood|stand|"
    r"wipe|wiped|smell|smelt|smelled))|"
    r"only (?:\S+ )?(?:know|notice|realise|realize|find out|discover|tell) (?:\S+ ){0,4}?"
    r"(?:afterwards|after the fact|later on|when i (?:\S+ )?(?:look|check|see|change|undress|"
    r"stand|get up|wipe|smell))|"
    r"(?:already|just) happened (?:before|without) i (?:\S+ )?(?:know|knew|notice|noticed|feel|"
    r"felt|realise|realised|realize|realized)"
)
VOID = (
    r"(?:pee|peeing|urinat\w*|wee|weeing|pass (?:urine|water)|passing (?:urine|water)|"
    r"empty(?:ing)? (?:my |the )?bladder|start (?:peeing|to pee|urinating|the flow|a wee)|"
    r"(?:pass|passing|passed) (?:\S+ ){0,4}?(?:urine|water|wee))"
)
DIFFICULTY = (
    r"(?:cannot|could not|unable to|not able to|not been able to|been unable to|not managed to|"
    r"struggl\w*(?: to)?|difficult\w*(?: to| in)?|trouble|hard to|have to strain(?: to)?|"
    r"straining to|problems?|can only|can hardly|can barely|"
    # "now I must to push and push for to urinate", "have to push and strain to pee"
    r"(?:have to|had to|must|must to|need to) (?:push|strain)(?: and (?:push|strain))?(?: for)?"
    r"(?: to)?)"
)
LEGS_PLURAL = (
    r"(?:both (?:of )?(?:my |the )?(?:legs?|sides|thighs|calves|feet|buttocks|hips)|"
    # a learner's "my two inferior members"
    r"(?:two|both) (?:of )?(?:my |the )?(?:inferior|lower) (?:members|limbs)|"
    r"legs\b|feet\b|thighs\b|calves\b|(?:left and right|right and left) (?:legs?|sides?)|"
    r"each leg|one leg then the other|alternat\w* (?:between )?(?:legs|sides))"
)
RADICULAR = (
    r"(?:sciatica|shoot\w*|radiat\w*|electric\w*|burning|"
    + NUMB_WORD
    + r"|tingl\w*|pins and needles|"
    r"weak\w*|giv\w* way|gave way|(?:no|lost|loss of|reduced) (?:feeling|sensation)|"
    r"cannot feel|nerve pain|" + FORMICATION + r")"
)
ACHE = r"(?:pain\w*|hurt\w*|ach\w*|sore)"
LIMB = (
    r"(?:legs?|foot|feet|knees?|ankles?|thighs?|toes?|calf|calves|hips?|heels?|(?:inferior|lower) "
    r"(?:members|limbs))"
)
WEAK = (
    # ("my knee gives a bit going down steps": the thigh muscle failing)
    r"(?:weak\w*|giv\w* way|gave way|gives a bit|buckl\w*|paralys\w*|paralyz\w*|"
    r"(?:cannot|can no longer|could not|unable to|not able to|difficult\w* to|trouble|"
    r"can (?:barely|hardly|only just)|"
    r"struggl\w* to|hard to) (?:\S+ )?(?:move|lift|raise|control|stand on|"
    r"bear weight on|put weight on|walk on))"
)
ABDOMEN = r"(?:stomach|tummy|belly|abdom\w*|navel|belly button)"
# The back itself named as bad without a pain word: "my back has been getting worse".
# "Suicide", but not the drill: "made us do 'suicides' (the shuttle runs)", "suicide sprints".
# Shared with the danger vocabulary (danger.py), so that both read a fever the same way:
# "does 38.2 and a stiff back mean anything?" (a temperature with a decimal, not a weight)
TEMPERATURE_READING = (
    r"\b(?:3[89]|40)[.,]\d\b(?! ?(?:kg|kilos?|weeks?|cm|mm|%|percent|years?|hours?|mins?))"
)
# A vehicle on its side or roof: "lorry went over on its side on the A road"
# Road and farm vehicles, for crashes told without the word "crash"
_VEHICLE = r"(?:car|lorry|truck|van|bus|vehicle|tractor|quad|atv|utv|ute|pickup|buggy|cab|coach|4x4|jeep|artic)"
VEHICLE_OVER = (
    r"(?:car|lorry|truck|van|bus|vehicle|tractor|quad|cab|coach|4x4|jeep|artic) (?:\S+ ){0,2}?"
    r"(?:went|rolled|flipped|flip|turned|tipped|toppled) over|"
    # "Keke tumble with us", "Danfo jam our car", "dem hit me for back with plank"
    r"(?:keke|okada|danfo|tro-?tro|matatu|boda(?:-?boda)?|bus|car|taxi) (?:\S+ )?tumbl\w*|"
    r"(?:jam|jammed|bash\w*|hit) (?:our|my|the) (?:car|bus|keke|taxi)\b|"
    r"hit me (?:on|in|for) (?:the |my )?back with\b|"
    # "car lick mi from behind" (patois: hit), "a van hit me"
    + _VEHICLE
    + r" (?:hit|lick|licked|rear-?ended|ran into|smashed into|crashed into) (?:me|my car|us)\b|(?:went|rolled|flipped|turned|tipped) "
    r"over on (?:to )?(?:its|it|the) (?:side|roof)|overturned|jack-?knifed|"
    # "rolled my ATV yesterday", "flipped the quad"
    r"(?:rolled|flipped|overturned|wrecked|totall?ed) (?:my|the|a|our|his|her) (?:\S+ )?(?:atv|utv|quad|"
    r"quad bike|car|truck|ute|bike|motorbike|tractor|buggy|jeep|4x4|side[- ]by[- ]side|van)\b|"
    # "car went into a ditch and rolled", "the van skidded into a tree"
     + _VEHICLE + r" (?:\S+ ){0,6}?"
    r"(?:rolled|flipped)(?! (?:up|down|back|forward|my|the|a|into (?:the|my) (?:garage|drive))\b)|"
    + _VEHICLE
    + r" (?:\S+ ){0,3}?(?:went|ended up|slid|veered|skidded|spun|crashed|careered) (?:\S+ ){0,3}?into (?:a|the) "
    r"(?:ditch|hedge|tree|wall|river|lamp ?post|barrier|verge|bank)\b"
)
# Injecting drugs in shorthand: "iv user", "been injecting for 6 months now" (not a medicine:
# "I have been injecting insulin for years")
INJECTING = (
    r"\b(?:iv|intravenous) (?:drug )?users?\b|\bivdu\b|\bpwid\b|"
    # heroin slang: "i shoot the brown on weekends"
    r"\bshoot(?:ing)? (?:up )?(?:the )?brown\b|"
    # "been using IV on and off" (not "IV antibiotics")
    r"\busing iv\b(?! (?:fluids?|antibiotics?|iron|drips?|lines?|paracetamol|medicines?))|"
    r"(?:been|started|starting|am|still|began) injecting\b(?! (?:\S+ )?(?:insulin|medicine|"
    r"medication|methotrexate|heparin|vitamin|b12|fertility|hormones?|testosterone|humira|"
    r"adalimumab|my |the |it\b|ozempic|wegovy|mounjaro|semaglutide|tirzepatide|enoxaparin|"
    r"clexane|biologic))"
)
# The app's record of pain, not pain felt: "how do I export my pain diary?"
APP_RECORD = r"(?:diary|diaries|log|logs|journal|chart|charts|tracker|graph|graphs|history)\b"
# Weight coming off, in any unit: "lost half a stone", "why would I drop 6 kilos?"
WEIGHT_DROP = (
    # (not someone's advice: "keeps nagging me to lose weight", "told him to lose some weight")
    # (nor a goal: "upped my walking to lose weight", but "started to lose weight" is a loss)
    # ("my GP just keeps saying lose weight")
    r"(?:(?<=started to )|(?<=starting to )|(?<=began to )|(?<=begun to )|(?<!to ))"
    r"(?<!saying )(?<!says )(?<!said )(?<!say )"
    r"(?:lost|losing|lose|loss of|dropped|dropping|drop|drops|drop of|shed\w*|down|gone down|minus) "
    r"(?:\S+ ){0,3}?(?:\d+(?:\.\d+)? ?)?(?:weight|kg|kgs|kilos?|kilograms?|pounds|lbs?|stones?|a stone|st)\b"
    # weight the writer meant to lose: "nothing since I lost the weight", "lost the baby weight"
    r"(?<!lost the weight)(?<!losing the weight)(?<!lose the weight)(?<!baby weight)"
    # nor weight loss as a remedy or on advice: "does losing weight actually help back pain",
    # "I have lost weight like they told me to"
    r"(?! (?:\S+ )?(?:help|helps|helped|would help|make a difference|fix|fixes|ease|eases)\b)"
    r"(?! (?:like|as) (?:\S+ ){0,2}?(?:told|advised|asked|recommended|suggested)\b)"
)
# Tablets taken together as a dose, not a whole supply: "I want to take all of them at
# breakfast", "can I take them all at once?" (not "thinking about taking them all at once")
DOSE_TIMING_NOT = (
    r"(?! (?:at (?:breakfast|lunch|dinner|tea|night|bedtime)|in the (?:morning|evening)|with "
    r"(?:food|meals|water|breakfast)|each day|every day|daily))"
)
DOSE_ASKED_BEFORE = (
    r"(?<!can i )(?<!could i )(?<!should i )(?<!do i )(?<!is it ok to )(?<!is it okay to )"
    r"(?<!is it safe to )"
)
# Pain that has changed, which counts as new pain even in someone with long-standing pain
# (triage.py, after cancer): "it is different, stronger and in other place"
CHANGED_PAIN = (
    r"(?:pain|ache|it) (?:has |have )?changed|(?:different|new) (?:kind|type|sort) of pain|"
    r"(?:in )?(?:a )?(?:different|new|other) (?:place|spot)"
)
# The worst of the day is not how bad it is: "back ache worst after standing"
WORST = r"worst(?! (?:after|when|in the|at|first thing|by|during|if|on|while)\b)"
# A condition, not a report: "mentioned injections if it does not settle"
IF_NOT_BEFORE = (
    r"(?<!\bif it )(?<!\bif this )(?<!\bif the pain )(?<!\bunless it )(?<!\bif it does )"
    r"(?<!\bif it will )"
)
# Lifting asked about, not an injury told: "any tips for lifting safely?"
LIFT_ASKED_BEFORE = r"(?<!tips for )(?<!tips on )(?<!advice on )(?<!advice about )"
LIFT_ASKED_AFTER = r"(?! (?:safely|properly|correctly|technique|tips|advice))"
# Pain as a thing the app records, not felt now: "how do I log pain for yesterday"
PAIN_LOGGED_NOT = r"(?<!log )(?<!logging )(?<!logged )(?<!record )(?<!recording )(?<!track )"
# Weight lost by surgery or a prescribed weight-loss medicine: "lost 5 stone since my sleeve"
WEIGHT_LOSS_TREATMENT = (
    r"sleeve|gastric (?:band|bypass|balloon)|bypass|bariatric|weight[- ]loss (?:surgery|op\w*|"
    r"injections?|jabs?|drugs?|medication)|orlistat|saxenda|liraglutide"
)
# A condition the writer rules out: "I am 36 so AAA is not really on the cards"
RULED_OUT = (
    r"(?! (?:is|was) not\b| (?:is |was )?(?:unlikely|not likely|ruled out|excluded))"
    # a screening scan that came back clear: "had my AAA scan at 65, all clear"
    r"(?! (?:screening |screen )?(?:scan|screening|ultrasound|check)(?: \S+){0,3}? (?:came back |was "
    r"|is )?(?:all )?(?:clear|normal|fine|negative)\b)"
)
# The back explicitly fine, so that a fever is not read as a spinal infection: "back pain is
# gone", "my back has actually been fine for weeks", "back does not hurt at all", "not about my
# back". Not "my back has gone" (British for a back that has given way).
BACK_FINE = (
    r"(?:back|spine|back pain)(?: today| now| itself)?(?: is| feels| has been| seems| is absolutely| is "
    r"totally| has| was)"
    r"(?: \S+){0,2}? (?:fine|ok|okay|good|great|normal|better|all right|alright|grand|no problem)\b|"
    r"(?:back pain|pain in my back|my back ache|backache)(?: has| is)?(?: \S+)? (?:gone|went away|"
    r"settled|cleared|disappeared|finished|stopped)|"
    # "back feel alright this week", "back is the same as always, no different", "back pain
    # went completely last week", patois "him back not hurt him"
    r"(?:back|spine) (?:\S+ )?feel (?:alright|fine|ok|okay|good|grand)\b|"
    r"(?:back|back pain) (?:is )?(?:the same as (?:always|usual|ever)|no different)\b|"
    r"(?:back pain|pain in my back) (?:went|has gone|is gone) (?:completely|away completely|"
    r"totally)\b|"
    r"(?:back|back pain) (?:is not|does not|do not|has not been|has not|have not|is no longer|no longer|not) "
    r"(?:\S+ )?"
    r"(?:hurt\w*|sore|painful|bother\w*|aching|a problem)|"
    r"no back (?:pain|problems?|issues?|trouble)|not (?:about|related to) my back|"
    # "achy in my arms with flu. Not my back though"
    r"\bnot my back(?= *(?:though|this time|for once|thankfully)?\W*(?:$|[,.;!]))|"
    r"no pain (?:in|with) my back|(?:back|back pain) (?:is not|is no|not) (?:\S+ )?bad at all|"
    # "my back's actually been fine" (the possessive-looking "'s" is dropped)
    r"(?:back|spine) (?:\S+ )?been (?:\S+ )?(?:fine|ok|okay|good|great|better|grand|normal)|"
    r"(?:back|spine) (?:actually |is |now )?(?:totally |completely |absolutely )?(?:fine|all good|"
    r"good|grand|ok|okay) now\b|"
    # "backs been fine for weeks", "got a temperature, back fine, still do exercises?",
    # "my back is no different from normal, i.e. fine"
    r"backs (?:\S+ )?been (?:\S+ )?(?:fine|ok|okay|good|great|better|grand|normal)|"
    r"\bback (?:fine|ok|okay|good)(?: actually| thankfully| tbh| though| luckily)?(?= *(?:[,.;!?]|$))|"
    r"no different from (?:normal|usual)|"
    # "back's actually fine for once", "back's grand at the moment", "back's been no bother at
    # all", "back pain zero today", "my back has zero pain", "nothing to do with my back, which
    # has been grand for weeks"
    r"(?:back|spine) (?:is |has been |been )?(?:actually |really |honestly |totally |completely )?"
    r"(?:fine|grand|ok|okay|good|great|no bother|no trouble)(?: at all)? (?:for once|rn|right now|"
    r"at the moment|atm|today|these days|thankfully|at all|for (?:weeks|ages|months))\b|"
    r"(?:back|spine)(?: is| has been| been| has)? no (?:bother|trouble)\b|"
    r"(?:back|back pain|spine) (?:pain )?(?:is |has |at |has been )?(?:zero|0/10|0 out of 10|nil)"
    r"(?! (?:tolerance|chance|idea))\b|"
    r"(?:back|back pain|spine) (?:is not|isnt|is no longer) (?:\S+ )?(?:an issue|a problem|"
    r"bothering me)|(?:back|spine) (?:is )?(?:actually |really |totally )?(?:fine|ok|okay|good|"
    r"grand)(?= *(?:[,.;!?]|$))|"
    r"nothing to do with my back|(?:back|spine),? which (?:has been|is|was) (?:\S+ )?(?:fine|"
    r"grand|good|ok|okay|great)|"
    # "Her back, which is why she uses this app, has actually been grand lately"
    r"(?:back|spine), (?:which|that) [^.;]{0,60}?, (?:has|is|was) (?:\S+ )?(?:been )?(?:\S+ )?"
    r"(?:fine|grand|good|ok|okay|great|no bother)\b"
)
# "burning up" is a fever; "burning up my throat" (heartburn) is not
BURNING_UP = r"burning up(?! (?:my|the|his|her|your|into|through|in) )"
SUICIDE_WORD = (
    r"(?<!do )(?<!did )(?<!doing )(?<!ran )(?<!run )suicid\w*(?! ?\(?(?:the )?(?:shuttle|runs?|"
    r"sprints?|drills?|squeeze|lines?|prevention|helpline|hotline|awareness|charity|crisis line|"
    r"training)\b)"
    # an attempt named by where it led: "hospitalized at the psychiatrie after an attempt"
    r"|(?:psychiatr\w*|mental health (?:unit|ward)|sectioned) (?:\S+ ){0,4}?after (?:an|a|my) "
    r"attempt\b(?! (?:to|at)\b)"
)
# The means named, for the writer or the person they write about: "putting the shotgun to his
# head", "thinking about jumping from my balcony", "she said she would hang herself"; and a
# few first-person wishes to die in the languages patients most often switch into ("no quiero
# vivir", "quero morrer", "je veux mourir", "chcę umrzeć", "marna chahta hoon"), because a
# crisis should not wait for a translator (NICE NG225).
SUICIDE_METHOD = (
    r"(?:put\w*|hold\w*|held|point\w*|stick\w*|stuck|press\w*) (?:a |the |my |his |her |their )?"
    r"(?:\S+ )?(?:gun|shotgun|rifle|pistol|revolver|knife|blade) (?:to|against|in|into|under) "
    r"(?:my|his|her|their) (?:own )?(?:head|temple|mouth|throat|chin|wrists?)\b|"
    r"(?:gun|shotgun|rifle|pistol) to (?:my|his|her|their) (?:own )?head\b|"
    # (wanting or thinking of it, not a jump told: "jumped off the shed roof for a dare")
    r"(?:to|about|of|thinking|considering|imagin\w*) jump(?:ing)? (?:off|from|out of) "
    r"(?:the |my |a |his |her |our |their |that )?"
    r"(?:\S+ )?(?:balcony|bridge|roof|rooftop|window|building|cliff|car ?park|multi-?storey|"
    r"tower ?block|flyover|overpass)\b|"
    r"(?:hang|hanging|hanged) (?:my|him|her|them)sel(?:f|ves)\b|"
    r"(?:slit|slitting|cut|cutting) (?:open )?(?:my|his|her|their) wrists?\b|"
    r"(?:step\w*|jump\w*|throw\w* (?:my|him|her)self|lie down|lying down) (?:in front of|under) "
    r"(?:a|the) (?:train|bus|lorry|truck|car)\b|"
    r"think\w* (?:about|of) to (?:die|dying|kill (?:my|him|her)self)\b|"
    r"\b(?:no )?quiero (?:morir\w*|matarme|suicidarme)|no quiero (?:seguir )?vivir|"
    r"quitarme la vida|quero morrer|n[aã]o quero (?:mais )?viver|je veux mourir|"
    r"je ne veux plus vivre|voglio morire|non voglio pi[uù] vivere|ich will (?:sterben|nicht "
    r"mehr leben)|mich umbringen|chc[eę] umrze[cć]|nie chc[eę] (?:ju[zż] )?[zż]y[cć]|"
    r"vreau s[aă] mor\b|gusto ko (?:nang )?mamatay|magpakamatay|"
    r"(?:marna|mar jana) chaht[ai]|khud ?kushi|aatmahatya"
)
# Leaving life in other words, for the writer or the person they write about: a literal
# translation ("уйти из жизни": "tried to go away from life"), gaming and computing words
# ("logging off permanently. not the app. me.", "not from work, from everything")
SUICIDE_EUPHEMISM = (
    r"(?:go|went|gone|going|leave|left|leaving) (?:away )?from (?:this )?life\b|"
    r"(?:log|logg?ing|logged|sign|signing|signed) (?:off|out) (?:permanently|for good|"
    r"for ever|forever)\b(?=.{0,25}\bnot (?:from )?(?:the|this) (?:app|game|server|"
    r"account|chat|site|work)\b|.{0,40}\bfrom (?:everything|it all|life|the world|this world)\b)|(?:log|logg?ing|logged) (?:off|out) (?:of|from) life\b"
)
BACK_BAD = (
    r"(?:back|spine) (?:has been |is |was |keeps |has |had )?(?:getting |got |gone |going |"
    r"become |becoming )?(?:so |really |very |that )?(?:worse|bad|terrible|awful|playing up|"
    r"acting up|flared? up|flaring up|pure murder|murder|(?:giving|giein|gien) (?:me |him |her |them )?(?:hell|grief|"
    r"trouble|gyp|jip|bother))|"
    # "laid up with her back for a week"
    r"laid up (?:with|by) (?:his |her |their |my |a )?(?:bad |sore )?back|"
    # "his back has been killing him", "moaning about his back", "complaining from her back"
    r"(?:back|spine) (?:has been |is |was |keeps )?killing (?:him|her|them)|"
    r"(?:moan|complain)\w* (?:about|with|of|from) (?:his |her |their |my )?(?:lower |upper |bad )?"
    r"back|"
    # "lower back is screaming"
    r"(?:back|spine) (?:is |was )(?:absolutely |just )?screaming|"
    # "says his back and stomach are unbearable"
    r"(?:back|spine)(?: and (?:his |her |their |my )?(?:stomach|belly|tummy|abdomen|side))? "
    r"(?:is|are|was|were|has been|have been|feels?) (?:so |really |just |absolutely )?"
    r"(?:unbearable|agony|excruciating|in agony)|"
    # "she'd been on about her back all morning"
    r"(?:been |going |was |is )on about (?:his |her |their |my )?(?:lower |upper |bad )?back|"
    # "lower back started 3 weeks ago" (the pain did)
    r"(?:lower |upper |my )back (?:started|began|kicked off|flared)|"
    # "he has had back trouble for years" (a relative's back)
    r"back (?:trouble|problems?)|"
    # what a relative reports: "he has been complaining about his lower back"
    r"complain\w* (?:about|of|with) (?:his |her |their |my |a )?(?:lower |upper |bad |sore )?"
    r"back|"
    r"(?:a |her |his |my |their )(?:really |very |terribly )?(?:bad|terrible|awful|dodgy) back|"
    # "my back has gone again", "his back went": British for an acute flare
    r"(?:back|spine) (?:has |is |had |just )?(?:gone|went|locked|seized)(?: up| out| again)?|"
    # pain behaviour a relative reports: "crying out when she moves", "wincing"
    r"(?:crying|cries|cried|screaming|screams|screamed|yelling) out|wincing|winces|"
    r"(?:doubled|hunched) (?:over|up) in pain"
)
# Back to injecting: "I'm injecting again", "relapsed on heroin", "back on the needle".
DRUG_RELAPSE = (
    r"(?:off|clean (?:from|of)|stopped|quit|gave up|given up) (?:the )?(?:needle|heroin|drugs|"
    r"gear|smack|injecting)(?: \S+){0,6}? (?:but|until|then|and) (?:i )?(?:have |had )?"
    r"(?:slipped|fell|went|started|got|am) (?:\S+ )?(?:back|again)|"
    r"(?:am|been|started|starting|begun|began|i|back to) (?:\S+ )?(?:injecting|shooting up|"
    r"using) again\b(?! (?:the|my|a|an|it|this|that)\b)|used to inject,? (?:\S+ )?relapsed\b|"
    r"relapsed (?:on|with|into) (?:\S+ )?"
    r"(?:heroin|drugs|smack|crack|opiates|the needle)|back on (?:the )?(?:heroin|smack|brown|"
    r"needle|needles|gear)|"
    # "slipped back into using, injecting, after 4 yrs clean", "slipped up last month and
    # injected again", "relapsed last month (injecting)"
    r"(?:slipped|fell|went) (?:back )?(?:into|to) (?:using|injecting)\b|"
    r"\binjected (?:again|a few times|once or twice|a couple of times)\b|relapsed (?:\S+ ){0,3}?\(?injecting\)?|"
    r"(?:clean|sober|off (?:the )?(?:gear|drugs)) (?:for )?(?:\d+|two|three|four|five|six|a few) "
    r"(?:yrs?|years?|months?) (?:but|and then|then|until) (?:\S+ ){0,4}?(?:slipped|relapsed|using|"
    r"injected|injecting)|"
    # "I used to inject, clean two years, but I slipped last month", "on methadone now but I
    # used again last weekend, injected"
    r"used to inject\b[,;]?(?: \S+){0,6}? (?:but|until|then) (?:i )?(?:have |had )?(?:slipped|"
    r"relapsed|used|started)\b|(?:used|using) again (?:\S+ ){0,3}?(?:injected|injecting)\b|"
    # "my son injects, he's relapsed"
    r"inject(?:s|ing)\W+(?:\S+ ){0,3}?relapsed\b|relapsed\W+(?:\S+ ){0,3}?inject(?:s|ing|ed)\b"
)
# Fainting described without the word: "came round on the floor", "lost consciousness".
SYNCOPE_PHRASES = (
    r"(?:\bi|then|and) came (?:round|around|to)(?= (?:on|in|lying|to find|and|with)\b|"
    r"\s*[,.;!]|\s*$)|"
    # a relative seen to go down and come round: "just went down in the kitchen. She's come
    # round but she's clammy", "he came round quickly"
    r"(?:just )?went down (?:in|on) the (?:kitchen|bathroom|hall\w*|floor|garden|street|shop)|"
    r"(?:he|she|they) (?:has |have |had )?(?:come|came) (?:round|around|to)(?= *(?:[,.;!]|$| "
    r"(?:quickly|now|but|again|straight away|within|in a few)\b))|lost consciousness|unconscious\b|"
    # a learner's "he was white and without consciousness for few seconds"
    r"(?:without|no) consciousness|(?:lost|without) (?:the )?conscience|out cold|conked out|hit the deck|"
    r"went down like (?:a |an )?\w+|(?:found|(?:woke|wake|waking|woken)(?: up)?|came round) (?:\S+ ){0,3}?"
    r"on (?:the )?(?:floor|"
    r"ground|grass|pavement)|(?:found|find) (?:me|myself) (?:lying )?on the (?:floor|ground)|"
    r"(?:must|might) have (?:passed out|fainted|blacked out|collapsed)|"
    # "went dizzy at the pumps and next thing I'm on the floor with a bloke asking if I'm ok"
    r"next thing (?:i (?:know|knew),? )?(?:i am|i was|i'm) (?:\S+ ){0,2}?on the (?:floor|ground|deck|"
    r"pavement|forecourt)|"
    # "when I stood up everything went black and I fell"
    r"everything (?:went|goes|turned|going) (?:black|dark)\b|"
    # the clinical word: "a syncopal episode in the bathroom"
    r"syncop(?:e|al)\b(?! (?:risk|clinic))|vasovagal (?:episode|attack|faint)"
)
# Cannot rise onto the toes: calf weakness (S1), a new weakness rather than foot drop.
TIPTOE_WEAK = (
    r"(?:cannot|could not|unable to|not able to|can no longer|can hardly|can barely|can not|"
    r"struggl\w* to|struggl\w* with|hard to|difficult\w* to|trouble|problems?) (?:\S+ ){0,2}?"
    r"(?:stand\w*|walk\w*|go\w*|get\w*|ris\w*|push\w*|balanc\w*|lift\w*|rais\w*|com\w*|"
    r"hop\w*|do) (?:\S+ )?(?:up )?on(?:to)? (?:my |the )?(?:\S+ )?(?:tip ?toes?|tiptoes?|toes|"
    r"balls? of (?:my |the )?(?:\S+ )?foot)|"
    r"(?:tip ?toes?|tiptoes?)(?: \S+){0,3}? (?:impossible|will not|would not|cannot|gives? way|"
    r"gave way|collaps\w*|weak\w*)|"
    # "can't do a single-leg calf raise on my left anymore", "tried the heel raises but my left
    # leg just can't push up"
    r"(?:cannot|could not|can not|unable to|not able to|can no longer|struggl\w* to) (?:\S+ ){0,2}?"
    r"(?:do|manage|complete) (?:a |the |any |my )?(?:single[- ]leg |one[- ]leg(?:ged)? )?(?:calf|heel|"
    r"toe) raises?|(?:calf|heel|toe) raises?(?: \S+){0,6}? (?:cannot|can not|could not|will not) "
    r"(?:\S+ )?(?:push|get|go|lift|rise) up"
)
# A weakened immune system: conditions and medicines (IFOMPT 2020 risk factors for infection).
# A pain the writer puts down to a medicine: "Capecitabine is making the soles of my feet
# sore", "the anastrozole is making my hands and knees ache … is that a normal side effect?"
SIDE_EFFECT_SAID = re.compile(
    r"\b(?:is|are|has been|have been|keeps?) (?:making|giving) (?:me|my)\b|\bside[- ]effects?\b|"
    r"\bhand[- ]foot syndrome\b"
)
# Medicines and regimens used only against cancer (immunotherapy, hormone and targeted
# therapy, chemotherapy regimens): naming one tells of a cancer even when the word is not there
CANCER_MEDICINES = (
    r"pembrolizumab|keytruda|nivolumab|opdivo|ipilimumab|atezolizumab|durvalumab|trastuzumab|"
    r"herceptin|exemestane|goserelin|enzalutamide|abiraterone|bicalutamide|palbociclib|"
    r"ribociclib|abemaciclib|imatinib|"
    + r"(?:fec|folfox|folfiri|capox|xelox|r-?chop|abvd|ec|ac|tc)"
    r"(?= (?:chemo\w*|cycle|cycles|regime\w*|treatment|round|infusion))|docetaxel|paclitaxel|"
    r"epirubicin|doxorubicin|capecitabine|oxaliplatin|gemcitabine|carboplatin|cisplatin"
)
IMMUNO_WORDS = (
    # (not a treatment stopped: "stopped my biologic at 24 weeks as planned")
    r"(?<!stopped )(?<!stopped my )(?<!stopped the )(?<!came off )(?<!came off my )(?<!off my )"
    r"(?<!paused my )(?<!paused )(?:"
    r"immuno ?suppress\w*|immuno ?compromised|immune ?suppress\w*|transplant\w*|"
    # chemotherapy by its regimen or drug: "day 10 of my FEC cycle"
    r"(?:fec|folfox|folfiri|capox|xelox|r-?chop|abvd|ec|ac|tc)(?= (?:chemo\w*|cycle|cycles|"
    r"regime\w*|round|infusion))|docetaxel|paclitaxel|epirubicin|doxorubicin|capecitabine|"
    r"oxaliplatin|gemcitabine|carboplatin|cisplatin|"
    r"\bhiv\b(?! (?:test|negative|check|screen))|hiv positive|\baids\b|chemo\w*|"
    r"methotrexate|biologics?|biologic (?:drug|medicine|injection|treatment)s?|azathioprine|"
    r"tacrolimus|ciclosporin|cyclosporin\w*|mycophenolate|anti-? ?rejection|rituximab|"
    r"infliximab|adalimumab|humira|etanercept|enbrel|tocilizumab|secukinumab|ustekinumab|"
    r"vedolizumab|cyclophosphamide|leflunomide|jak inhibitors?|tofacitinib|baricitinib|"
    r"upadacitinib|rinvoq|olumiant|xeljanz|cimzia|simponi|cosentyx|taltz|stelara|remicade|benepali|"
    r"amgevita|hyrimoz|imraldi|orencia|actemra|roactemra|kevzara|benlysta|low immun\w*|weak(?:ened)? immune|immune system is (?:weak|low|suppressed|"
    r"compromised)|neutropeni\w*|low white (?:blood )?cells?"
    r")"
)
# "fell from the top of the stairs", "off the second rung of a ladder", "down a flight of"
HEIGHT_PART = (
    r"(?:(?:very |right )?(?:top|middle|edge|side|half ?way(?: down| up)?|landing|top step|"
    r"top rung|\w+ rung|flight|whole flight|full flight) (?:of |on |up )?(?:a |the |my |our )?)?"
)
SEX_SITE = r"(?:sex|intercourse|penis|vagina|genitals?|clitoris|zizi)"


@dataclass(frozen=True)
class Concept:
    """A finding: its name, patterns (each with a ``core`` group) and how time applies."""

    name: str
    patterns: tuple[str, ...]
    time: TimeKind = "current"
    diagnosis_word: bool = False  # worry/questions make it hypothetical ("could it be cancer?")

    @property
    def compiled(self) -> tuple[re.Pattern[str], ...]:
        return _compile(self.patterns)


@cache
def _compile(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    # whole words only: "wee" must not match the start of "week"
    return tuple(re.compile(rf"(?<![a-z0-9])(?:{p})(?![a-z0-9])") for p in patterns)


# A leg's strength named, then said to be falling further on in the message (a measured
# decline: "right leg strength: Monday 10 sit-to-stands, Wednesday 6, today 3. Clear downward
# trend"): a weakness that is getting worse
LEG_STRENGTH_FALLING = (
    r"(?:leg|legs|foot|ankle|knee|quads?|calf|thigh) (?:strength|power)\b(?=[^?]{0,160}?\b"
    r"(?<!no )(?<!not )(?<!not a )(?<!is not )(?:downward trend|trending down\w*|declin\w*|steadily (?:dropping|falling)|going down "
    r"(?:every|each|day))\b)"
)


def _core(pattern: str) -> str:
    return f"(?P<core>{pattern})"


CONCEPTS: tuple[Concept, ...] = (
    # --- cauda equina syndrome (GIRFT national suspected CES pathway, 2023) -----------------
    Concept(
        "saddle_anaesthesia",
        (
            _core(
                r"saddle (?:an(?:a)?esthesia|par(?:a|ae|e)?sthesi\w*|numbness|tingl\w*|pins and "
                r"needles|area (?:is |feels )?" + NUMB_WORD + r")"
            ),
            # (not the path of sciatica: "tingling inside it, from the bum to the little toe")
            _core(NUMB) + _gap(6) + SADDLE + SCIATIC_PATH_NOT,
            SADDLE + _gap(5) + _core(NUMB),
            _core(r"numb bum|numb bottom|numb down there"),
            # the pelvic floor felt from inside: "I can't feel myself squeezing at all"
            _core(
                r"(?:cannot|can not|could not|do not|unable to) feel (?:myself |me |the muscles? )?"
                r"(?:squeez\w*|clench\w*|tighten\w*|contract\w*)"
            ),
            _core(r"feels? like (?:i am )?sitting on (?:cotton wool|a cushion|nothing|air)"),
            # a simile and then the site taken up again: "the bit I sit on feels like I'm
            # sitting on a bag of frozen peas, no feeling in it"
            SADDLE
            + r"(?:\s+[^\s.!?;:]+){0,12}?\s+"
            + _core(
                r"(?:no|not much|hardly any|barely any|little) (?:feeling|sensation) in (?:it|there)"
            ),
        ),
    ),
    Concept(
        "bladder_bowel_dysfunction",
        (
            _core(DIFFICULTY + _gap(3) + VOID),
            # "Flow rate's gone from a decent stream to about 2 ml/s"
            _core(
                r"(?:flow|flow rate|stream|wee|pee) (?:has |is )?(?:gone|dropped|fallen|slowed) "
                r"(?:right )?(?:down )?from (?:a |my )?(?:\S+ )?(?:decent|good|normal|strong|proper|"
                r"healthy|full)\b"
            ),
            # "since this morning the pipi refuse to come out"
            _core(
                r"(?:pee|wee|urine|water) (?:refuses?|refused|will not|would not|does not want) (?:to )?"
                r"come(?: out)?"
            ),
            # "only trickles when I go now … it still feels like there's more in there"
            _core(
                r"only (?:a )?trickles? (?:out )?when i (?:go|pee|wee)|(?:still )?feels? like there is "
                r"(?:still )?(?:more|some) (?:left )?(?:in there|to come|left)"
            ),
            # someone else's: "she wet herself at her desk this morning without realising"
            _core(
                r"wet (?:herself|himself|themselves|themself)(?= (?:\S+ ){0,6}?without (?:realising|"
                r"realizing|noticing|knowing|feeling))"
            ),
            _core(
                r"(?:loo|toilet|bathroom|bladder)(?: \S+){0,8}? (?:cannot|could not|unable to|"
                r"not able to|still cannot) (?:go|do anything|pass anything|do a wee)\b|"
                r"bladder (?:feels |is |still feels |is still )?(?:full|bursting|swollen|tight)|"
                # "since back went saturday i cant go at all. stood there half an hour."
                r"(?:cannot|can not|could not) go at all\b(?=.{0,80}\b(?:stood|sat|standing|sitting) "
                r"there\b)"
            ),
            # the urge gone: "I don't seem to get the feeling that I need the loo any more"
            _core(
                r"(?:do not|does not|cannot|can not|no longer|not) (?:\S+ ){0,2}?(?:get|feel|have) "
                r"(?:the |that |any )?(?:feeling|urge|sensation) (?:that |of )?(?:i )?(?:need|needing) "
                r"(?:the loo|the toilet|to (?:go|pee|wee|urinate))|"
                r"(?:do not|does not|cannot|can not|no longer|not) (?:\S+ ){0,2}?(?:get|feel|have) "
                r"(?:the |that )?i need (?:a wee|a pee|the loo|the toilet|to (?:go|pee|wee)) (?:feeling|urge|"
                r"sensation)"
            ),
            _core(
                r"(?:only |just )?(?:a )?(?:trickle|dribble|few drops|drops|little bit|tiny bit|"
                r"nothing|hardly anything|barely anything|very little)(?: \S+){0,2}? "
                r"(?:comes?|came|coming) out|"
                r"(?:peeing|urinating|weeing|passing urine|passing water|going for a wee) "
                r"(?:is|has been|feels?|became|got) (?:\S+ )?(?:difficult|hard|a struggle|"
                r"impossible|slow|strange|different)|"
                # (also after the bowels: "not opened my bowels or passed urine since yesterday")
                r"(?:have not|did not|not) (?:\S+ )?(?:opened (?:my |his |her )?bowels? (?:or|and|nor) )?"
                r"(?:peed|urinated|weed|passed urine|passed "
                r"water|"
                r"had a wee|been for a wee)(?! \S+ (?:normally|fine))|"
                r"bladder (?:will not|does not|would not|is not|cannot|not) (?:\S+ )?empty\w*|"
                # a new catheter (retention), not a long-term one ("Catheter bag strap rubs")
                r"(?:needed|need|had to have|had to get|put in|fitted with|given|got|gave me) (?:a |an )?"
                r"(?:emergency |urgent )?catheter\w*|catheterised (?:today|yesterday|last night|in a&e)"
            ),
            _core(
                r"(?:cannot|could not|not|do not|did not|no longer) (?:\S+ )?feel(?:ing|s)? "
                r"(?:\S+ )?(?:myself |it )?(?:peeing|pee|weeing|wee|urinating|the urine|the flow|"
                r"(?:it |the poo |myself )?(?:coming|going)|when i (?:\S+ )?(?:pee|wee|go|poo))|"
                r"(?:had|having|have|keep having) (?:an |some )?accidents? (?:in|on) "
                r"(?:my |the )?(?:pants|underwear|trousers|knickers|bed)|"
                # "I have had a couple of accidents with my bowels this week"
                r"(?:had|having|keep having) (?:\S+ ){0,3}?accidents?(?: \S+){0,3}? (?:toilet|loo|"
                r"bladder|bowels?|poo|wee|pee)|"
                r"lost control (?:down there|of myself)|(?:poo|stool|faeces)(?: \S+){0,2}? "
                r"(?:leak\w*|came out|comes out)"
            ),
            _core(
                r"(?:pee|wee|urine|water|nothing) (?:will not|would not|does not|did not|cannot|"
                r"not|just will not) (?:\S+ )?(?:come|comes|flow|flows|start|starts|pass|passes)|"
                r"(?:weak|slow|poor|thin) (?:urine |pee |wee )?(?:stream|flow)|"
                r"(?:stream|flow) (?:is |has become |got )?(?:weak|weaker|slow|poor)|"
                r"strain\w* (?:\S+ )?(?:to )?(?:pee|wee|urinate|pass urine|pass water|empty)|"
                # clinical words: "hesitancy - I have to bear down to initiate micturition"
                r"urinary hesitancy|hesitancy(?= *(?:[-,.;:!?]|$)| (?:when|with|in|starting) "
                r"(?:i |my |the )?(?:pee|wee|go|urin\w*|stream|flow))|(?:bear|bearing) down (?:\S+ ){0,2}?(?:to )?"
                r"(?:initiate|start|pass|get|void)|(?:initiat\w*|start\w*) (?:micturition|"
                r"urination|voiding)"
            ),
            _core(
                r"(?:urinary )?retention|retaining (?:urine|water)|"
                r"bladder (?:is |feels )?(?:full|swollen) (?:but|and) (?:\S+ ){0,3}?"
                r"(?:cannot|not|nothing)"
            ),
            _core(
                r"(?:lost|losing|lose|loss of|cannot|could not|unable to|not able to|difficulty|"
                r"trouble|problems?|struggl\w*) (?:\S+ ){0,2}?control\w*(?: of| over)? "
                rf"(?:my |the )?(?:{URINE}|{BOWEL})"
            ),
            _core(
                rf"(?:no|without|zero|poor|reduced) control (?:of|over) (?:my |the )?(?:{URINE}|"
                rf"{BOWEL})"
            ),
            _core(
                rf"(?:lost|losing|lose|loss of|no|reduced|poor) (?:my |the )?(?:{URINE}|{BOWEL}) "
                rf"control"
            ),
            _core(
                rf"(?:{URINE}|{BOWEL}) (?:\S+ ){{0,3}}?(?:without|out of|beyond|no) (?:my )?"
                r"(?:control|warning|noticing|knowing|feeling|realising|realizing)"
            ),
            _core(
                r"(?:cannot|could not|unable to|not able to|can no longer) hold (?:it in|on|in|"
                r"(?:my |the )?(?:urine|wee|pee|bladder|water|stools?|poo|bowels?))"
            ),
            _core(
                r"incontinen\w*|(?<!nearly )(?<!almost )wet (?:myself(?! laughing)|the bed|my (?:pants|"
                r"trousers|bed|underwear|"
                r"knickers))|"
                r"(?<!nearly )(?<!almost )wetting (?:myself(?! laughing| with laughter)|the bed)|leak\w* (?:\S+ ){0,2}?(?:urine|wee|pee)|"
                r"(?:urine|wee|pee) (?:is )?leak\w*|"
                # not the figure of speech: "nearly peed myself laughing"
                r"(?<!nearly )(?<!almost )pee\w* (?:\S+ ){0,3}?(?:myself(?! laughing| with "
                r"laughter)|without (?:knowing|noticing|realising|realizing|feeling))|"
                r"(?<!nearly )(?<!almost )(?:soiled|pooed|pooped|messed|weed|pissed) "
                r"myself(?! laughing| with laughter)|dribbl\w*"
            ),
            _core(
                r"(?:cannot|could not|not|do not|does not|unable to|no longer) (?:\S+ )?"
                r"(?:feel|know|notice|tell|sense) (?:when|if) (?:\S+ ){0,4}?(?:need to|have to|"
                r"want to|it is full|is full|full|go|need (?:the |a )?(?:toilet|loo|wee|poo))|"
                r"no (?:urge|need|feeling) to (?:pee|wee|urinate|go|poo)|"
                r"(?:not|never|no longer|do not|did not|cannot|could not) (?:\S+ )?(?:feel\w*|"
                r"get\w*|hav\w*|notic\w*|sens\w*) (?:the |any |an )?(?:urge|need|signal|"
                r"sensation|feeling) (?:to|(?:that )?i (?:need|needed|have|had|want|wanted) to|"
                r"of needing to) (?:pee|wee|urinate|go|poo|empty)"
            ),
            # Leaking or soiling found only afterwards: no awareness of a full bladder or
            # rectum ("I just find it's already happened", "didn't know until I looked").
            rf"(?:{URINE}|{BOWEL}|toilet|loo|pants|knickers|underwear|undies|accidents?)"
            + _gap(12)
            + _core(AWARE_AFTER),
            _core(AWARE_AFTER)
            + _gap(8)
            + rf"(?:{URINE}|{BOWEL}|toilet|loo|pants|knickers|underwear|undies|accidents?|"
            r"wet|soiled|leaked|messed)",
            _core(
                rf"(?:{URINE}|{BOWEL}) (?:\S+ ){{0,2}}?feels? (?:strange|different|weird|numb|"
                rf"funny|odd)"
            ),
            _core(
                r"(?:bladder|urinary|bowel|waterworks) (?:problems?|issues?|changes?|dysfunction|"
                r"trouble|symptoms?|habits? (?:have |has )?changed)|"
                r"(?:problems?|trouble|issues?|changes?|difficult\w*) (?:with|in|controlling|"
                r"passing) "
                r"(?:my |the )?(?:bladder|bowels?|peeing|urinating|urine|waterworks)"
            ),
        ),
    ),
    Concept(
        "bilateral_leg_symptoms",
        (
            # (not across another body part: "tingling in both hands in the mornings, legs are
            # fine")
            _core(RADICULAR) + _NO_OTHER_PART_GAP + LEGS_PLURAL,
            LEGS_PLURAL + _gap(7) + _core(RADICULAR),
            r"both (?:of )?(?:my |the )?(?:legs?|sides|thighs|calves)"
            + _gap(4)
            + _core(ACHE + r"|like sciatica"),
            _core(ACHE)
            + _gap(5)
            + r"(?:down|into|in|to|through) both (?:of )?(?:my |the )?(?:legs|sides|thighs|calves)",
            # not "my back aches but nothing goes down my legs"
            _core(
                ACHE
                + r" (?:(?!(?:nothing|not|never|no|but)\b)\S+ ){0,3}?(?:down|into) (?:my |the )?legs"
            ),
            _core(ACHE) + _gap(8) + r"both (?:of )?(?:my |the )?(?:legs|thighs|calves|feet)",
            # "a hot wire from each buttock down the back of the thigh", "down each leg"; "used
            # to be the right leg only. As of last night it's both"
            _core(
                r"(?:from|down|in|into|through) each (?:buttock|bum cheek|leg|thigh|calf|hip)\b"
                r"(?= [^.?!]{0,40}?\b(?:down|to|into)\b)|down each (?:leg|thigh|calf)\b"
            ),
            _core(
                r"(?:leg|side) only\W+(?:\S+ ){0,6}?(?:it is|now|now it is) both\b"
                r"(?! (?:knees|hands|arms|shoulders|elbows|wrists|hips)\b)"
            ),
            # where the pain goes: "Answer: BOTH legs now, right down the back of each one"
            _core(
                r"both (?:of )?(?:my |the )?legs(?:\s+[^\s.!?;:]+){0,2}?\s+(?:right |all the way )?down "
                r"(?:the (?:back|front|side|outside) of )?(?:each|both|them)"
            ),
        ),
    ),
    Concept(
        "sexual_dysfunction",
        (
            _core(DIFFICULTY + _gap(3) + r"(?:an )?erections?"),
            _core(
                # "cannot get it up", not "can barely get up for work"
                DIFFICULTY
                + r" (?:\S+ )?(?:getting|get|stay|staying|keeping) (?:it (?:hard|up)|hard)"
            ),
            _core(
                r"erections? (?:have |has )?(?:stopped|gone|disappeared|not working)|"
                r"erect\w* (?:problems?|issues?|dysfunction|trouble|difficult\w*)|erectile|"
                r"impoten\w*"
            ),
            # "my tackle won't work", "hardware won't boot, if you know what I mean"
            _core(
                r"(?:(?:tackle|junk|manhood|little (?:fella|fellow|guy|man)|old (?:chap|boy)|"
                r"(?:hardware|equipment|plumbing|downstairs)(?=.{0,40}if you know what i mean)) "
                r"(?:will not|would not|does not|did not|cannot|can not|refuses to|has stopped|"
                r"stopped) (?:\S+ )?(?:boot|start|work|rise|stand|perform|power|salute|respond|"
                r"get up|play ball)\w*)"
            ),
            _core(
                r"(?:cannot|could not|unable to|not able to|no longer) (?:\S+ ){0,2}?"
                r"(?:ejaculat\w*|orgasm\w*|climax\w*)"
            ),
            _core(
                r"(?:no|lost|loss of|reduced) (?:\S+ )?(?:erections?|sensation during sex|feeling "
                r"during sex)"
            ),
            SEX_SITE + _gap(3) + _core(NUMB),
            # "I don't feel nothing on the zizi when she touch"
            _core(NUMB) + _gap(2) + r"(?:on|in|around) (?:the |my )?" + SEX_SITE,
            _core(NUMB) + _gap(3) + r"(?:during|in|with|when having) (?:sex|intercourse)",
            _core(
                r"(?:orgasms?|climax\w*|ejaculat\w*)(?: \S+){0,2}? (?:feels? |is |are )?(?:muted|"
                + NUMB_WORD
                + r"|dull\w*|weak\w*|gone|different)"
            ),
        ),
    ),
    # --- neurological deficit --------------------------------------------------------------
    Concept(
        "leg_weakness",
        (
            _core(WEAK) + _gap(4) + LIMB,
            LIMB + _gap(4) + _core(WEAK),
            _core(r"legs? (?:will not|do not|does not|would not) (?:work|move|hold me)"),
            _core(r"keeps? (?:stumbling|tripping)|keep (?:stumbling|tripping)"),
            # strength measured falling: "Tracking right leg strength: Monday 10 sit-to-stands,
            # Wednesday 6, today 3 … Clear downward trend"
            _core(LEG_STRENGTH_FALLING),
            # plantar flexion: "right ankle won't push down properly"
            _core(
                r"(?:ankle|foot|toes) (?:will not|would not|does not|cannot|can not) (?:\S+ )?push "
                r"(?:down|off)"
            ),
            # strength lost against the leg's own before: "left leg 'not as strong as it was'"
            LIMB
            + r" (?:\S+ ){0,2}?"
            + _core(
                r"(?:not|no longer|never) (?:as|so) strong (?:as (?:it|they|he|she) (?:was|were|"
                r"used to be)|as (?:before|normal|usual|the other))|not strong (?:any ?more|like "
                r"before)"
            ),
            # "my right leg isn't lifting properly … I have to lift it in with my hands"
            _core(
                r"(?:legs?|foot) (?:is not|will not|does not|would not) (?:lift|lifting) properly|"
                r"(?:have|had) to lift (?:it|my leg|my legs) (?:in|up|into the car) with my hands"
            ),
            # functional weakness: calf (S1) and quadriceps weakness shown by what the leg
            # cannot do ("struggling to go up on tiptoe", "my leg will not push me up the stairs")
            _core(TIPTOE_WEAK),
            _core(
                r"(?:legs?|knees?|foot|thigh) (?:\S+ ){0,3}?(?:will not|would not|does not|do not|"
                r"cannot|could not|is not strong enough to|is too weak to) (?:\S+ ){0,2}?(?:push|"
                r"lift|take|carry|get|hold) (?:me|my weight|myself|my body) (?:up|on)|"
                r"(?:pull|drag|haul|heave|lift|hoist) my (?:\S+ )?legs? up (?:the )?"
                r"(?:stairs|steps|kerb|curb)"
            ),
            _core(
                r"legs? (?:\S+ )?(?:like jelly|like rubber)|keeps? (?:falling|collapsing) (?:over|"
                r"down)"
            ),
        ),
    ),
    Concept(
        "foot_drop",
        (
            _core(
                r"(?:foot|toes?) (?:will not|would not|does not|do not|cannot|could not) "
                r"(?:\S+ )?(?:come up|lift|raise|go up|bend up)|"
                r"foot ?drop|drop ?foot|(?:foot|toes?) (?:is |are |keeps? |keep )?(?:dragging|"
                r"drags|"
                r"slapping|slaps|catch\w*|scuff\w*|flop\w*)|drag\w* (?:my )?(?:\S+ )?(?:foot|leg|"
                r"toes)|"
                r"(?:trip\w*|stumbl\w*) over (?:my )?(?:own )?(?:foot|feet|toes)|"
                r"(?:cannot|could not|unable to|not able to|can no longer|difficult\w* to|trouble|"
                r"struggl\w* to) (?:lift|raise|pull up|bend up|point|move|flex) (?:\S+ ){0,2}?"
                r"(?:foot|toes|ankle|big toe)|"
                r"(?:cannot|could not|unable to|not able to|can no longer|can hardly|can barely|"
                r"struggl\w* to|hard to|difficult\w* to|trouble) (?:\S+ )?(?:stand\w*|walk\w*|"
                r"balanc\w*|rock\w*|go\w*|get\w*) (?:back )?on (?:my |the )?(?:\S+ )?heels?|"
                r"(?:foot|feet|shoe|sole) (?:\S+ ){0,5}?(?:slap|flap|smack|slam)\w*"
            ),
        ),
    ),
    Concept(
        "limb_sensory",
        (
            # ("the numb patch started on my little toe")
            _core(NUMB) + r"(?: (?:patch|area|spot|bit))?" + _gap(4) + LIMB,
            LIMB + _gap(3) + _core(NUMB),
        ),
    ),
    Concept(
        "progression",
        (
            _core(
                # (no denial inside: "is not getting worse", "is no worse")
                r"(?:getting|got|becoming|became|grown|growing|gets|going|is|go|goes) "
                r"(?:(?!not\b|no\b|never\b|hardly\b)\S+ ){0,2}?"
                # "worse when I wear tight jeans" is what aggravates it, not a change over time
                # (nor a comparison: "leg pain is worse than my back pain")
                r"(?:worse(?! (?:when|if|with|after|during|while|whenever|on|at night|in the "
                r"(?:morning|evening)|first thing|than (?:my |the )?back))|weaker|more numb)|"
                r"weaker and weaker|"
                r"worse and worse|worsening|"
                r"progress\w*|spread\w*|more and more|day by day|by the hour|increasing\w*|"
                r"deteriorat\w*|worse today|now (?:also|even)|"
                # "worse than yesterday and yesterday was worse than Sunday"
                r"(?:worse|weaker|more numb) than (?:it was |they were )?(?:yesterday|last night|"
                r"this morning|the day before|last week|(?:on |last )?(?:mon|tues|wednes|thurs|fri|"
                r"satur|sun)day)\b|"
                # spreading told by where it reaches now: "started on my little toe on Monday.
                # Now it goes up the outside of my leg to my knee"
                r"now (?:it )?(?:goes|has gone|has moved|reaches|has crept|creeps|is going) "
                r"(?:all the way )?(?:up|down)\b|"
                # "… After, it was the calf. Now it arrived to the knee. It is climbing."
                r"now it (?:arrived|arrives|reached|reaches|got|gets|came) (?:up )?to (?:the|my)\b|"
                r"it is (?:climbing|creeping up|moving up)|"
                # an ability fading day by day: "yesterday I just about could"
                r"yesterday i (?:just about|only just|barely|could barely|could only just) could|"
                + LEG_STRENGTH_FALLING
            ),
        ),
    ),
    # --- fracture (Downie et al. BMJ 2013;347:f7095) -----------------------------------------
    Concept(
        "significant_trauma",
        (
            _core(
                r"(?:car|bike|motorbike|motorcycle|cycling|ski|skiing|road|traffic|bus|riding|"
                r"horse|"
                r"rugby|football|sports?) (?:crash|accident|collision|fall)|"
                r"(?:was|were|been) in a (?:crash|collision|car crash|car accident|accident)|"
                + VEHICLE_OVER
                + r"|"
                r"crashed (?:my|the|a|into|on)|collision|collided|"
                r"hit by (?:a )?(?:car|bus|van|lorry|truck|vehicle|motorbike|bike|cyclist)|"
                r"knocked (?:down|over|off)(?: \S+){0,3}? by (?:a |the )?(?:car|van|bus|lorry|"
                r"truck|"
                r"vehicle|motorbike|cyclist|bike|horse)|knocked off (?:my |a |the )?(?:bike|"
                r"motorbike|horse|scooter)|run over|"
                r"fell (?:\S+ ){0,3}?(?:from|off|down|through) (?:a |the |my |our )?"
                + HEIGHT_PART
                + r"(?:\S+ )?"
                r"(?:ladder|roof|height|stairs|staircase|steps|horse|scaffold\w*|tree|wall|balcony|"
                r"window|bunk bed|cliff|building|loft|attic|bike|motorbike|motorcycle|trampoline|"
                r"stair)|"
                r"fall (?:from|off|down) (?:a |the |my )?"
                + HEIGHT_PART
                + r"(?:\S+ )?(?:ladder|roof|height|stairs?|"
                r"staircase|steps|horse|scaffold\w*|tree|wall|balcony|window|cliff|building|bike|"
                r"trampoline)|"
                # "I fell, two meters maybe", "fell off the okada", "I rolled maybe 10 steps"
                r"(?:fell|fall\w*),? (?:from )?(?:about |around |over |maybe )?(?:one|two|three|four|"
                r"five|six|seven|eight|nine|ten) (?:m|meters?|metres?|feet|foot)\b|"
                r"fell off (?:the |a |my )?(?:okada|boda(?:-boda)?|moto|motorbike|motorcycle|scooter)|"
                r"rolled (?:down )?(?:maybe |about |around )?(?:\d+|ten|twelve|several) (?:steps|stairs)|"
                r"(?:fell|fall\w*) (?:from )?(?:about |around |over )?\d+(?:\.\d+)? ?"
                r"(?:m|meters?|metres?|feet|ft|foot)\b|"
                r"landed (?:hard |heavily )?on (?:my )?(?:back|head|neck|tailbone|coccyx)|"
                r"(?:went|came|fell) down (?:hard|heavily) on (?:my )?(?:back|head|neck|tailbone|"
                r"coccyx)|"
                r"came off (?:my |a |the )?(?:motorbike|motorcycle|bike|horse|scooter|quad)|"
                r"thrown (?:from|off)|high[- ]speed|whiplash|assault\w*|beaten up|"
                r"kick\w* (?:me |him |her )?(?:in|on) (?:the |my |his |her )?back|tackled|"
                r"diving accident|dived into|"
                # without the words between: "fall stairs", "down stairs all way" (aphasia,
                # learners)
                r"(?:fell|fall|falled|fallen|falling) (?:down )?stairs|down (?:the )?stairs all "
                r"(?:the )?way|"
                # "went down a whole flight of stairs", "went down about 10 steps on my back"
                r"went down (?:a |the )?(?:whole |full |entire )?flight(?: of (?:stairs|steps))?(?: on my "
                r"(?:back|bum|bottom|backside))?|"
                r"(?:went|fell|came) down (?:about |around |over )?(?:\d+|ten|twelve|fifteen|several|"
                r"a dozen) (?:stairs|steps)|"
                r"(?:struck|hit|knocked (?:down|over)) by (?:a |an |the )?(?:\S+ )?(?:forklift|"
                r"reversing \S+|vehicle|lorry|truck|van|bus)|"
                r"accident (?:with|on) (?:a |the |my )?(?:motorbike|motorcycle|motor bike|scooter|"
                r"car|bike)|"
                # (the vehicle in the core: "our coach went off the road" is not about a coach)
                r"(?:(?:coach|bus|minibus|car|van|taxi|lorry) )?(?:went|gone|came|veered|ran|run) off "
                r"the road|(?:coach|bus|car|van|lorry) "
                r"(?:overturned|rolled over|crashed)|"
                r"(?:car|van|bus|cyclist|scooter|e-scooter|motorbike|lorry)(?: \S+){0,8}? knocked me "
                r"(?:flat|down|over)|came off (?:our|the|my|a) (?:tandem|bike|motorbike) at speed"
            ),
            # a heavy player landing on the writer: "one player fell with all his weight on my
            # back", "big guy jump on my back and I fell hard" (the core leaves out the player)
            _core(r"(?:jump\w*|land\w*|fell|fall\w*)(?: \S+){0,4}? with(?: all)?")
            + r" (?:his|her|their) (?:full )?weight on (?:my|me)\b",
            r"(?:guy|man|player|bloke|lad|opponent|defender|forward) (?:\S+ ){0,2}?"
            + _core(r"(?:jump\w*|land\w*|fell|came down) on (?:top of )?(?:me|my back)"),
        ),
        time="event",
    ),
    Concept(
        "minor_trauma",
        (
            _core(
                r"fell(?! asleep| in love| ill| pregnant)|(?:a|my|the) (?:\S+ )?fall\b|slipp?ed|"
                r"tripp?ed|"
                r"sat (?:down )?(?:heavily|hard|awkwardly)|felt (?:my |a |something )?(?:\S+ )?"
                r"(?:crunch|crack|snap|pop|give|go)\w*|crunch\w*|"
                r"stumbled|lost my (?:balance|footing)|landed (?:\S+ )?on|landed (?:hard|heavily|"
                r"badly|awkwardly)|missed (?:a|the) (?:\S+ )?step|went flying|fell (?:backwards|"
                r"over|"
                r"down)|bumped|knocked|twisted|"
                r"jarred|jolted|lifted|" + LIFT_ASKED_BEFORE + r"lifting" + LIFT_ASKED_AFTER + r"|"
                r"bent (?:down|over)|bending down|sneezed|sneezing|"
                r"coughed|coughing fit|after (?:a |some )?(?:\S+ )?(?:coughing|sneezing)|picked (?:\S+ ){0,2}?up|"
                r"felt (?:a |something )?(?:crack|snap|pop|give)\w*|"
                r"something (?:crack|snap|popp|gave|went)\w*|heard (?:a )?(?:crack|snap|pop)"
            ),
        ),
        time="event",
    ),
    Concept(
        "fracture_words",
        (
            _core(
                # within one sentence: not "broke my wrist. back has been fine since"
                r"(?:fractur\w*|broke\w*|broken|crack\w*) (?:[^\s.!?;]+ ){0,2}?(?:back|spine|"
                r"vertebra\w*|coccyx|tailbone)"
                # not the idiom "broke my back laughing", not a joint click that "felt good,
                # like cracking knuckles"
                # … nor a manipulation: "the osteopath cracked my back and it feels loads better"
                r"(?! laughing)(?![^.!?]{0,80}(?:felt (?:good|great|nice|better)|"
                r"feels? (?:\S+ ){0,2}?(?:good|great|nice|better)|like cracking "
                r"(?:my |your )?knuckles|what a relief))|"
                r"(?:back|spine|vertebra\w*) (?:[^\s.!?;]+ ){0,2}?"
                r"(?:fractur\w*|broken|"
                r"cracked)|"
                r"vertebral fracture|compression fracture"
            ),
        ),
        time="event",
        diagnosis_word=True,
    ),
    Concept(
        "osteoporosis",
        (
            _core(
                r"osteopor\w*|osteopeni\w*|brittle bones?|thin(?:ning)? bones|low bone density|"
                r"bone density (?:is )?low|fragile bones"
            ),
        ),
        time="history",
    ),
    Concept(
        "steroids",
        (
            _core(
                r"(?:oral )?(?:steroids?|prednis\w*|\bpred\b|corticosteroids?|dexamethasone|hydrocortisone|"
                r"methylprednisolone)(?! injection| jab| shot| cream| inhaler| spray| epidural)"
            ),
        ),
        time="exposure",
    ),
    # --- infection -------------------------------------------------------------------------
    Concept(
        "fever",
        (
            _core(
                r"(?<!hay )(?<!glandular )(?<!scarlet )(?<!yellow )fever\w*|feverish|febrile|"
                r"(?:high|a|running a|had a|got a|with a|have|has|got) "
                r"temperature|"
                r"temperature (?:of |is |was )?(?:3[89]|4[0-2])|\b3[89](?:\.\d)? ?(?:degrees|deg|"
                r"c)\b|" + TEMPERATURE_READING + r"|"
                r"\b10[0-4](?:\.\d)? ?(?:degrees|f)\b|chills|rigou?rs|shiver\w*(?! (?:down|up) (?:my|the) spine)|hot and cold|"
                r"cold and hot|(?:night )?sweats|sweating (?:at night|a lot at night)|flu[- ]?like|"
                r"(?:sweat\w*|soak\w*|drench\w*|wet)(?: \S+){0,4}? (?:at night|the sheets|sheets|"
                r"pyjamas|bed clothes|bedclothes)|high temp\b|temp (?:of |is |was )?(?:3[89]|"
                r"4[0-2])|" + BURNING_UP
            ),
        ),
    ),
    Concept(
        "iv_drug_use",
        (
            _core(
                r"inject\w* (?:\S+ )?(?:drugs|heroin|myself|speed|meth(?:amphetamines?|s)?\b|cocaine|crack)|"
                r"\bi (?:still )?inject\b(?! (?:\S+ )?(?:insulin|medicine|medication|methotrexate|"
                r"heparin|vitamin|b12|fertility|hormones?|testosterone|humira|adalimumab|my pen|"
                r"wegovy|ozempic|mounjaro|semaglutide|tirzepatide|saxenda|liraglutide))|"
                r"(?:use|using|used|take|taking|on) (?:street drugs|crack|cocaine|meth(?:amphetamines?|s)?\b)|"
                r"needles? for drugs|"
                r"(?:iv|intravenous) drug\w*|heroin|shoot\w* up|(?:drug|needle) us(?:e|er|ing)|"
                + INJECTING
                + r"|"
                + DRUG_RELAPSE
            ),
        ),
        time="exposure",
    ),
    Concept(
        "immunosuppression",
        (_core(IMMUNO_WORDS),),
        time="exposure",
    ),
    Concept(
        "spinal_procedure",
        (
            _core(
                r"(?:spinal|spine|back|epidural|facet|disc|lumbar) (?:\S+ )?(?:injection|surgery|"
                r"operation|op|procedure|fusion|decompression|infiltration)|epidural|discectomy|"
                r"laminectomy|infiltration in (?:the|my) (?:back|spine)|"
                # an implanted spinal cord stimulator and its battery
                r"(?:spinal cord |nerve )?stimulator|battery pocket|(?:had|have|got) a spinal\b|spinal "
                r"(?:anaesthetic|anesthetic|block)"
            ),
        ),
        time="event",
    ),
    Concept(
        "wound_signs",
        (
            _core(
                r"(?:red|hot|swollen|angry|weeping|oozing|tender)(?: \S+){0,2}? (?:lump|area|patch|"
                r"bump|skin|swelling)|"
                # the words between may not deny it: "scar fine, no redness, nothing leaking"
                r"(?:wound|scar|injection site|the spot|incision|stitches|site|battery pocket|"
                r"pocket|generator|place of the needle|needle site|puncture (?:spot|site|mark)) "
                r"(?:(?!(?:no|not|nothing|never|fine|ok|okay|normal|good|healed|clean)\b)\S+ ){0,6}?"
                r"(?:red|hot|swollen|ooz\w*|leak\w*|pus|discharg\w*|weep\w*|infected)"
            ),
        ),
    ),
    # --- malignancy (NICE NG234; Downie et al. 2013) ---------------------------------------
    Concept(
        "cancer",
        (
            _core(
                r"(?:(?:breast|prostate|lung|bowel|colon|colorectal|kidney|renal|thyroid|skin|"
                r"stomach|ovarian|cervical|pancreatic|bladder|blood|bone|liver|testicular|womb|"
                r"uterine|oesophageal|esophageal|throat|mouth|brain) )?cancer|chemo\w*|"
                r"radiotherapy|radiation (?:therapy|treatment)|metasta\w*|myeloma|lymphoma|"
                r"leuka?emia|carcinoma|melanoma|sarcoma|malignan\w*|tumou?rs?|oncolog\w*|"
                r"(?:breast|prostate|lung|bowel|colon|ovarian|skin) ca\b"
            ),
        ),
        time="history",
        diagnosis_word=True,
    ),
    Concept(
        "weight_loss",
        (
            _core(
                WEIGHT_DROP + r"|weight loss|"
                r"weight (?:keeps |is |has been )?(?:coming|falling|dropping|melting) off|"
                r"weight (?:has )?(?:dropped|gone down|is dropping|goes down|is going down|going "
                r"down|went down|keeps (?:going down|dropping))|"
                r"(?:dropped|gone down|lost|down) (?:\S+ ){0,2}?(?:dress|trouser|clothes|clothing|"
                r"jeans?|belt|waist) sizes?|"
                r"(?:clothes|trousers|jeans|belt|rings?|pagne) (?:\S+ ){0,3}?(?:loose|looser|baggy|too "
                r"big|too large|"
                r"falling off)|(?:getting|became|become|becoming) (?:very )?(?:thin|thinner|skinny)|"
                r"wasting away|"
                # "weight has been dropping", "my clothes becoming big on me", "clothes are
                # hangin off me", "mum has got really thin"
                r"weight (?:has been|had been|keeps|is|was) (?:\S+ )?(?:dropping|falling|going "
                r"down)|(?:clothes|trousers|jeans|skirts?|dress\w*) (?:are |is )?(?:\S+ )?(?:becoming|"
                r"getting|gone|going|feel|feeling|are|is) (?:too |so |very )?(?:big|huge|large) on "
                r"(?:me|him|her|them)\b|(?:clothes|trousers|jeans|skirts?|dress\w*) (?:are |is )?"
                r"hang\w* off (?:me|him|her|them)\b|(?:has|have|had) (?:got|gone|become) (?:really |very "
                r"|so |quite |that )?(?:thin|skinny|thinner|skinnier)\b"
            ),
        ),
    ),
    Concept(
        "weight_loss_intended",
        (
            _core(
                r"\b(?:diet\w*|trying to|tried to|on purpose|wants? to|wanted to|wanting to|need to|needed to|"
                r"should|would like|gym|slimming|weight ?watchers|plan\w*|calori\w*|"
                r"intentional\w*|deliberate\w*|fasting|exercis\w* more|healthier|goal|ozempic|"
                r"wegovy|mounjaro|semaglutide|tirzepatide|swimming|cycling|walking more|"
                + WEIGHT_LOSS_TREATMENT
                + r"|"
                r"since i started|yoga|pilates|eating (?:better|less|healthier)|"
                # dialysis: the target weight moved because more fluid is taken off
                r"dry weight|(?:took|take|taking|taken) (?:more |extra )?(?:fluid|water) off)\b"
            ),
        ),
    ),
    Concept(
        "weight_loss_unexplained",
        (
            _core(
                r"without trying|not trying|not (?:on a )?diet\w*|no diet|do not know why|"
                r"for no reason|no reason|unexplained|unintentional\w*|no idea why|not sure why|"
                r"not eating less|eating normally|eating the same|"
                r"without (?:any |a )?diet\w*|i (?:eat|am eating) normal(?:ly)?\b|(?:she|he|they) "
                r"(?:eats?|is eating|are eating) (?:the same|normal(?:ly)?|as usual|as much)"
            ),
        ),
    ),
    Concept(
        "night",
        (
            _core(
                r"night\w*(?! shifts?| duty| duties| work| out\b| off\b)|overnight|in bed|"
                r"(?:cannot|can not|could not) sleep (?:for|with|because of) (?:the )?pain|"
                r"lying (?:down|still|in bed|flat)|wakes? me|woken|"
                r"waking (?:me )?up"
            ),
        ),
    ),
    Concept(
        "unrelenting",
        (
            _core(
                r"always there|always present|there all the time|"
                r"(?:no|any|every|whatever|whichever|any other|a different|changing) position "
                r"(?:\S+ ){0,2}?(?:helps?|eases?|relieves?|makes (?:a |any )?difference|works?|"
                r"changes? (?:it|anything))|"
                r"(?:nothing|not anything|no painkiller\w*|no medication|no tablets?) (?:\S+ "
                r"){0,3}?"
                r"(?:helps?|eases?|relieves?|works?|touches it|takes it away|takes the edge off|calms?)|"
                + IF_NOT_BEFORE
                + r"(?:does not|do not|did not|will not|never|not|cannot) (?:\S+ ){0,2}?(?:ease|"
                r"eases|"
                r"easing|let up|lets up|settle|settles|go away|goes away|stop|stops|change|changes|"
                r"improve|improves|get better|gets better)|"
                r"constant\w*|unrelenting|relentless|non[- ]?stop|no matter what|whatever i do|"
                r"nothing i do|all the time|(?:i )?(?:tried|try|have tried) everything|"
                r"(?:pain|it|ache|hurts?)(?: \S+){0,4}? all night|"
                r"(?:wakes?|woken|waking) (?:me )?(?:\S+ ){0,3}?every night|"
                r"(?:does not|do not|did not|never|will not) (?:even )?touch (?:it|the pain)|"
                r"every night (?:\S+ ){0,3}?(?:pain|wakes?|hurts?)|night after night|"
                r"day (?:and|or) night|around the clock|24 ?(?:/|hours a day) ?7?|"
                r"worse (?:when i am |when |)lying (?:down|flat)|"
                r"(?:sleep|sleeping|slept) (?:sitting up )?(?:in|on) (?:a|the) (?:chair|armchair|"
                r"recliner)|"
                r"even (?:when )?(?:i am )?(?:lying|resting|at rest|still|in bed)|at rest|"
                r"never lets? up"
            ),
        ),
    ),
    # --- abdominal aortic aneurysm (NICE NG156) and other emergencies --------------------------
    Concept(
        "tearing_pain",
        (
            _core(
                r"(?:tearing|ripping|ripped|torn|shredding)(?: \S+){0,2}? (?:pain|sensation|"
                r"feeling|ache)|"
                r"(?:feels?|felt|feeling) (?:\S+ ){0,3}?(?:like )?(?:something )?(?:is |was )?"
                r"(?:tearing|ripping|being torn|ripped|torn apart)|"
                r"something (?:has |had )?(?:tore|torn|ripped|burst)|"
                r"(?:like )?something (?:is |was )?(?:ripping|tearing) (?:inside|in|through|apart)"
            ),
        ),
    ),
    Concept(
        "pulsatile_abdomen",
        (
            _core(
                rf"(?:puls\w*|throbb\w*|beating|heartbeat|pounding)(?: \S+){{0,3}}? (?:in|on|"
                rf"inside) "
                rf"(?:my )?{ABDOMEN}|(?:puls\w*|throbb\w*|beating) (?:lump|mass|swelling)|"
                rf"(?:lump|mass|swelling)(?: \S+){{0,4}}? (?:puls\w*|throbb\w*|beat\w*)|"
                rf"{ABDOMEN}(?: \S+){{0,3}}? (?:is |feels )?(?:puls\w*|throbb\w*|beating)"
            ),
        ),
    ),
    Concept("abdomen", (_core(ABDOMEN),)),
    Concept("period_pain", (_core(r"periods?\b|menstrua\w*|time of the month"),)),
    Concept(
        "sudden_onset",
        (
            _core(
                r"sudden\w*|all at once|all of a sudden|out of nowhere|out of the blue|"
                r"came on (?:fast|quickly)|abrupt\w*|without warning"
            ),
        ),
    ),
    Concept(
        "severe",
        (
            _core(
                r"severe|terrible|excruciating|agony|agonising|agonizing|" + WORST + r"|"
                r"unbearable|extreme|"
                r"intense|(?:very|so|extremely|really|terribly) bad|awful|horrible|(?:9|10)/10|"
                r"(?:9|10) out of 10|off the (?:scale|charts?)|on another level|"
                r"(?:cannot|can not) move without (?:screaming|crying)|"
                # "today back pain too much, I am crying"
                r"(?:pain|it) (?:is )?too much|crying (?:with|from|in) (?:the )?pain|i am crying|"
                r"(?:very|really|so|too) (?:very |really )?strong|"
                r"(?:cannot|could not) (?:even )?stand (?:up )?straight"
            ),
        ),
    ),
    Concept(
        "collapse",
        (
            _core(
                r"faint\w*|pass(?:ed|ing)? out|collaps\w*(?! into (?:bed|the bed|the sofa|"
                r"the couch|my bed|a chair|the chair))|black(?:ed|ing)? out|dizzy|dizziness|"
                + SYNCOPE_PHRASES
                + r"|"
                r"light ?headed|clammy|cold sweat|sweaty and pale|pale and sweaty|sweating"
            ),
        ),
    ),
    Concept(
        "aneurysm",
        (_core(r"(?:aneurysm|\baaa\b|aortic dissection)" + RULED_OUT),),
        time="history",
        diagnosis_word=True,
    ),
    Concept(
        "chest_pain",
        (
            _core(
                r"crushing (?:\S+ )?(?:in|on|across) (?:my |the )?chest|"
                r"chest (?:feels? )?(?:tight|heavy|crushed|squeezed)|tight(?:ness)? (?:feeling "
                r")?in "
                r"(?:my |the )?chest|"
                # back pain that goes round to the front: "is it normal for back pain to go
                # round into the front of your chest?"
                r"(?:pain|ache|aching|hurt\w*|tightness|pressure|heaviness) (?:\S+ ){0,3}?(?:goes|go|"
                r"going|went|gone|spread\w*|radiat\w*|mov\w*|travel\w*|wrap\w*|com\w*|shoot\w*) "
                r"(?:round |around |through |right )?(?:in)?to (?:the front of )?(?:my |your |the )?"
                r"chest|"
                r"(?:across|into|in|round to|through to) the front of (?:my |the )?chest|"
                r"chest (?:pain|tightness|pressure|heaviness)|(?:pain|tightness|pressure|"
                r"heaviness) "
                r"(?:in|across|on) (?:my |the )?chest|crushing (?:\S+ ){0,2}?(?:pain|chest)|"
                # not the figure of speech: "I nearly had a heart attack 😂"
                r"(?<!nearly had a )(?<!almost had a )(?<!gave me a )(?<!give me a )(?<!near )"
                r"(?<!thought i was having a )(?<!thought it was a )heart attack"
            ),
        ),
    ),
    Concept(
        "suicidal",
        (
            _core(
                r"(?:kill|end|take|ending|killing|taking) (?:my ?self|my (?:own )?life|it all)|"
                # told by a relative: "he's thought about killing himself", "she wishes she was dead"
                r"(?:killing|kill) (?:him|her|them)sel(?:f|ves)|wish(?:es|ed)? (?:she|he|they) "
                r"(?:was|were) dead|"
                # someone else's attempt, read for the patient by a relative (triage.py)
                r"(?:tried|attempted|trying) to (?:kill|end|take) (?:him|her|them)(?:self|selves)|"
                r"(?:tried|attempted|trying) to (?:end|take) (?:his|her|their) (?:own )?life|"
                # (not "took his own life", a death: triage.py _THEIR_SUICIDE)
                r"(?:thinking|thought|thoughts|talk\w*|spoke|spoken) (?:about|of) (?:ending|taking) "
                r"(?:his|her|their) (?:own )?life|"
                r"(?:made|make|making) an attempt on my (?:own )?life|"
                # about people in general ("does anyone kill themselves over back pain?"): a
                # general question unless the writer makes it their own (danger.py)
                r"(?:kill|killing|killed|end|ending) themselves|"
                # "do people with back pain like mine ever end up taking their own life?"
                r"(?:take|taking|end|ending) their (?:own )?li(?:fe|ves)\b|"
                r"(?<!not )worth (?:going on|carrying on|living)\b(?! (?:the|a|an|with|to|for|in)\b| at (?!all\b))|"
                # a farewell: "this is goodbye. cannot work, cannot pay the bills"
                r"this is (?:my )?goodbye(?! to\b)|"
                + SUICIDE_METHOD
                + r"|"
                + SUICIDE_WORD
                + r"|(?:thoughts?|think\w*) (?:about|of) (?:dying|death|ending (?:it|things)|not being here)|"
                r"not being (?:around|here|alive)|(?:not|never) waking up|"
                # British and internet slang: "thoughts of topping myself", "unalive"
                r"top(?:ping|ped)? (?:my|him|her)self|do(?:ing)? (?:my|him|her)self in|"
                r"off (?:my|him|her)self|unalive\w*|" + SUICIDE_EUPHEMISM + r"|"
                r"(?:do not |does not |cannot |can not )?see (?:the |any )?point (?:in |of )?"
                r"(?:living|life|going on|being alive|carrying on)|"
                r"(?:life is not|life isnt) worth living|rather be dead|wish i (?:was|were) dead|"
                r"(?:overdose|take all (?:my|the) (?:tablets|pills))|want to disappear|"
                # the intent to take a whole supply: "I want to take all of them and sleep forever"
                r"(?:want|wanna|going|gonna|tempted|thinking about|thought about|planning) "
                r"(?:\S+ ){0,2}?(?:to )?(?:take|taking|swallow\w*|down|downing) (?:all of (?:them|it)|"
                r"them all|the (?:whole|entire) (?:lot|box|bottle|packet|pack|strip)|the lot|every "
                r"(?:last )?(?:one|tablet|pill))" + DOSE_TIMING_NOT + r"|"
                r"(?:want|wanna|wish|wishing|would like|going) (?:\S+ )?to (?:go to )?sleep (?:forever|"
                r"for ever|and never wake)|"
                # learners and aphasia: "want die", "better I am not alive"
                # "I ask God to take me", "I don't want wake up", "better I die than live like this"
                r"(?:ask\w*|pray\w*|beg\w*) (?:god|allah|jesus|the lord|him|nzambe) to take me\b|"
                # "I wish God take my soul and finish", "Allah please take my life"
                r"wish\w* (?:that )?(?:god|allah|jesus|the lord) (?:would |will |to |could |can )?"
                r"(?:just )?take (?:me|my soul|my life)\b|(?:god|allah|lord),? (?:please |just )?take "
                r"(?:my soul|my life)\b|"
                # a relative's threat relayed: "he will take all his tablets at once"
                r"(?:will|would|going to|threaten\w* to|wants? to|talk\w* (?:about|of)) (?:\S+ )?"
                r"tak(?:e|ing) all (?:of )?(?:his|her|their) (?:\S+ )?(?:tablets|pills|meds|"
                r"painkillers)\b" + DOSE_TIMING_NOT + r"|"
                r"(?:do not|does not) want (?:to )?wake up\b|better (?:that |if )?i (?:die|died)\b|"
                r"(?:want|wants|wanna|wish) die\b|better (?:that )?i (?:am|was|were) not (?:alive|"
                r"here|around)|better (?:that |if )?i (?:am|was|were) dead|"
                r"(?:want|wanted|wish|wishing|going) (?:\S+ ){0,2}?(?:to die|to be dead|i was dead|"
                r"i were dead|to not wake up|not to wake up|not be here)|better off dead|"
                r"self[- ]?harm\w*|(?:want|wanted|going|thinking about|thoughts of|urge to) (?:\S+ "
                r")?"
                r"(?:hurt|harm)(?:ing)? myself|no (?:reason|point) (?:to|in) (?:live|living|going on)|"
                r"do not want to (?:live|be alive|be here)|"
                # relayed: "mum says she doesnt want to be alive anymore", "she wishes she would
                # just die", "he wants to be dead"
                r"(?:does not|did not) want to (?:live|be alive|be here)(?: any ?more| any longer)|"
                r"wish(?:es|ed)? (?:that )?(?:i|he|she|they) (?:would|could) (?:just )?(?:die|be dead)\b|"
                r"wants (?:\S+ )?to (?:die|be dead)\b(?! (?:his|her|my|their|your) hair)|"
                # passive wishes: "it would be easier to not be alive", "better to die than"
                r"(?:easier|better) (?:to die|off dead|dead)(?: than)?|(?:easier|better|simpler) (?:for (?:everyone|everybody|them|all) )?(?:\S+ ){0,2}?(?:to not be|not to be|if i (?:am|was|were) not|if i (?:was|were)(?:n not)?) (?:alive|here|around|dead|gone)|not (?:be|being) alive|(?:rather|prefer to) not (?:be|exist)"
            ),
            # a denial taken back: "The nurse asked if I had thoughts of ending my life and I said
            # no because I wanted to go home. Truth is I do, most nights"
            r"(?:thoughts? (?:of|about)|thinking (?:of|about)|thought (?:of|about)) (?:ending|"
            r"taking|killing|hurting|harming) (?:my|it|myself|things)\b[^?]{0,160}?\b(?:said|told "
            r"(?:her|him|them|the \w+)|answered|ticked|put) (?:no|not at all)\b[^?]{0,120}?"
            + _core(
                r"(?:the )?truth is,? i (?:do|have|did|am)\b|i (?:lied|was lying|was not honest)\b|"
                r"(?:but )?(?:actually|really|honestly),? i (?:do|have)\b(?! not\b)"
            ),
            # a means looked at: "looking at the rope for the hammock and thinking about using
            # it on myself"
            r"(?:rope|noose|cord|cable|flex|belt|knife|blade|razor|gun|shotgun|rifle),?"
            + _gap(8)
            + _core(
                r"(?:thinking about|thought about|tempted to|want to|going to|could) (?:\S+ ){0,2}?"
                r"(?:us(?:e|ing)|tak(?:e|ing)) (?:it|them|that) (?:on|to) myself"
            ),
            # a drop looked at: "staring at the balcony all night thinking it would be easier
            # to just go over it. 11th floor."
            r"(?:balcony|bridge|ledge|roof|cliff|window|railings?)"
            + _gap(10)
            + _core(
                r"(?:easier|better|simpler) (?:\S+ ){0,3}?(?:to )?(?:just )?(?:(?:go|jump|step|climb) "
                r"(?:over|off) (?:it|the (?:edge|side|railings?|top|balcony|bridge|ledge))|jump out "
                r"(?:of )?(?:it|the window))\b"
            ),
        ),
    ),
    # Asking for the number of a crisis line ("just want it saved in my phone"): someone should
    # talk with them today (triage.py: suicide_mentioned), not an ambulance.
    Concept(
        "crisis_line",
        (
            _core(
                r"(?:number|phone number|contact details|details) (?:for|of) (?:a |the )?(?:suicide|"
                r"crisis) (?:helpline|hotline|line)\b|(?:number|phone number) (?:for|of) (?:the )?"
                r"samaritans\b|"
                # "Where in the app is the suicide crisis line?", "how do I call a crisis line"
                r"\b(?:where|how)\b[^.?!]{0,40}?\b(?:suicide|crisis)(?: crisis)? (?:helpline|"
                r"hotline|line)\b|(?:find|call|ring|reach|phone|text) (?:a |the )?(?:suicide|"
                r"crisis)(?: crisis)? (?:helpline|hotline|line)\b"
            ),
        ),
    ),
    # --- general ---------------------------------------------------------------------------
    Concept(
        "pain",
        (
            _core(
                PAIN_LOGGED_NOT + r"pain(?!killer)\w*(?! " + APP_RECORD + r")|"
                r"hurt\w*|ache\w*|aching|achy|sore\w*|agony|twinge\w*|backache|"
                r"throbb\w*|"
                r"sciatica|lumbago|killing me|spasm\w*|stabbing|" + BACK_BAD
            ),
        ),
    ),
    Concept(
        "back_fine",
        (_core(BACK_FINE),),
        # however long ago it settled: "my back pain has gone, it cleared up last week"
        time="history",
    ),
    Concept(
        "new_onset",
        (
            _core(
                r"new|started|starting|began|begun|came on|coming on|recent\w*|lately|since|"
                r"this week|for (?:\S+ )?(?:days|weeks)|(?:\d+|a few|few|two|three|four|couple of) "
                r"(?:days|weeks)|getting worse|worse|worsening|(?:will|does|did|would) not go away|"
                r"not going away|for no reason|no reason|out of nowhere|now|" + CHANGED_PAIN
            ),
        ),
    ),
    Concept(
        "first_episode",
        (
            _core(
                r"first time|never had (?:\S+ ){0,2}?(?:back pain|this|it) before|first ever|first "
                r"episode|never (?:had|suffered (?:with|from)) (?:any )?(?:back|spine) (?:trouble|"
                r"problems?|pain|issues)(?: in my life| before)?|"
                # "never had pain in the back before", "never had a bad back in my life"
                r"never (?:had|have) (?:\S+ ){0,4}?(?:back|pain) (?:\S+ ){0,3}?before|"
                r"never (?:had|suffered (?:with|from)) (?:a )?(?:bad|sore|dodgy) back"
            ),
        ),
    ),
    Concept(
        "thoracic",
        (
            _core(
                r"upper back|mid(?:dle)?[- ]back|middle of my back|between (?:my|the) shoulder ?blades|"
                r"thoracic|rib ?cage"
            ),
        ),
    ),
    Concept(
        "cannot_walk",
        (
            _core(
                # not "cannot walk round the supermarket without my legs aching" (claudication)
                r"(?:(?:can|could) (?:barely|hardly|not|no longer) walk|cannot walk|unable to walk)"
                + WALKING_LIMITED_BY_ACHE
            ),
        ),
    ),
    # --- routine-review findings ------------------------------------------------------------
    Concept(
        "radicular_one_leg",
        (
            _core(
                r"sciatica|sciatic nerve|(?:pain\w*|hurt\w*|ach\w*|shoot\w*|burning|radiat\w*|"
                + NUMB_WORD
                + r"|tingl\w*|"
                # (the gaps never cross a comma or a denial: "leg is sore, no numbness")
                r"pins and needles|electric\w*)(?: (?!no\b|not\b|never\b|without\b|nor\b)"
                r"[^\s,;]+){0,5}? (?:down|into|to|in|through) (?:the (?:back|front|side|outside|"
                r"inside) of )?(?:my |the )?"
                r"(?:left |right |one )?(?:leg|thigh|calf|foot|knee|buttock|heel|toes?|big toe|"
                r"ankle|shin)\b|"
                r"(?:leg|foot|toes?|big toe|calf|thigh|shin|heel)(?: (?!no\b|not\b|never\b|"
                r"without\b|nor\b)[^\s,;]+){0,3}? (?:is |are |feels? "
                r"|goes |"
                r"going )?(?:" + NUMB_WORD + r"|tingl\w*|pins and needles)|"
                # "my right leg burns from the buttock to the ankle"
                r"(?:leg|thigh|calf) (?:\S+ )?burns? from"
            ),
        ),
    ),
    Concept(
        "persistent",
        (
            _core(
                r"(?:\d+|two|three|four|five|six|several|many|a few|few) months|"
                r"(?:[6-9]|1\d|six|seven|eight|nine|ten|eleven|twelve|several|many) weeks|"
                r"(?:not|no) (?:\S+ ){0,2}?(?:improving|improved|getting better)|"
                r"for (?:a )?(?:long time|ages|years)|chronic|(?:getting|got|keeps getting) worse|"
                r"worsening"
            ),
        ),
    ),
    Concept(
        "medication_side_effect",
        (
            _core(
                r"side[- ]?effects?|constipat\w*|bung\w* (?:me |him |her )?up|makes me (?:\S+ ){0,2}?(?:sick|dizzy|drowsy|"
                r"sleepy|"
                r"constipated|nauseous|itchy)|"
                r"(?:stomach|tummy|rash|itch\w*|nause\w*|vomit\w*|drowsy|dizzy)(?: \S+){0,3}? "
                r"(?:after|from|since) (?:taking|the|my) |"
                # "the naproxen is helping my back but it is giving me awful stomach ache"
                r"(?:naproxen|ibuprofen|diclofenac|nsaids?|anti-?inflammator\w*|tablets?|pills|"
                r"medication|meds|painkillers?|codeine|tramadol|co-?codamol|paracetamol|aspirin|"
                r"pregabalin|gabapentin|amitriptyline|duloxetine|morphine|oxycodone|celecoxib|"
                r"etoricoxib|steroids?)(?: \S+){0,8}? (?:giving|gives|gave|causing|causes|"
                r"caused|making|made|upsetting|upset|irritat\w*) (?:me |my )?(?:\S+ ){0,2}?"
                r"(?:stomach|tummy|indigestion|heartburn|reflux|nause\w*|sick|dizzy|drowsy|"
                r"constipat\w*|rash|itch\w*|headaches?|diarrh\w*)"
            ),
        ),
    ),
    Concept(
        "pregnancy",
        (
            _core(r"pregnan\w*|expecting a baby|preggers|preggo|\d{1,2} ?wks? (?:pg|preg)\b"),
            # "my wife is 30 weeks and her back is so bad", "I am 22 wks"
            r"\b(?:i am|she is|wife is|partner is|girlfriend is) "
            + _core(r"(?:\d{1,2}|twenty|thirty) ?(?:weeks|wks)")
            + r"(?= *(?:$|[.,;!?]|and\b|gone|along|now|with))",
        ),
    ),
    Concept(
        "claudication",
        (
            _core(
                # (within one sentence, no denial in between: not "legs fine, no numbness")
                r"(?:legs?|calves|calf|thighs?) " + _WORDS_NOT_DENIED + r"{0,3}?(?:tired|heavy|"
                r"ache|aching|achy|cramp\w*|" + NUMB_WORD + r") " + _WORDS_NOT_DENIED + r"{0,6}?"
                r"(?:walk\w*|stand\w*)|"
                # "if I stand at the bus stop for long both my legs go achy and numb"
                # ("without my legs aching" is the complaint itself)
                r"(?:walk\w*|stand\w*) (?:(?!no\b|not\b|never\b|nor\b)[^\s.!?;]+ ){0,8}?"
                r"(?:legs?|calves|calf|"
                r"thighs?) "
                + _WORDS_NOT_DENIED
                + r"{0,3}?(?:tired|heavy|ache|aching|achy|cramp\w*)"
            ),
        ),
    ),
    Concept(
        "inflammatory_pattern",
        (
            _core(
                # "each morning I am as stiff as a board for an hour or more; it eases once I
                # get going"
                # (or "like wood for more than one hour … after moving it gets better")
                r"(?:morning stiffness|(?:stiff\w*|like (?:wood|a board|a plank|concrete|a rock|"
                r"a robot|an old (?:man|woman))) (?:\S+ ){0,4}?mornings?|mornings? (?:\S+ ){0,4}?"
                r"(?:stiff\w*|like (?:wood|a board|a plank|concrete|a rock|a robot))|(?:worst|bad|"
                r"stiff) (?:\S+ ){0,2}?"
                r"(?:in the |first thing in the )?morning(?:s)?)[,;.]?(?: \S+){0,10}? "
                r"(?:(?:better|eases?|improves?|loosens?|goes off|wears off)(?: \S+){0,5}? (?:mov\w*|"
                r"exercis\w*|activity|walk\w*|get going|warm|gym|up and about|shower)|"
                r"(?:mov\w*|exercis\w*|activity|walk\w*|get going|warm\w* up|gym|up and about|"
                r"shower)(?: \S+){0,6}? (?:better|eases?|improves?|loosens?|goes off|wears off))"
            ),
        ),
    ),
)
CONCEPT_NAMES = frozenset(c.name for c in CONCEPTS)

# Clinical words typos are repaired towards (see TypoRepairer); the English word list keeps
# real words ("ladder", "week") from being "repaired" into symptoms.
LEXICON: tuple[str, ...] = tuple(
    [
        "feel",
        "feeling",
        "parts",
        # real words the repairer must not turn into findings ("cricked" is not "cracked")
        "cricked",
        "crick",
        "numb",
        "numbness",
        "numbed",
        "tingling",
        "tingle",
        "tingly",
        "needles",
        "saddle",
        "groin",
        "genitals",
        "genital",
        "private",
        "privates",
        "bottom",
        "buttocks",
        "anus",
        "passage",
        "rectum",
        "perineum",
        "perineal",
        "thighs",
        "vagina",
        "penis",
        "scrotum",
        "testicles",
        "labia",
        "clitoris",
        "wipe",
        "wiping",
        "toilet",
        "paper",
        "urine",
        "urinate",
        "urinating",
        "wee",
        "pee",
        "peeing",
        "bladder",
        "bowel",
        "bowels",
        "stools",
        "faeces",
        "waterworks",
        "incontinence",
        "incontinent",
        "retention",
        "control",
        "controlling",
        "leaking",
        "leak",
        "dribbling",
        "soiled",
        "erection",
        "erections",
        "erectile",
        "impotence",
        "ejaculate",
        "orgasm",
        "sensation",
        "feeling",
        "legs",
        "leg",
        "feet",
        "foot",
        "toes",
        "ankle",
        "knee",
        "calves",
        "sciatica",
        "shooting",
        "radiating",
        "electric",
        "burning",
        "weakness",
        "weak",
        "weaker",
        "giving",
        "buckling",
        "paralysed",
        "dragging",
        "drop",
        "tripping",
        "stumbling",
        "progressive",
        "spreading",
        "worsening",
        "worse",
        "getting",
        "accident",
        "crash",
        "collision",
        "ladder",
        "stairs",
        "roof",
        "horse",
        "scaffolding",
        "trampoline",
        "fell",
        "fall",
        "slipped",
        "tripped",
        "twisted",
        "lifted",
        "lifting",
        "sneezed",
        "coughed",
        "fracture",
        "fractured",
        "broken",
        "cracked",
        "vertebra",
        "vertebrae",
        "osteoporosis",
        "osteopenia",
        "brittle",
        "steroids",
        "steroid",
        "prednisolone",
        "prednisone",
        "corticosteroids",
        "dexamethasone",
        "fever",
        "feverish",
        "temperature",
        "shivering",
        "shivery",
        "chills",
        "rigors",
        "sweats",
        "sweating",
        "inject",
        "injecting",
        "heroin",
        "intravenous",
        "immunosuppressed",
        "immunosuppressants",
        "immunocompromised",
        "transplant",
        "chemotherapy",
        "chemo",
        "methotrexate",
        "biologics",
        "injection",
        "surgery",
        "operation",
        "epidural",
        "wound",
        "cancer",
        "tumour",
        "tumor",
        "metastases",
        "metastatic",
        "myeloma",
        "lymphoma",
        "leukaemia",
        "carcinoma",
        "melanoma",
        "malignant",
        "radiotherapy",
        "weight",
        "losing",
        "unexplained",
        "diet",
        "dieting",
        "night",
        "nights",
        "constant",
        "unrelenting",
        "position",
        "tearing",
        "ripping",
        "pulsating",
        "pulsing",
        "throbbing",
        "lump",
        "stomach",
        "tummy",
        "belly",
        "abdomen",
        "abdominal",
        "sudden",
        "suddenly",
        "severe",
        "terrible",
        "excruciating",
        "unbearable",
        "faint",
        "fainted",
        "dizzy",
        "collapsed",
        "aneurysm",
        "chest",
        "crushing",
        "suicide",
        "suicidal",
        "kill",
        "myself",
        "self",
        "harm",
        "pain",
        "painful",
        "hurting",
        "aching",
        "sore",
        "backache",
        "lumbago",
        "spasm",
        "pregnant",
        "pregnancy",
        "constipated",
        "constipation",
        "side",
        "effects",
        "stiffness",
        "stiff",
        "morning",
    ]
)


@dataclass(frozen=True)
class Mention:
    """One concept found in a message, with its context."""

    concept: str
    start: int
    end: int
    text: str
    negated: bool = False
    past: bool = False
    hypothetical: bool = False
    other_person: bool = False

    @property
    def active(self) -> bool:
        """True when the finding is the patient's own, present and affirmed."""
        return not (self.negated or self.past or self.hypothetical or self.other_person)


# --- context cues -----------------------------------------------------------------------------

_NEGATION_WORDS = frozenset(
    [
        "no",
        "not",
        "never",
        "without",
        "nor",
        "neither",
        "none",
        "denies",
        "deny",
        "denied",
        "nothing",
        "nobody",
        "free",
        "absent",
        "negative",
        "zero",
        "ruled",
    ]
)
# NegEx pseudo-negations: a negation word followed by these does not negate what comes later.
_PSEUDO_NEGATION_NEXT = frozenset(
    [
        "idea",
        "doubt",
        "matter",
        "sure",
        "only",
        "know",
        "certain",
        "reason",
        "change",
        "longer",
        "more",
        "worse",
    ]
)
_SCOPE_STOP = frozenset(
    ["only", "just", "still", "apart", "except", "because", "which", "who", "whereas", "now"]
)
_NEGATION_WINDOW = 6  # words; NegEx uses a comparable window of 5-6 words

_POST_NEGATION = re.compile(
    # a word answered at once: "Suicide no, never."
    r"^\W{0,3}(?:no|nope|never)(?:\W{1,3}(?:never|no|not ever))?\W*(?:[.!]|$)|"
    r"^\W*(?:(?:and|or|both|all|also|still|totally|completely|perfectly|seems?|to|be|feels?|"
    r"are|is|have|has|been|working|works?|functioning|my|the|bowels?|bladder)\W+){0,5}"
    r"(?:fine|normal|normally|ok|okay|unaffected|unchanged|as usual|all good|no problems?)\b|"
    # "fever last week already gone"
    r"^ (?:(?:last|this) week |yesterday |before )?already (?:gone|better|finished|over)\b"
)
_REMOTE_PAST = re.compile(
    r"\b(?:(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|many|several|few|couple of|"
    r"some) "
    r"(?:years?|yrs?|decades?) ago|years ago|decades? ago|long (?:time )?ago|ages ago|"
    r"as a (?:child|kid|teenager|teen|boy|girl|student|baby)|"
    r"when i was (?:a |young|little|younger|at school|in school|\d+|pregnant|in my|child|kid|"
    r"teenager|small)|"
    # (a year in brackets dates only the word before it: "cancer survivor (2019), new back ache")
    r"in my (?:teens|twenties|thirties|youth|childhood)|back in (?:19|20)\d\d|(?<!survivor \()(?<!cancer \()(?<!diagnosed \()(?<!treatment \()(?:19|20)\d\d|"
    # "old rugby injury back in the 90s"
    r"(?:back )?in the (?:19)?[5-9]0s|"
    r"last year|the year before|used to|in the past|previously|years back|childhood)\b"
)
_RECENT_PAST = re.compile(
    # "over the last month", "since last month" say how long it has lasted: current
    r"\b(?:(?<!the )(?<!since )(?<!past )last month|a month ago|(?:\d+|a few|few|two|three|four|five|six|several|couple of) "
    r"months ago|months ago|"
    # non-native "before 2 weeks" for "2 weeks ago"
    r"before (?:\d+|a few|few|two|three|four|five|six|one|a) (?:days?|weeks?|months?))\b"
)
# Years at least two years back, for "numb since about 2015" (a long-standing symptom; "since
# last year" is read by the recent-past rules)
_YEARS_AGO = "|".join(str(y) for y in range(1950, datetime.date.today().year - 1))
_CHRONIC = re.compile(
    r"\b(?:for (?:the (?:last|past) )?(?:about |around |roughly |nearly |almost |over |more than |"
    r"well over |at least )?(?:many |several |a few |\d+ |two |three |four |five |six |seven |"
    r"eight |nine |ten )?years|for (?:a )?long time|for ages|"
    r"since (?:about |around |roughly |circa |at least )?(?:" + _YEARS_AGO + r")|"
    r"for decades|always (?:had|been|have)|long[- ]standing|nothing new|not new|"
    r"same as (?:always|ever)|as long as i can remember|"
    r"(?<!time )since (?:i was|childhood|birth|my (?:pregnancy|children|kids|son|daughter)|giving birth|"
    r"having (?:\S+ )?(?:kids|children|babies|my babies|my kids|my children)|my babies|"
    r"i had (?:my |the )?(?:kids|children|babies|twins)|"
    r"the menopause|"
    r"(?:\S+ )?(?:years|childbirth))|ever since (?:i was|childhood)|all my life|lifelong)\b"
)
_RESOLVED = re.compile(
    # "a sudden pain that has not gone away" is still there
    r"\b(?<!not )(?<!never )(?:resolved|went away|gone away|cleared up|cleared|got better|"
    r"all gone(?! (?:numb|dead|weak|tingly|funny|weird|strange|quiet|cold))|gone now|"
    r"(?<!feeling )(?<!sensation )(?<!signal )(?<!strength )(?<!control )(?<!power )"
    r"(?<!urge )(?:has|have|is|are|was) (?:all |completely |totally |fully )?gone(?= *(?:$|[.,;!?]|now|away|again|"
    r"for good))|fully recovered|recovered|healed|mended|no longer|"
    # the strength or feeling returned: "it came back fully"
    r"(?:came|come|has come) back (?:fully|completely|100 ?%|to normal)|"
    # a learner's "it recover complete"
    r"recover (?:complete(?:ly)?|fully|totally)|"
    r"(?<!or )not any ?more|settled down|settled|better now|fine now|"
    r"(?:has|have) been (?:completely |totally |fully |perfectly )?normal since|"
    # "my bf had chest pain last week but it was just heartburn"
    r"(?:it|that) was (?:just|only) (?:heartburn|indigestion|reflux|wind|trapped wind|a pulled "
    r"muscle|muscular|a muscle|cramp|a uti|a water infection|a virus|anxiety|a panic attack|"
    r"stress|a trapped nerve)|"
    # not a plan: "I've decided how, it's sorted for this weekend"
    r"sorted(?! for (?:this|the|tonight|tomorrow|next|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\b)|turned out (?:to be|it was|that|the|my|i|it had)\b|"
    r"all (?:finish|finished|cleared|better))\b"
)
_ANAPHOR_START = re.compile(r"^\W*(?:it|that|this|which|they|all|both|but)\b")
_DATED_START = re.compile(
    # "… 'you're dragging your foot!!' - turned out the strap on my sandal had snapped"
    r"\W*(?:but |and )?(?:it )?turned out\b|"
    r"\W*(?:that|this|it|all that|all this) was (?:back )?(?:in )?(?:(?:19|20)\d\d|(?:\d+|two|three|"
    r"four|five|six|ten|many) years ago|years ago|ages ago|last year|a long time ago|long ago)\b"
)
# "…, healed fine", "All sorted now.", "Fully healed.", "Fully fine since then." (not "all fine
# otherwise", not "fine since this morning")
_HEALED_START = re.compile(
    # ("6 months on it is completely gone")
    r"\W*(?:(?:\d+|an?|one|a few|a couple of|two|three|four|six|some) (?:days?|weeks?|months?|years?) "
    r"(?:on|later),? )?"
    r"(?:(?:it|that|this|all|both|everything|i) (?:is |was |am |has |have )?(?:been )?)?"
    r"(?:all |fully |completely |totally |absolutely |perfectly |long )?(?:healed|sorted|recovered|"
    r"resolved|mended|(?<=completely )gone|(?<=totally )gone|(?<=all )gone|fine after(?:wards)?|(?:fine|well|normal|ok|okay|good) (?:ever )?since(?! (?:this|yesterday|last "
    r"night|today|the weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)))"
    r"(?: up| fine| well| now| long ago| years ago| then| that| the (?:op|operation|surgery)| after"
    r"(?:wards)?)*"
    r"(?= *(?:[.!,;]|$))"
)
_HYPOTHETICAL = re.compile(
    # what a search said: "I googled my symptoms and it said aneurysm"
    r"\b(?:googled|google|dr google|searched|the internet|online|chatgpt)\b(?: \S+){0,5} (?:said|says|"
    r"suggested|came up with|mentioned)\b|"
    r"\b(?:what (?:should|do|would|can|must) (?:i|you|we|one) do (?:if|when)|what if|"
    # "what he ought to do if his granddad ever fell", "worried if he fell he'd break his back"
    r"what (?:\S+ ){1,3}?(?:to )?do (?:if|when)|"
    r"(?<!know )(?<!sure )(?<!wonder )(?<!ask )(?<!asked )(?<!see )(?<!check )if (?:he|she|his \w+|her \w+)"
    r"(?: ever)?(?: (?:fell|falls|fall|had a fall|were to fall|was to fall)|(?= ?\Z))|"
    # "if he ever went numb down below", "if my husbands back pain ever went down both legs",
    # "if back pain ever comes with a fever"
    r"\bif (?:\S+ ){1,3}?ever (?:came|comes|come|went|goes|got|gets|turned|turns) "
    r"(?:with|along|on|together)\b|"
    r"\bif (?:he|she|they|his \w+|her \w+|my \w+)(?: \w+){0,3}? ever (?:came|come|comes|went|go|goes|got|gets|had|"
    r"has|lost|lose|could not|cannot)\b|"
    # "want to avoid getting a bad back from the laptop"
    r"\bavoid (?:getting|having|developing)\b|"
    r"what happens if|what (?:would|will|could|might) happen (?:to (?:me|us|the baby) )?(?:if|in|"
    r"during)\b|in case|what (?:counts|would count|is classed|classes) as|"
    # "suppose I lose feeling …", not the hedge "expected, I suppose"
    r"hypothetical\w*|(?<!i )suppose(?= (?:i|you|my|that|it|we|one|if|she|he|they)\b)|supposing|just curious|"
    # "if one day I have numbness …", "like if I couldn't pee": the finding follows at once
    r"(?:^ ?|like |say |suppose |what |even |said |says |told me |reckons |worry |worried |"
    r"worrying |concerned |happens? |do )if (?:one day |ever |"
    r"some ?day |at some point )?(?:i|you|my|your)(?= \Z)|"
    # not the present perfect, which tells what has happened: "are the stretches ok if I have
    # had a couple of accidents with my bowels this week?"
    r"if (?!i have (?:had|been)\b)(?:one day |some ?day |at some point |in (?:the )?future )?"
    r"(?:i|you|your|ever|this|it|they|my|the|someone|somebody|a person|anyone|people) (?:\S+ )?"
    r"(?:get|gets|got|develop|develops|have|has|notice|"
    r"lose|loses|lost|start|starts|experience|ever|were|was|become|becomes|go|goes|went|cannot|"
    r"could not|can not)|"
    r"(?:video|article|post|programme|program|documentary|show|story|thread) (?:about|on)|"
    # advice repeated: "your app said to ring 999 if I had numbness in the saddle area"
    r"(?:999|111|911|112|a and e|an ambulance|emergency|help|hospital|the doctor|my gp|the gp) "
    r"if (?:i|you) (?:ever )?had\b|"
    r"(?:leaflet|website|article|booklet|video|poster|app|physio|doctor|gp|nurse|midwife|surgeon|"
    r"consultant|pharmacist) (?:\S+ ){0,3}?"
    r"(?:mention(?:s|ed)?|says?|lists?|talks? about|told (?:me|us) (?:to|what to) (?:check|look|watch)"
    r"(?: out)? for|said to "
    r"(?:call|ring|phone|dial) (?:999|111|911|112|an ambulance) (?:for|if|with))|"
    r"(?:check|checking|watch out|watching out) for|"
    # "I check my legs for numbness every few hours"
    r"(?:check|checks|checking|checked|test|testing) (?:my |his |her )?(?:\S+ )?for(?= (?:any )?\Z)|"
    # "reading about spinal tumours", "can you tell me if this sounds like a tumour"
    r"reading about|(?:if|whether) (?:this|it|that|these) (?:sounds?|seems?|looks?|could be) "
    r"like(?= (?:a |an )?(?:\S+ )?\Z)|"
    r"(?:signs?|symptoms?|warning signs?) (?:of|to look|to watch|that|like|such as|include)|"
    r"(?:look|watch) out for|should i (?:look|watch|worry)|when should i (?:worry|go|call|seek)|"
    r"how (?:do|would|can|will) i (?:know|tell|recognise|recognize)|"
    r"can (?:back pain|sciatica|a slipped disc|a disc) cause|"
    r"(?:could|does|do) (?:back pain|sciatica|it|a slipped disc) cause|"
    r"tell me about|information about|learn about|read about|"
    r"(?:asked|asks|ask|asking) (?:me )?(?:\S+ ){0,6}?(?:if|whether|about)|wanted to know (?:if|whether)|"
    r"(?:do|should|must|would) i (?:need to |have to )?(?:worry|be worried|panic) about|"
    r"(?:checked|check|checking) (?:if|whether)|"
    # advice reported: "the trainer say if I feel the pain like tearing I must stop"
    r"\b(?:say|says|said|told me|tells me) if (?:i|you)(?: \S+){0,6}?(?= ?\Z)|"
    # general advice the writer repeats: "they say if you cannot pee go to a and e"
    r"(?:they|people|doctors|nurses|the nhs|everyone|the leaflet|the website|google) "
    r"(?:say|says|said|tell you|told us)|"
    # a friend's claim about no one in particular: "my friend says back pain + weight loss =
    # cancer" (not "my wife says my legs …" nor "… his legs")
    r"\b(?:friend|mate|pal|colleague|neighbou?r|boss|mum|mom|dad|sister|brother|wife|husband|"
    r"partner|nan|gran)s? (?:says|said|reckons|keeps saying|told me|thinks)(?: that)?"
    r"(?=(?: (?!(?:i|me|my|he|his|she|her|they|their|him|them|we|our)\b)\S+){0,8} ?\Z)|"
    # studying, not symptoms: "Revising red flags for my exams - does chest pain …"
    r"revising|studying (?:for|about)|for (?:my|an|the) exams?|(?:my|a|an) (?:lecture|essay|"
    r"assignment|dissertation|osce)|"
    # someone in general, the finding just after: "if someone suddenly cannot feel …"
    r"if (?:someone|somebody|a person|anyone|people|a patient)(?: \S+){0,3}?(?= ?\Z)|"
    # a claim read or heard: "I read that back pain with weight loss can be cancer", "I read on
    # internet back pain with numb bottom is dangerous"
    r"(?:read|heard|seen|saw) (?:it )?(?:on|in) (?:the )?(?:internet|online|google|facebook|tiktok|"
    r"instagram|youtube|a website|the news|an article|a leaflet|a forum|reddit)|"
    r"(?:read|heard|seen|saw) (?:\S+ ){0,3}?that(?! (?:my|i|it is my|he|she|his|her)\b)|if you (?:\S+ ){0,2}?(?:cannot|can not|are not|do not|"
    r"lose|get|have|notice|feel))\b"
)
_DIAGNOSIS_DOUBT = re.compile(
    r"\b(?:is (?:it|this|that)|(?:could|might|can|would) (?:\S+ ){0,4}?be\b|"
    r"is (?:\S+ ){0,3}?(?:a sign|a symptom|caused by)|does (?:\S+ ){0,3}?mean|signs? of|worried|"
    r"worry|worries|scared|"
    r"afraid|fear\w*|concerned|anxious|paranoid|check\w* for|test\w* for|screen\w* for|scan\w* for|"
    r"rule\w* out|risk of|chance of|possib\w*|what about|think (?:it is|i have)|in case)\b"
)
# Animals whose health patients mention beside their own (the level follows the patient's)
ANIMAL = (
    r"dog|cat|puppy|pup|kitten|horse|pony|mare|spaniel|labrador|terrier|collie|shepherd|"
    r"dachshund|greyhound|whippet|poodle|retriever|staffie|bulldog|pug|rabbit"
)
# Family words, including those patients bring from other languages ("my lola is 77").
FAMILY = (
    r"mum|mom|mother|mam|dad|father|sister|brother|wife|husband|partner|son|daughter|aunt|"
    r"auntie|uncle|grandma|grandmother|grandad|granddad|grandfather|grandpa|gran|granny|nan|"
    r"nana|cousin|niece|nephew|grandson|granddaughter|lola|lolo|abuela|abuelo|nonna|nonno|oma|"
    r"opa|babushka|amma|appa|nani|dadi|bibi|ammi|abbu|ammu|mummy|daddy|(?:brother|sister|mother|"
    r"father|son|daughter)-in-law"
)
OTHER_PERSON = re.compile(
    # "the patient's husband" (an interpreter writing), "the minister collapsed"
    r"\b(?:the (?:patient|client|resident) (?:" + FAMILY + r")s?\b)|"
    r"\bthe (?:minister|vicar|priest|imam|rabbi|pastor|chaplain|preacher)\b|"
    # animals: "our 14 yr old spaniel is leaking wee", "my old German shepherd's back legs"
    r"\b(?:my|our|the|his|her) (?:\S+ ){0,3}?(?:"
    + ANIMAL
    + r")s?\b|(?:^|(?<=[.!?] ))(?:dog|cat)\b|"
    r"\b(?:(?:my|his|her|our|their|a) (?:late |dear |poor |old |best )?(?:" + FAMILY + r"|friend|"
    r"neighbou?r|colleague|boss|teacher|coach|tutor|teammate|classmate|manager|"
    r"child|kid|baby|toddler|boyfriend|girlfriend|bf|gf|hubby|fianc[eé]e?|family|parents?|"
    r"relative|sibling|grandchild|patient|flatmate|housemate|mate|pal|dog|cat|padmate|cellmate|"
    r"cellie|care coordinator|key worker|support worker)s?|"
    # "my little boy has had a fever all week"
    r"(?:my|our|his|her) (?:little |baby |eldest |youngest |oldest |older |younger )?"
    r"(?:boy|girl|lad|lass)s?|"
    # "my little one got a temperature", "our youngest has a fever"
    r"(?:my|our|his|her) (?:little ones?|youngest|eldest|oldest|middle one|wee one|twins)\b|"
    # (not "a fever from the kids": caught from them)
    r"(?:a|an|one|some|this|that) (?:(?!from\b|off\b|by\b)\S+ ){0,3}?(?:man|woman|guy|lady|bloke|"
    r"person|people|patient|"
    r"girl|boy|gentleman|gent|resident|client|service user|lad|lass|bloke|fella|chap|kid)s?|"
    r"(?:someone|somebody|people|everyone) (?:who|whose|with|i know|at work|in my|from my|on my|"
    r"at my|(?:\S+ )?(?:described|mentioned|posted|wrote|was describing|was talking about))|"
    # a spouse named the detached way: "The husband's in hospital with chest pains"
    r"(?:^|(?<=[.!?] ))the (?:husband|wife|missus|missis|hubby|other half|old man)\b|"
    # their body: "now her back is very painful", "his wee is only a trickle"
    r"(?:his|her|their) (?:own |lower |upper |bad |poor |left |right |both |inner |outer )?"
    r"(?:back|spine|legs?|feet|foot|bum|"
    r"bottom|backside|bladder|bowels?|wee|pee|urine|hips?|groin|privates|bits|tummy|belly|"
    r"stomach|chest|temperature|weight|trousers|pants|knickers|underwear|pad|pads|nappy|bed|"
    r"sheets)|"
    r"(?:he|she|they) (?:has|had|have|is|was|were|got|gets|suffers?|suffered|admitted|"
    # learner English and reported speech: "he say he cannot feel", "she feel numb"
    r"say|says|said|feel|feels|felt|cannot|can|could|complain\w*|tell|tells|told|keep|keeps|"
    r"wake|woke|faint\w*|fell|fall|go|goes|went|do not|does not|did not)|"
    # a relative named without "my" at the start of a sentence ("husband 66 collapsed",
    # "wife had back surgery 5 days ago")
    r"(?:^|(?<=[.!?] ))(?:husband|wife|partner|mum|mom|mother|dad|father|son|daughter|"
    r"grandad|grandma|nan|gran|brother|sister|friend|mate|lad|lass|bloke|guy|chap|fella|colleague|"
    r"neighbou?r|workmate|co-?worker)"
    # (not the writer introducing themself: "guy here", "lass here, 34")
    r"(?! here\b))\b"
)
_FIRST_PERSON = re.compile(r"\b(?:i|me|my|myself|mine)\b")
_OBSERVED = re.compile(
    r"\s*(?:see|saw|seen|notice\w*|spot\w*)\b(?! (?:that )?(?:he|she|they|his|her)\b)"
)
_MY_BODY = re.compile(
    r"\bme\b|\bmy (?:lower |upper )?(?:back|spine|neck|head|tailbone|coccyx|bum|bottom|legs?|side|"
    r"body)\b"
)
# Where the other person is from or who they are to the writer, not the writer's own words:
# "a lady at my lunch club fell", "lad on my crew", "one of the residents I look after"
_THEIR_PLACE = re.compile(
    r"^\W*(?:of (?:mine|ours)\b|(?:at|on|in|from|of|with) my (?:\S+ ){0,3}?(?=(?:fell|has|had|is|was|says|said|"
    r"ended|went|lost|spoke|talked|mentioned|tried|wants|wanted|"
    r"told|broke|went|got|wet|did|cannot|could|collapsed)\b|\s*$)|(?:who |that |whom )?i (?:look after|"
    r"care for|work with|know|support|nurse|visit|met|used to \S+)\b)"
)
_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")


@dataclass(frozen=True)
class AnalysedText:
    """A message in canonical form with its clauses and concept mentions."""

    original: str
    text: str
    clauses: tuple[Clause, ...]
    mentions: tuple[Mention, ...]
    # True when read from the point of view of the other person the message describes
    # (``about_other_person``): their mentions count as active, the writer's do not.
    perspective_other: bool = False

    def about_other_person(self) -> AnalysedText:
        """The same message read as a report about the other person it describes.

        "My dad has a numb bum and can't pee" is an emergency for the dad: whoever writes,
        someone needs emergency care now. Mentions about that person become active and the
        writer's own become "someone else's", so the same rules read the relative's
        symptoms (negation, past and hypothetical context still apply)."""
        flipped = tuple(replace(m, other_person=not m.other_person) for m in self.mentions)
        return replace(self, mentions=flipped, perspective_other=not self.perspective_other)

    @property
    def mentions_other_person(self) -> bool:
        """True when some sentence is about someone other than the writer (or some mention is
        theirs: "she wet herself at her desk")."""
        return bool(OTHER_PERSON.search(self.text)) or any(m.other_person for m in self.mentions)

    def active(self, concept: str) -> list[Mention]:
        """Active mentions of ``concept`` (the patient's own, present, affirmed)."""
        return [m for m in self.mentions if m.concept == concept and m.active]

    def has(self, concept: str) -> bool:
        return any(m.concept == concept and m.active for m in self.mentions)

    def any_mention(self, concept: str) -> bool:
        """True if the concept is mentioned at all, whatever its context."""
        return any(m.concept == concept for m in self.mentions)

    def sentence_of(self, position: int) -> int:
        for clause in self.clauses:
            if clause.start <= position <= clause.end:
                return clause.sentence
        return -1

    def same_sentence(self, a: Mention, b: Mention) -> bool:
        return self.sentence_of(a.start) == self.sentence_of(b.start)


# Misspellings that happen to be English words, so the typo repairer must leave them alone.
_PHRASE_FIXES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bfiver\b", "fever"),
        (r"\bbowls? (movements?|control|habits?|problems?)\b", r"bowel \1"),
        # not the game: "may I go back to my bowls?", "my bowls club"
        (
            r"(?<!back to )(?<!play )(?<!playing )(?<!at )\bmy bowls?\b"
            r"(?! (?:club|match|team|game|green|league|night))",
            "my bowels",
        ),
        (r"\bmy tommy\b", "my tummy"),
        # a form's question answered yes: "Q: Any thoughts of ending your life? A: Yes."
        (
            r"\b(?:q: ?)?(?:any |have you had any |do you have any |are you having any )?"
            r"(?:thoughts?|ideas?) (?:of|about) (ending|taking) your (?:own )?life\?\W{0,3}"
            r"(?:a: ?)?(?:yes|yeah|yep)\b",
            r"i have thoughts of \1 my life",
        ),
        (
            r"\b(?:q: ?)?(?:any )?suicidal (thoughts|ideas|feelings)\?\W{0,3}(?:a: ?)?"
            r"(?:yes|yeah|yep)\b",
            r"i have suicidal \1",
        ),
        # not findings: "the app keeps crashing", "I work on an oncology ward"
        (
            r"\b(app|phone|computer|laptop|pc|server|console|website|site|videos?|screen|browser|"
            r"program|game) "
            r"((?:keeps|kept|is|was|has|just|always) )?crash\w*",
            r"\1 \2freezes",
        ),
        (
            r"\b(work\w* (?:on|in|at) (?:an? |the )?)(?:oncology|cancer|chemo\w*) (ward|unit|"
            r"department|centre|center|team|clinic)",
            r"\1hospital \2",
        ),
        (r"\b(?:i am|as) an? (?:oncology|cancer|chemo) nurse\b", "i am a nurse"),
        # the star sign: "Cancer is my star sign", "typical Cancer"
        (r"\bcancer(?= is my (?:star )?sign| season| star sign)|(?<=typical )cancer\b", "zodiac"),
    )
)


@lru_cache(maxsize=1)
def _repairer() -> TypoRepairer:
    return TypoRepairer(LEXICON)


def analyse(message: str, repair_typos: bool = True) -> AnalysedText:
    """Normalise ``message``, repair typos and find every concept with its context."""
    text = normalise(message)
    if repair_typos:
        text = _repairer().repair(text)
        for pattern, replacement in _PHRASE_FIXES:
            text = pattern.sub(replacement, text)
    clauses = tuple(split_clauses(text))
    found: list[tuple[Concept, int, int]] = []
    for concept in CONCEPTS:
        seen: set[tuple[int, int]] = set()
        for pattern in concept.compiled:
            for match in pattern.finditer(text):
                start, end = match.span("core")
                if (start, end) in seen or start == end:
                    continue
                seen.add((start, end))
                found.append((concept, start, end))
    # Words inside any finding ("nothing helps", "no feeling") are part of that finding and
    # must not negate a neighbouring one ("nothing helps at night" does not negate "night").
    cores = [(start, end) for _, start, end in found]
    mentions = [_contextualise(c, text, clauses, start, end, cores) for c, start, end in found]
    mentions.sort(key=lambda m: (m.start, m.concept))
    return AnalysedText(message, text, clauses, tuple(mentions))


def _clause_index(clauses: tuple[Clause, ...], position: int) -> int:
    for i, clause in enumerate(clauses):
        if clause.start <= position < max(clause.end, clause.start + 1):
            return i
    # positions on a boundary word ("but") belong to the following clause
    for i, clause in enumerate(clauses):
        if position < clause.start:
            return i
    return len(clauses) - 1


def _contextualise(
    concept: Concept,
    text: str,
    clauses: tuple[Clause, ...],
    start: int,
    end: int,
    cores: list[tuple[int, int]],
) -> Mention:
    if not clauses:
        return Mention(concept.name, start, end, text[start:end])
    index = _clause_index(clauses, start)
    clause = clauses[index]
    sentence_start = _sentence_start(clauses, clause.sentence)
    after = text[end : clause.end]
    negated = (
        _negated(text, clauses, index, start, cores)
        # "bladder normal" denies; "is chest pain normal …?" asks
        or (
            bool(_POST_NEGATION.match(after))
            and not re.search(r"\b(?:is|are)\s+$", text[sentence_start:start])
        )
        or _answered_no(text, clauses, clause.sentence)
        or _checklist_no(text, clauses, clause.sentence)
        # a checklist answered: "Numbness in the saddle area: no. Bladder: normal.", "numbness
        # down there - no"
        or bool(_COLON_NO.match(text, end))
        # a list quoted, then denied: 'Leaflet listed: "numbness around the bottom, problems
        # peeing". Checked - none of those.'
        or _none_of_those(text, clauses, clause.sentence)
        # a question someone asked, answered no: "Consultant asked if I've had thoughts of
        # ending it. I haven't, I'm just down"
        or _asked_and_denied(text, clauses, clause.sentence, start)
        # "i literally can't feel my legs after that spin class (joking, they're just wrecked)"
        or bool(_JOKING.match(text, end))
        # a list answered no as a whole: "I ticked no to all the red flag questions, bladder,
        # bowel, numbness, fever"
        or bool(
            _NO_TO_ALL.search(
                text,
                # (the list may follow a colon: "I answered no to all of them: bladder, …")
                _sentence_start(clauses, clause.sentence - 1)
                if clause.sentence
                and text[max(0, sentence_start - 3) : sentence_start].rstrip().endswith(":")
                else sentence_start,
                start,
            )
        )
        # the feeling a stimulator is meant to give: "the buzzing feeling down my legs from
        # the stimulator when it is on … it goes when I switch it off" (not "it is there even
        # with it switched off")
        or (
            concept.name in _DEVICE_FELT
            and bool(_DEVICE_SENSATION.search(text, sentence_start, clause.end))
            and not _EVEN_SWITCHED_OFF.search(text)
        )
        # a comparison the writer then takes back: "I said I'd rather be dead than go through
        # another op but I didn't mean it literally. I'm not suicidal"
        or (
            concept.name in ("suicidal", "crisis")
            and bool(_THAN.match(text, end))
            and bool(_NOT_MEANT.search(text))
        )
    )
    past = _past(concept.time, text, clauses, index, start, end, concept.name)
    sentence_before = text[sentence_start:start]
    hypothetical = bool(
        _HYPOTHETICAL.search(_after_contrast(sentence_before).lstrip())
    ) or _general_question(text, clauses, clause.sentence)
    if not hypothetical:
        hypothetical = bool(_IF_BEFORE.search(sentence_before)) and bool(
            _EVER_HAPPENS.match(text, end)
        )
    if not hypothetical:
        # a counterfactual asked about: "if I had numbness in my inner thighs would that be an
        # emergency?"
        hypothetical = bool(_IF_I_HAD.search(sentence_before)) and bool(
            _WOULD_THAT.match(text, end)
        )
    if not hypothetical:
        # a claim quoted from social media: 'Saw "tingling in both legs = emergency" on Facebook'
        hypothetical = bool(_QUOTED_FROM.search(text, sentence_start, start)) and bool(
            _QUOTED_SOURCE.match(text, end)
        )
    if (hypothetical or past) and _NOW_IT_IS_MINE.search(text, end, end + 120):
        # "last month the doctor said if I have numbness down there … Now I have it."
        hypothetical = past = False
    if not hypothetical:
        # a word asked about: "foot drop - is that a dance move?"
        hypothetical = bool(_TERM_ASKED.match(text, end))
    if concept.time == "event" and not hypothetical:
        hypothetical = bool(_MODAL_BEFORE.search(text, sentence_start, start))
    if concept.diagnosis_word and not hypothetical:
        hypothetical = bool(_DIAGNOSIS_DOUBT.search(sentence_before))
    other = (
        _other_person(sentence_before)
        or continues_other(text, clauses, clause.sentence)
        # the mention names their body itself: "laid up with his back all week"
        or bool(_THEIR_WORD.search(text, start, end))
        # … or just after it: "this morning sudden terrible pain in his back and belly"
        or bool(_THEIR_BODY_AFTER.match(text, end))
        # the mention starts with the verb of "he/she …": "now he | can barely feel the leg"
        or bool(_HE_BEFORE.search(sentence_before) and _VERB_START.match(text, start))
    ) and not (
        # an injury that names the writer's body is the writer's: "a big lad landed on my back"
        concept.time == "event" and bool(_MY_BODY.search(text, start, end))
    )
    return Mention(concept.name, start, end, text[start:end], negated, past, hypothetical, other)


_TERM_ASKED = re.compile(
    r"\s*[-–—:,]?\s*(?:is|are) (?:that|this|it|they) (?:a|an) (?:\S+ ){0,2}?(?:move|thing|word|"
    r"term|name|joke|song|band|film|game|step|pose|phrase|expression)\b[^.!]*\?"
)
_QUOTED_FROM = re.compile(r"\b(?:saw|seen|read|heard)\W*[\"'“‘][^\"”’]*\Z")
_QUOTED_SOURCE = re.compile(
    r"[^\"”’]{0,80}[\"”’]\s*(?:on|in|from) (?:facebook|instagram|tiktok|twitter|x|reddit|a forum|"
    r"the internet|online|google|a poster|an article|the news|a website|youtube|a group|"
    r"a video|the telly|tv)\b"
)
_COLON_NO = re.compile(
    r"[^:.!?]{0,40}(?::|\s[-–—])\s*(?:all |totally |completely )?(?:no|none|never|nil|normal|fine|"
    r"negative|nope|not really|false|null|n/a)"
    # (a checklist typed one item a line: "numbness down below - no\npeeing - normal")
    r"(?=[ \t]*(?:[.,;!?\n]|$))"
)
_NONE_OF_THOSE = re.compile(
    r"\W*(?:(?:checked|i checked|i have|i have got|have|got|thankfully|luckily)\W+)?(?:none|no|"
    r"not one|not any) of (?:those|these|them|that|the above)\b|"
    r"\W*(?:i )?(?:do not|dont) have anything like (?:that|this|those|it)\b|"
    # "What it means exactly? I don't have it, I am only curious." (not "… it in my legs")
    r"\W*(?:i )?(?:do not|dont|did not) have (?:it|that|this|them|those)(?=\W*(?:$|[,.!;]|i am "
    r"(?:just |only )?curious|just (?:curious|wondering|asking)))"
)
_JOKING = re.compile(
    r"[^.?]{0,80}?\(?\b(?:joking|jk|only joking|just kidding|kidding|not literally|obviously "
    r"not literally)\b"
)


def _none_of_those(text: str, clauses: tuple[Clause, ...], sentence: int) -> bool:
    """The next sentence denies everything listed in this one ("Checked - none of those.")."""
    starts = (_start_of(clauses, n) for n in (sentence + 1, sentence + 2))
    return any(_NONE_OF_THOSE.match(text, at) for at in starts if at is not None)


# An answer taken back: "I said no, but actually last winter I did" ("the answer is no, but I
# am very low" stays an answer)
TAKEN_BACK_NOT = (
    r"(?![^.!?]*\bbut (?:actually|in fact|really|honestly|then|last|sometimes|yes|i (?:did|do|have|"
    r"had|was))\b)"
)
_ASKED_IF = re.compile(
    r"\basked (?:\S+ ){0,3}?(?:if|whether)\b|"
    # a question put to the writer: "keeps asking me 'any saddle anaesthesia?' … No."
    r"\b(?:asked|asking|asks) (?:me|us)\b(?=[^.!]*\?)|"
    # "the app read out the question about thoughts of harming myself, the answer is no"
    r"\b(?:read out|asked|asks|asking) (?:\S+ ){0,2}?(?:the |a |your )?question (?:about|on|of)\b"
)
# "… whether she'd had any thoughts of hurting herself and she said no"
_SAID_NO = re.compile(
    r"(?:\b(?:and |but )?(?:she|he|they|i) (?:said|says|answered|told me) (?:no|not|never|she has "
    r"not|he has not|they have not|she had not|he had not)\b|\bthe answer (?:is|was) no\b)"
    + TAKEN_BACK_NOT
)
_DENIAL_START = re.compile(
    r"\W*(?:no\b|nope\b|never\b|not at all\b|i (?:am|was|have|had|do|did) not\b|i said no\b|"
    r"i told (?:her|him|them) no\b)" + TAKEN_BACK_NOT
)


def _asked_and_denied(text: str, clauses: tuple[Clause, ...], sentence: int, start: int) -> bool:
    """The mention is in a question someone asked ("the nurse asked whether I had thoughts of
    suicide") and the next sentence answers no ("I haven't")."""
    asked = _ASKED_IF.search(text, _sentence_start(clauses, sentence))
    if not asked or asked.start() >= start:
        return False
    end = max(c.end for c in clauses if c.sentence == sentence)
    if _SAID_NO.search(text, start, end):
        return True
    after = _start_of(clauses, sentence + 1)
    if after is None:
        return False
    if _DENIAL_START.match(text, after):
        return True
    # the answer after a short aside: "… anaesthesia?' like a quiz show host. No."
    aside = " ".join(text[c.start : c.end] for c in clauses if c.sentence == sentence + 1)
    answer = _start_of(clauses, sentence + 2)
    return (
        len(aside.split()) <= 6
        and not _FIRST_PERSON_ANY.search(aside)
        and answer is not None
        and bool(_DENIAL_START.match(text, answer))
    )


_ALSO_START = re.compile(r"\W*(?:also|plus|and also)\b")


# A message written for someone else, who is then the patient: "Typing for my mate", "writing
# on behalf of my mum"
ON_BEHALF = re.compile(
    r"[^.!?\n]{0,40}?\b(?:writing|typing|messaging|asking|texting|posting|on here|using (?:the|"
    r"this) app) (?:this )?(?:for|on behalf of) (?:my |a |our )?(?:" + FAMILY + r"|friend|mate|"
    r"neighbou?r|partner|client|patient|resident|great|grand|little|elderly|\w+ year old)"
)


def continues_other(text: str, clauses: tuple[Clause, ...], sentence: int) -> bool:
    """A sentence that adds to a report about someone else ("my father 70 … he lose weight a
    lot. Also back pain 1 month"): it starts with "also" and has no word for the writer."""
    if sentence == 0:
        return False
    parts = [c for c in clauses if c.sentence == sentence]
    before = [c for c in clauses if c.sentence == sentence - 1]
    if not parts or not before:
        return False
    body = text[parts[0].start : parts[-1].end]
    if ON_BEHALF.match(text) and not _FIRST_PERSON.search(body):
        # a message written for someone else: "Writing for my husband Tom. He says … Back's
        # been bad a week" (the back is his)
        return True
    if not _ALSO_START.match(body) or _FIRST_PERSON.search(body):
        return False
    return _other_person(text[before[0].start : before[-1].end] + " ")


# A checklist answered with a bare "no": "Tingly legs?? Nope. Weak legs?? Nope."
_NO_ANSWER = re.compile(
    # also quoted and answered after a dash: 'the 111 nurse asked "any fever?" - no, temp normal'
    # ("is that normal? No temp." is a new sentence, not the answer)
    r"\s*\?+[\"'”’]?\s*[-–—:]?\s*(?:no(?=\s*(?:[.!,;]|$)|\s+(?:no|it|its|i|just|not|nothing|never|the|that|this|all|"
    r"thankfully|luckily|none)\b)|nope|nah|none|never(?! (?:had|have|been|felt|happened|"
    r"experienced|before)\b)|not at all|negative|not really|no way|"
    # the joke answer: "Weight loss? I WISH."
    r"i wish(?= *[.!]| *$)|if only(?= *[.!]| *$))"
    r"\b[\s.!,]*"
    r"(?=$|[a-z])"
)


def _answered_no(text: str, clauses: tuple[Clause, ...], sentence: int) -> bool:
    end = max(c.end for c in clauses if c.sentence == sentence)
    return bool(_NO_ANSWER.match(text, end))


# An item answered after it, with no colon, the way people dictate a checklist: "numbness in
# the saddle area no. trouble passing urine no. fever no."
_TRAILING_NO = re.compile(r"\s(?:no|nope|false|negative)\W*\Z")


def _checklist_no(text: str, clauses: tuple[Clause, ...], sentence: int) -> bool:
    """This sentence and the one before or after it each end in a bare "no": a checklist."""

    def ends_no(n: int) -> bool:
        parts = [c for c in clauses if c.sentence == n]
        if not parts:
            return False
        body = text[parts[0].start : parts[-1].end]
        return len(body.split()) <= 8 and bool(_TRAILING_NO.search(body))

    return ends_no(sentence) and (ends_no(sentence - 1) or ends_no(sentence + 1))


def mention_context(
    name: str,
    time: TimeKind,
    diagnosis_word: bool,
    text: str,
    clauses: tuple[Clause, ...],
    start: int,
    end: int,
    cores: list[tuple[int, int]],
) -> Mention:
    """The context checks of this module for any span of ``text`` (used by :mod:`.danger`)."""
    concept = Concept(name, (), time=time, diagnosis_word=diagnosis_word)
    return _contextualise(concept, text, clauses, start, end, cores)


_QUESTION_START = re.compile(
    # "Out of interest, can sciatica affect both legs?": a lead-in before the question word
    r"\W*(?:(?:out of interest|just (?:wondering|curious|asking)|quick question|random question|"
    r"general question|silly question|by the way|btw|curious)\W+)?"
    r"(?:what|how|is|are|can|could|does|do|should|why|when|which|will|would|may|who)\b"
)
_THAN = re.compile(r" than\b")
_NO_TO_ALL = re.compile(
    r"\b(?:ticked|answered|said|put|clicked|pressed|chose|selected) no (?:to|for) (?:all|every|each)\b"
)
_DEVICE_FELT = frozenset(
    {"limb_sensory", "bilateral_leg_symptoms", "sensation", "radicular", "radicular_one_leg"}
)
_DEVICE_SENSATION = re.compile(
    r"\b(?:from|by|with) (?:the|my) (?:spinal cord )?(?:stimulator|tens(?: machine| unit)?|scs|"
    r"nerve stimulator)\b"
)
_EVEN_SWITCHED_OFF = re.compile(
    r"\beven (?:with|when|after) (?:it|the \w+) (?:is |was )?(?:switched|turned) off\b|\b(?:still|"
    r"even) there (?:with|when) (?:it|the \w+) (?:is |was )?off\b"
)
_NOT_MEANT = re.compile(
    r"\b(?:did not|do not|does not|never) (?:really )?mean (?:it|that)\b|\bnot (?:literally|"
    r"seriously)\b|\bnot (?:feeling )?suicidal\b|\b(?:figure|turn) of speech\b"
)
_IF_I_HAD = re.compile(
    r"\bif (?:i|you|he|she|they|someone|somebody|a person) (?:ever )?(?:had|got|were|was|started)"
    r"(?:\s+[^\s.!?]+){0,6}?\s*\Z"
)
_WOULD_THAT = re.compile(r"[^.!?]{0,80}?\b(?:would|could|should) (?:that|it|this|i|you)\b")
# A symptom as the subject of an imagined "if … ever": "If chest pain ever came on while doing
# the exercises, should they be stopped?", "if back pain ever comes with a fever"
_IF_BEFORE = re.compile(r"\bif (?:a |any |the |some |my |your )?(?:\S+ )?\Z")
_EVER_HAPPENS = re.compile(
    r"(?: \S+){0,2}? ever (?:came|comes|come|started|starts|start|happened|happens|happen|"
    r"appeared|appears|showed|shows|turned|turns|went|goes|got|gets)\b"
)
_FIRST_PERSON_ANY = re.compile(r"\b(?:i|me|my|mine|myself|im)\b")
# An injury only imagined or feared: "I'm worried I could fall off the ladder".
_MODAL_BEFORE = re.compile(
    r"\b(?:could|might|may|would|will|going to|gonna|afraid (?:of|to|i)|scared (?:of|to|i)|"
    r"in case (?:i|you)|if (?:i|you)|avoid|not to|do not want to)\s+(?:\S+\s+){0,2}\Z"
)


_CONTRAST = re.compile(
    r"\b(?:but|however|although|though|anyway|also|whereas|except|apart from that)\b"
)


def _after_contrast(sentence_before: str) -> str:
    """The part of a sentence after its last contrast word: "I was going to ask about the
    stretch, but also since yesterday my bits feel numb" reports a symptom; the question
    before "but" does not make it hypothetical."""
    ends = [m.end() for m in _CONTRAST.finditer(sentence_before)]
    return sentence_before[ends[-1] :] if ends else sentence_before


_READING = re.compile(r"\b(?:3[89]|4[0-2])[.,]\d\b|\b(?:3[89]|4[0-2]) ?(?:degrees|°)")


def _general_question(text: str, clauses: tuple[Clause, ...], sentence: int) -> bool:
    """A general question: question word first, "?" last, no first-person word ("what does
    saddle numbness mean?"). "Is it normal that my groin is numb?" is the patient's own."""
    parts = [c for c in clauses if c.sentence == sentence]
    if not parts:
        return False
    start, end = parts[0].start, parts[-1].end
    if not _QUESTION_START.match(text, start):
        # a lead-in before the question: "sorry if this is silly but what's 'saddle
        # anaesthesia'?"
        start = end - len(_after_contrast(text[start:end]))
    return (
        "?" in text[end : end + 2]
        and bool(_QUESTION_START.match(text, start))
        and not _FIRST_PERSON_ANY.search(text, start, end)
        # a reading quoted in the question is the writer's own: "does 38.2 and a stiff back …?"
        and not _READING.search(text, start, end)
        # "is it normal to not feel when you're weeing? asking because it's happening to me"
        and not _ABOUT_ME_NEXT.match(text, end + 1)
    )


_ABOUT_ME_NEXT = re.compile(
    # "… think about dying? because I do lately", "…? asking for me"
    r"[?\s]*(?:(?:because|cause|as) i do\b|asking for (?:me|myself)\b|(?:this is |it is )?about me\b)|"
    r"[?\s]*(?:(?:i am )?asking (?:because|as|since) |because |cause )?(?:it is|its|this is|"
    r"that is|thats) (?:\S+ )?(?:happening to me|me|what i (?:have|get|am getting))|"
    r"[?\s]*(?:i have|i am having|i get|i have got) (?:this|that|it)\b|"
    # "can sciatica affect both legs? because both of mine are numb now" (not "mine was …")
    r"[?\s]*(?:(?:because|cause|as|since) )?(?:both (?:of )?)?mine (?:are|is|have|has|keep|keeps|"
    r"go|goes|feel|feels)\b(?! (?:\S+ )?(?:normal|fine|ok|okay|good|strong|great|alright|all "
    r"right)\b)|"
    # "is chest pain normal with upper back pain? it comes on when i walk up the hill"
    r"[?\s]*(?:it|this|that|mine) (?:comes? on|starts?|happens?|gets? worse|is worse|hurts|"
    r"goes) (?:\S+ ){0,3}?(?:when|if|after|whenever|as soon as) i\b|"
    # "is it normal to lose feeling … with a slipped disc? Started two days ago.", "… ? It's a
    # crushing feeling and it hasn't gone"
    r"[?\s]*(?:(?:it|this|that|mine) )?(?:started|began|came on|has been going on) (?:\S+ ){0,3}?"
    r"(?:ago|yesterday|today|tonight|this (?:morning|afternoon|evening|week)|last night|since)\b|"
    r"[?\s]*(?:it is|its|it feels|it felt) (?:like )?(?:a |an )?(?:\S+ )?(?:feeling|sensation)\b|"
    # the feeling described straight after: "… into the front of your chest? Sort of a heavy
    # feeling."
    r"[?\s]*(?:sort of|kind of|kinda|sorta|more of|more like) (?:a |an )?(?:\S+ ){0,2}?(?:feeling|"
    r"sensation|ache|pressure|weight|band|squeeze)\b"
)


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in spans)


# A list of what the writer does not have, opened with a colon and running to the sentence end.
_DENIED_LIST_OPENS = re.compile(
    r"\b(?:i|we|he|she) (?:do not|did not|does not|never) (?:have|had|get|got)(?: any of)?"
    r"(?: (?:these|the following|this|them))?\s*:[^.!?]*\Z"
)


def _negated(
    text: str,
    clauses: tuple[Clause, ...],
    index: int,
    start: int,
    cores: list[tuple[int, int]],
) -> bool:
    clause = clauses[index]
    if _DENIED_LIST_OPENS.search(text, max(0, start - 250), start):
        return True  # "Here's everything I DON'T have: numbness anywhere, tingling, weakness, …"
    tokens = [
        m for m in _TOKEN.finditer(text, clause.start, start) if not _inside(m.start(), cores)
    ]
    window = [m.group(0) for m in tokens[-_NEGATION_WINDOW:]]
    for i in range(len(window) - 1, -1, -1):
        word = window[i]
        if word in _SCOPE_STOP:
            return False
        if word in _NEGATION_WORDS:
            following = window[i + 1] if i + 1 < len(window) else ""
            if following in _PSEUDO_NEGATION_NEXT:
                continue
            return True
    # a list after a comma continues a negation: "no numbness, tingling or weakness in my legs"
    # but a new statement does not: "no fever, my legs went numb", "... and my foot slaps"
    if index > 0:
        previous = clauses[index - 1]
        if previous.sentence == clause.sentence and _NEGATED_LIST_HEAD.match(
            text, previous.start, previous.end
        ):
            current_words = _TOKEN.findall(text, clause.start, clause.end)
            has_verb = any(w in _VERBS or w.endswith("ed") for w in current_words)
            starts_statement = bool(current_words) and current_words[0] in _SUBJECTS
            if not has_verb and not starts_statement and len(current_words) <= 8:
                return True
    return False


_NEGATED_LIST_HEAD = re.compile(
    r"\W*(?:i (?:do not|did not|have not|have never|never) (?:have|had|got|get|notice|noticed|"
    r"feel|felt|suffer from)\b|(?:i (?:have|had|deny|denies) |there (?:is|are|was|were) )?"
    r"(?:any )?(?:no|not any|without|neither|none of|denies|deny)\b)"
)
_SUBJECTS = frozenset("i my it the this that she he we they there".split())  # noqa: SIM905
_VERBS = frozenset(
    """is am are was were be been being have has had do does did can cannot could will would
    went go goes going gone feel feels felt feeling hurt hurts hurting get gets got getting
    become became keep keeps kept start started starts seem seems came come comes think
    notice noticed make makes made""".split()  # noqa: SIM905
)


def _since_before(text: str, marker_start: int) -> bool:
    return bool(
        re.search(r"\bsince\s+(?:\S+\s+)?$", text[max(0, marker_start - 20) : marker_start])
    )


_ONSET_BEFORE = re.compile(r"\b(?:started|began|begun|came on|kicked off|first noticed)\s+\Z")


def _in_aside(text: str, a: int, b: int, start: int, end: int, core: tuple[int, int]) -> bool:
    """True when text[start:end] is inside brackets that do not also hold the core."""
    opening = text.rfind("(", max(0, a - 200), start)
    if opening == -1 or ")" in text[opening:start]:
        return False
    closing = text.find(")", end, b + 200)
    if closing == -1 or re.fullmatch(
        r"\(\s*(?:in )?(?:19|20)\d\d\s*\)", text[opening : closing + 1]
    ):
        return False  # a bare year in brackets dates the clause: "Years ago (2015) I had …"
    return not (opening < core[0] and core[1] <= closing)


def _markers(pattern: re.Pattern[str], text: str, a: int, b: int, core: tuple[int, int]) -> bool:
    """True if ``pattern`` occurs in ``text[a:b]`` outside the core and not after "since"."""
    for match in pattern.finditer(text, a, b):
        if match.start() < core[1] and match.end() > core[0]:
            continue  # part of the finding itself ("no longer feel", "for years" in a core)
        if _in_aside(text, a, b, match.start(), match.end(), core):
            continue  # "my husband (72, had a stroke years ago) has suddenly got …"
        if _ONSET_BEFORE.search(text, max(a, match.start() - 25), match.start()):
            continue  # "back pain that started a month ago": when it began, still going on
        if _since_before(text, match.start()):
            continue  # "since last month" means it is still going on
        if match.group(0).startswith("for ") and _ACTIVITY_BEFORE.search(
            text, max(0, match.start() - 50), match.start()
        ):
            continue  # "sitting on the loo for ages": how long the attempt took, not years
        return True
    return False


# A duration that measures an attempt or a wait, not how long a symptom has lasted.
_ACTIVITY_BEFORE = re.compile(
    r"\b(?:sitting|sat|sit|standing|stood|waiting|waited|wait|trying|tried|try|straining|"
    r"strained|strain|pushing|pushed|push|stuck|been (?:on|in|at)|on the (?:loo|toilet)|"
    r"in the (?:bathroom|toilet|loo))\b(?:\s+[^\s.!?;:,]+){0,5}\s*\Z"
)


# Numbness from a position that passes at once ("my bum goes numb on a long drive but comes
# back when I get out"): the ordinary kind, not nerve damage; both parts are needed.
_POSITIONAL = re.compile(
    r"\b(?:when|after|from|while|on|if) (?:\S+ ){0,3}?(?:sitting|sat|cross[- ]?legged|kneeling|"
    r"long drive|driving|car seat|(?:the |my )?bike|cycling|sleeping on|lying on|squatting|"
    # "numb from the cold hard seat"
    r"seat|bench|stool|pews?)\b|"
    # "sat on a metal bleacher for 3 hours and my bum went numb"
    r"\b(?:sat|sitting) (?:\S+ ){0,4}?(?:for (?:\S+ )?(?:hours?|minutes|ages|a while)|\d+[- ]hours?|"
    r"bleachers?|"
    r"bench|stool|chair|floor|toilet|loo|sofa|couch)\b|"
    r"\bon (?:the |a |that |those )?(?:hard |metal |wooden |plastic |church |train |stadium )?"
    r"(?:bleachers?|bench|stool|pews?|seats?)\b|"
    r"\b(?:numb|dead|asleep|tingl\w*|pins and needles) (?:\S+ ){0,2}?(?:sitting|sat|kneeling|"
    r"squatting|crouching|cross[- ]?legged)\b"
)
_PASSES = re.compile(
    r"\b(?:goes|went|go|passes|passed|wears off|wore off|disappears|disappeared|settles|"
    r"settled|comes back|came back|returns|returned) (?:(?!numb|dead|tingl|asleep)\S+ ){0,2}?"
    r"(?:after|within|in|when|second|moment|minute|"
    r"once|as soon as|straight away|quickly|away)\b|\bafter a (?:few|couple of) (?:seconds|"
    r"minutes)\b|"
    r"\b(?:fine|ok|okay|normal|back to normal|gone|better|right as rain|all right|alright) "
    r"(?:again )?(?:once|when|as soon as|"
    r"after|the moment|the minute) i (?:got|get|stood|stand|moved|move|walked|walk|shifted|"
    r"shift|changed|change)\b|\b(?:walked|walk|shook|shake) it off\b|"
    # "… from sitting cross-legged, it's completely back to normal now"
    r"\b(?:it is|its|is|was) (?:now )?(?:completely |totally |all )?back to normal\b"
)


def _transient_positional(text: str, clauses: tuple[Clause, ...], sentence: int) -> bool:
    parts = [c for c in clauses if c.sentence == sentence]
    if not parts:
        return False
    body = text[parts[0].start : parts[-1].end]
    # the passing is often told in a short next sentence: "… my bum went numb. Fine as soon as
    # I walked out.", "Dead legs from sitting on the train. Walked it off."
    following = [c for c in clauses if c.sentence == sentence + 1]
    after = text[following[0].start : following[-1].end] if following else ""
    if len(after.split()) > 10:
        after = ""
    if _PERSISTS.search(body) or _PERSISTS.search(after):
        return False  # "… and it stays numb after I get up"
    return bool(_POSITIONAL.search(body) and (_PASSES.search(body) or _PASSES.search(after)))


_PERSISTS = re.compile(
    r"\b(?:(?:has|have|it has) (?:\S+ )?come back|stays?|stayed|still|lasts?|lasted|lingers?|lingered|does not (?:go|wear|pass)|"
    r"did not (?:go|wear|pass)|will not (?:go|wear|pass)|not (?:gone|going|wearing) (?:away|off)|"
    r"for hours|all day)\b"
)


def _past(
    kind: TimeKind,
    text: str,
    clauses: tuple[Clause, ...],
    index: int,
    start: int,
    end: int,
    name: str = "",
) -> bool:
    if _SUICIDE_NAME.search(name) and (
        _ATTEMPTED.match(text, start) or text[:start].endswith(("tried to ", "attempted to "))
    ):
        return True  # "she tried to take her own life in March": an attempt is told in the past
    if kind == "history":
        return False
    if _mistaken(text, clauses, index, start, end):
        return True
    clause = clauses[index]
    core = (start, end)
    resolved = _markers(_RESOLVED, text, clause.start, clause.end, core)
    if not resolved and index + 1 < len(clauses):
        following = clauses[index + 1]
        nxt = text[following.start : following.end]
        if following.sentence == clause.sentence and _ANAPHOR_START.match(nxt):
            # ("… had a catheter, all fine after")
            resolved = bool(_RESOLVED.search(nxt) or _HEALED_START.match(nxt))
        elif following.sentence == clause.sentence:
            resolved = bool(_HEALED_START.match(nxt))
    after = _start_of(clauses, clause.sentence + 1)
    if not resolved and after is not None:
        # the next sentence dates it ("… the wound got infected. That was 2021, all healed
        # up.") or, for an injury, says it is over ("RTC last year, whiplash. All sorted now.")
        resolved = (
            bool(_DATED_START.match(text, after))
            # (a symptom too when it was told in the past: "Five years ago … I could not pee.
            # Fully fine since then.")
            or (
                bool(_HEALED_START.match(text, after))
                and (
                    kind == "event"
                    or bool(
                        _PAST_TENSE.search(text, _sentence_start(clauses, clause.sentence), start)
                    )
                )
            )
        )
    if resolved or (kind == "current" and _resolved_later(text, clauses, index, start, end)):
        return True
    if _SCARE.search(text, clause.start, clause.end) and _FINE_SINCE.search(text, end):
        # "Last spring I had a scare with bladder trouble … all clear"; "years ago I had a
        # scare with numbness in the saddle area … All fine since"
        return True
    if _markers(_REMOTE_PAST, text, clause.start, clause.end, core) or _dated_sentence(
        text, clauses, index
    ):
        # "used to use heroin, started again last month": the past habit is back
        return not _resumed(text, clauses, index, end)
    if (
        kind == "current"
        and not _NEVER_POSITIONAL.search(name)
        and _transient_positional(text, clauses, clause.sentence)
    ):
        return True  # numbness from sitting that passed; never bladder, chest pain and the like
    if kind == "current":
        return (
            _markers(_RECENT_PAST, text, clause.start, clause.end, core)
            or _markers(_CHRONIC, text, clause.start, clause.end, core)
            or _chronic_tail(text, clauses, index)
            or (
                not _NEVER_BASELINE.search(name) and _known_baseline(text, clauses, clause.sentence)
            )
        )
    return False


def _dated_sentence(text: str, clauses: tuple[Clause, ...], index: int) -> bool:
    """True when the sentence opens with clauses that only date it ("Years ago, in 2015, I had a
    bad fall and couldn't feel my legs"): the date belongs to everything the sentence says."""
    sentence = clauses[index].sentence
    opening = [
        text[c.start : c.end].strip(" ,;:-") for c in clauses[:index] if c.sentence == sentence
    ]
    # (with the event it followed: "Back in 2012, after a car crash, I couldn't feel …")
    return any(_DATE_ONLY.fullmatch(c) or _DATED_EVENT.fullmatch(c) for c in opening) and all(
        _DATE_ONLY.fullmatch(c) or _EVENT_ONLY.fullmatch(c) or _DATED_EVENT.fullmatch(c)
        for c in opening
    )


# A clause that is only a date or a time long past.
_DATE_ONLY = re.compile(
    r"(?:(?:back )?(?:in|around|about) )?(?:(?:many|some|a few|\d+|two|three|four|five|ten) )?"
    r"(?:years?|yrs?|decades?) ago|(?:back |way back )?in (?:19|20)\d\d|(?:19|20)\d\d|"
    r"long ago|ages ago|a long time ago|as a (?:child|kid|teenager|teen|student)|"
    r"(?:back )?in the (?:19)?[5-9]0s|last year|when i was (?:young|younger|little|at school)"
)

# The warning sign just described is now the writer's: "… if I have numbness in the private
# parts I must go to hospital. Now I have it."
_NOW_IT_IS_MINE = re.compile(
    r"\b(?:now|today|tonight|this morning|since (?:this morning|yesterday|last night)),? (?:i|he|"
    r"she) (?:have|has|got|have got|has got|feel|feels|am having|is having) (?:it|this|that|them|"
    r"those|these|the same)\b(?! (?:checked|looked at|seen to|sorted|under control))|"
    r"\b(?:i|he|she) (?:have|has|have got|has got) (?:it|this|that) now\b|"
    r"\b(?:it|this|that) is (?:now )?happening (?:now|to me|to him|to her)\b|\bnow it is happening\b"
)
_EVENT_ONLY = re.compile(
    r"(?:just |straight |right )?(?:after|before|during|following) [^,;]{1,40}"
)
# A date with the event it names, in note form: "5 years ago car accident, vertebra broken"
_DATED_EVENT = re.compile(
    r"(?:(?:\d+|two|three|four|five|six|seven|eight|nine|ten|many) years? ago|(?:in )?(?:19|20)\d\d) "
    r"(?:a |the |my )?(?:\S+ )?(?:accident|crash|fall|injury|operation|surgery|op)"
)

_PAST_TENSE = re.compile(
    r"\b(?:had|was|were|got|felt|caught|came down with|did (?:get|have|feel|notice))\b"
)
_NOW_RESOLVED = re.compile(
    r"\b(?:has|have|is|are) (?:\S+ )?(?:gone|cleared|settled|better)\b|"
    r"\b(?:gone|better|fine|cleared up) now\b|"
    # "fever last week already gone", "I had fever last week but it is finished"
    r"\balready (?:gone|better|finished|over)\b|\b(?:it is|it has|is) finished\b"
)
_IT_WENT = re.compile(
    # "… but it is finished" (learner English)
    r"\b(?:it|that) is (?:finished|over)\b|"
    # "… went away within the hour", "… the feeling came back within the day"
    r"\bwent away (?:within|after|in) (?:the|an|a|half an|\d+|a few) (?:hour|minute|min|day)s?\b|"
    r"\b(?:the |my )?(?:feeling|sensation|strength) (?:has |had )?(?:came|come|returned) back\b|"
    r"\b(?:it|that|this|they|which|all)\b (?:\S+ )?(?:went away|cleared up|got better|settled|"
    r"resolved|disappeared|wore off|went)(?! (?:to|down|into|numb|weak|worse))\b|"
    # "… and my back ached with it. Both gone now."; "… with a cold, long gone"
    r"\b(?:both|all|it|that|they) (?:are |is |have |has )?(?:long |all )?gone\b(?! (?:numb|weak|"
    r"dead|worse|back|funny|to|into|down))|\blong gone\b|"
    # "… turned out to be a UTI, antibiotics sorted it and it's all fine now"
    r"\b(?:it|that|they|all|everything) (?:has|have) been (?:totally |completely |perfectly )?(?:normal|"
    r"fine) since\b|\bsettled (?:back )?(?:down )?to (?:my usual|normal)\b|"
    r"\bturned out (?:to be|it was|that|the|my|i|it had)\b|\b(?:it|that|all) (?:is|was|has been) (?:all )?(?:fine|ok|"
    r"okay|better|sorted|normal) now\b|"
    # "… chest pain and everything, he's fully recovered now"; "…, fully recovered now"
    r"\b(?:he|she|i|they) (?:is|am|are|has|have) (?:been )?(?:fully |completely )?"
    r"(?:recovered|better|fine|well)\b|^\W*(?:now )?(?:fully|completely|all) (?:recovered|better|"
    r"fine|clear)\b|"
    # "… 5 yrs ago, sorted itself out and never came back"
    r"\b(?:sorted|fixed|cleared|righted) itself(?: out)?\b|\bnever came back\b|"
    # "… for a bit, went years ago", "a wee accident once …, nothing since"
    r"\bwent (?:away )?(?:years|months|ages|a long time|long) ago\b|\ball over now\b|"
    r"^\W*(?:that|this|it) was (?:\d+|a|one|two|three|four|five|six|several|many) (?:years?|"
    r"months?) ago\b|"
    r"^\W*(?:nothing|none|not once|never again) since\b|"
    r"\bwent away on its own\b|"
    # "the symptoms went completely"; the cause found: "it was just my laces too tight"
    r"\b(?:symptoms?|numbness|tingling|feeling|it|they|that) (?:all )?(?:went|cleared|settled|"
    r"resolved) (?:completely|fully|totally)\b|\bit was (?:just|only) (?:my|the)\b|"
    # "I had trouble peeing when I had a UTI in September, antibiotics sorted it"
    r"\b(?:antibiotics|tablets|treatment|the (?:doctor|gp|op|operation|surgery|physio)|surgery|"
    r"physio|they|that) (?:\S+ )?(?:sorted|fixed|cleared|cured|treated) (?:it|that|them)\b"
)
_SUICIDE_NAME = re.compile(r"suicid|crisis")
_ATTEMPTED = re.compile(r"(?:tried|attempted) to ")
_SCARE = re.compile(r"\b(?:had|got) (?:a |quite a |a bit of a |a real |a big )?(?:\S+ )?scare\b")
_FINE_SINCE = re.compile(
    r"\b(?:fine|normal|ok|okay|good|clear|well|no problems?|nothing) (?:ever )?since\b|"
    r"\ball clear\b|\b(?:went|cleared|settled) (?:away )?(?:completely|fully|totally)\b|"
    r"\bback to normal\b|\bnever came back\b"
)
_RECURRED = re.compile(
    # (not feeling that came back: "the feeling came back within the day")
    r"\b(?<!never )(?<!not )(?<!did not )(?<!feeling )(?<!sensation )(?<!strength )"
    r"(?:back again|came back|come back|coming back|returned|"
    # not an activity taken up again: "may I start running again?"
    r"(?<!running )(?<!jogging )(?<!exercising )(?<!exercise )(?<!training )(?<!the gym )"
    r"(?<!working )(?<!work )(?<!driving )(?<!swimming )(?<!cycling )(?<!lifting )"
    r"(?<!walking )(?<!playing )(?<!dancing )(?<!yoga )again)\b"
)


def _resolved_later(
    text: str, clauses: tuple[Clause, ...], index: int, start: int, end: int
) -> bool:
    """A symptom told in the past tense and said later in the message to have gone now: "I had
    a fever last week with the flu …, but the fever's gone now". Only the same word counts, and
    not when it has come back ("the numbness went, but it is back again")."""
    sentence = clauses[index].sentence
    if not _PAST_TENSE.search(text, _sentence_start(clauses, sentence), end):
        return False
    word = re.compile(rf"\b{re.escape(text[start:end].split()[-1])}\b")
    for later in clauses[index + 1 :]:
        part = text[later.start : later.end]
        # "… the fever has gone now"; in the same sentence "… MRI was clear and it went away";
        # or the next sentence, when it starts by pointing back: "… couldn't feel my legs.
        # They're completely fine today"
        if (
            (word.search(part) and _NOW_RESOLVED.search(part))
            or (later.sentence == sentence and _IT_WENT.search(part))
            or (
                later.sentence == sentence + 1
                and later.start == _sentence_start(clauses, later.sentence)
                and _ANAPHOR_START.match(part)
                and _IT_WENT.search(part)
            )
        ):
            return not _RECURRED.search(text, later.start)
    return False


# A symptom of a known long-term condition, said to be as it always is: "Pins and needles in
# both feet like always, it's the neuropathy", "my diabetic feet … old news", "reduced feeling
# in my legs (long-standing)", "self-catheterise 5 times a day". Not when the same sentence
# says something has changed ("my MS legs are weaker today").
_BASELINE = re.compile(
    # "bladder same as always (urgency, known about)"
    r"\((?:[a-z ]+, )?known about\)|"
    r"\b(?:(?:from|because of|due to|it is|its) (?:the |my )?(?:diabetes|neuropathy|chemo\w*|ms|"
    r"multiple sclerosis|stroke|spina bifida|cerebral palsy)|"
    r"(?:diabetic|ms|chemo|neuropath\w*|stroke|cp) (?:feet|foot|legs?|arm|hand)|"
    r"self[- ]?catheteri[sz]\w*|catheteri[sz]\w* (?:\S+ )?(?:\d+|several|five|four|three) times|"
    r"catheter times)\b"
)
# … or said to be as always in a message that names the condition
_CONDITION = re.compile(
    r"\b(?:diabet\w*|neuropath\w*|chemo\w*|ms|multiple sclerosis|stroke|spina bifida|cerebral "
    r"palsy|catheter\w*|(?:cauda equina|ces) (?:op|operation|surgery|decompression)|fibro\w*|eds|"
    r"ehlers[- ]danlos|hypermobil\w*|pots|me/cfs|cfs|long covid|meralgia\w*|overactive bladder|"
    r"interstitial cystitis|ibs|prostate|bph|turp|parkinson\w*|pd|clozapine|dialysis)\b"
)
_AS_ALWAYS = re.compile(
    r"\b(?:like always|as always|old news|no change(?: there)?|unchanged|exactly the same|"
    r"(?:been|stayed) the same|the same (?:since|for (?:\d+|many|several|years))|"
    r"long[- ]standing|nothing new|all my life|(?:are|is) old|and the same(?= *(?:[.!,;]|$))|"
    r"same as (?:they|it) always (?:do|does|is|are)|same places?|nothing(?: has|s)? changed|"
    r"the usual (?:prostate )?(?:dribble|dribbling|frequency|urgency|trickle)|"
    r"nothing different|normal for me|usual urgency|(?:urologist|consultant|neurologist|gp|"
    r"doctor|team|nurse)s? knows?|the team know|(?:has|have) done ever since i (?:started|began) "
    r"(?:it|them|taking (?:it|them))(?: \d+ years ago)?)\b"
)
_CHANGED = re.compile(
    r"\b(?:worse|worsening|spread\w*|creep\w*|(?<!nothing )new|newly|(?<!nothing else is )(?<!nothing is )"
    r"(?<!not )different|changed|more|suddenly|today|this morning|started|now (?!just\b|and then\b|"
    r"and again\b)|"
    r"since (?!(?:\d+|many|several|years|childhood|birth|i was|the stroke|my stroke|diagnosis)\b)|"
    r"not like|nothing like|unlike)\b"
)


# The next sentence says the symptom just described was looked into ("Neurologist checked them
# in 2021 and said meralgia paraesthetica, nothing's changed").
_NEVER_BASELINE = re.compile(r"chest|aneurysm|aaa|collapse|faint|suicid|crisis|fever|infect")
_EXPLAINED_NEXT = re.compile(
    r"\W*(?:\S+ ){0,4}?(?:checked|looked at|scanned|diagnosed|investigated|tested) (?:them|it|"
    r"those|these|that|this)\b"
)


def _known_baseline(text: str, clauses: tuple[Clause, ...], sentence: int) -> bool:
    names_condition = bool(_CONDITION.search(text))
    if not (names_condition or _BASELINE.search(text)):
        return False  # most messages name no condition: nothing to check
    # the sentence itself, or with the next one ("Numb patches on my outer thighs. Neurologist
    # said meralgia paraesthetica, nothing's changed.")
    for span in ((sentence,), (sentence, sentence + 1)):
        parts = [c for c in clauses if c.sentence in span]
        whole = text[parts[0].start : parts[-1].end]
        if len(span) == 2 and (
            parts[-1].sentence == sentence
            or not _EXPLAINED_NEXT.match(text, _sentence_start(clauses, sentence + 1))
        ):
            continue
        if not (_BASELINE.search(whole) or (names_condition and _AS_ALWAYS.search(whole))):
            continue
        if not _CHANGED.search(_AS_ALWAYS.sub(" ", _BASELINE.sub(" ", whole))):
            return True
    return False


# A symptom only believed for a moment: "thought I'd wet myself but it was the water trough",
# "I thought I couldn't feel my bladder, but it was because I'd had 4 coffees"
_MISTAKEN_BEFORE = re.compile(
    r"\b(?:thought|convinced myself|was sure|worried)(?: that)?(?: (?:i|i had|i would|id|i was|"
    r"my \w+ (?:had|was|has|would))\b[^.!?]*)?\s*\Z"
)
_MISTAKEN_AFTER = re.compile(
    r"[^.!?]{0,80}?\bbut\b,? (?:it was|it is|it turned out|turned out|that was|someone|somebody|"
    r"actually it|it had been|i had (?:just )?(?:sat|spilled|spilt)|it was only|it was just|"
    # Pidgin "but na the hard bench" (read as "but is the")
    r"is the|is because|(?:it was )?(?:my|the|a) (?:\S+ ){0,3}?(?:was|had been) (?:leaking|"
    r"dripping|spilt|spilled|wet))\b"
    r"(?! (?:real|true|worse|not|actually (?:real|true)))"
)


def _mistaken(text: str, clauses: tuple[Clause, ...], index: int, start: int, end: int) -> bool:
    sentence_start = _sentence_start(clauses, clauses[index].sentence)
    return bool(_MISTAKEN_BEFORE.search(text[sentence_start:start])) and bool(
        _MISTAKEN_AFTER.match(text, end)
    )


def _start_of(clauses: tuple[Clause, ...], sentence: int) -> int | None:
    """Where sentence number ``sentence`` starts, or None when the message has no such one."""
    starts = [c.start for c in clauses if c.sentence == sentence]
    return min(starts) if starts else None


def _sentence_start(clauses: tuple[Clause, ...], sentence: int) -> int:
    return min(c.start for c in clauses if c.sentence == sentence)


# Findings that sitting can never explain away: not only continence, also chest pain ("… went
# off after I sat on the bench but it has come back now"), collapse and the like
_NEVER_POSITIONAL = re.compile(
    r"bladder|bowel|elim|sexual|sex_|chest|aneurysm|collapse|suicid|fever|weight"
)
# A clause after the finding that says it is long-standing: "…, been like that since I had
# the kids, nothing new". "Nothing new" counts only as a clause of its own; "been like that"
# only with a long-standing marker of _CHRONIC ("been like that since yesterday" does not).
_TAIL_ONLY = re.compile(
    r"^\W*(?:(?:it is|that is|this is|its|thats|it has been|been) )?(?:nothing new|not new|"
    r"not a new thing|same as (?:always|ever)|nothing has changed|always been (?:like )?"
    r"(?:that|this|the case))(?: (?:really|tbh|to be honest|either|there|for me|anyway))?\W*$"
)
_TAIL_LIKE_THAT = re.compile(
    r"^\W*(?:(?:it is|it has|that is|that has|has|have|i have|its|thats) )?(?:been|always been) "
    r"(?:like (?:that|this)|that way|the same|going on|happening|the case)\b"
)


def _chronic_tail(text: str, clauses: tuple[Clause, ...], index: int) -> bool:
    sentence = clauses[index].sentence
    for following in clauses[index + 1 : index + 3]:
        if following.sentence != sentence:
            return False
        part = text[following.start : following.end]
        if _TAIL_ONLY.match(part):
            return True
        if not _TAIL_LIKE_THAT.match(part):
            return False
        if _CHRONIC.search(part):
            return True
    return False


# The habit or symptom has come back: "started again", "back on it", "relapsed".
_RESUMED = re.compile(
    # not "… it went within an hour and never came back"
    r"\b(?<!never )(?<!not )(?:(?:started|starting|begun|began|begin|using|injecting|taking|"
    r"doing|come|came) "
    # "it started with back pain" is not "started back"
    r"(?:\S+ )?(?:again|back(?! (?:pain|ache|problems?|trouble|injury|spasms?|stiffness|to normal|"
    r"normal|fully|completely|100)))|"
    r"back on (?:it|them|the|heroin|drugs|the gear|the needle)|"
    r"relaps\w*|fell off the wagon|(?:it|they|that|this) (?:is|are|has|have) (?:\S+ )?back)\b"
)


def _resumed(text: str, clauses: tuple[Clause, ...], index: int, end: int) -> bool:
    """True when the rest of the sentence says a past habit or symptom has started again."""
    sentence = clauses[index].sentence
    stop = max(c.end for c in clauses if c.sentence == sentence)
    return bool(_RESUMED.search(text, end, stop))


_HE_BEFORE = re.compile(
    r"\b(?:he|she|they) (?:nearly |almost |just |suddenly |then |also |"
    r"actually |really )?\Z"
)
# the mention is the verb of "he/she …": "he | can barely feel", "he nearly | fainted"
_VERB_START = re.compile(
    r"(?:can|cannot|could|is|has|keeps|does|did|will|would|fainted|passed out|collapsed|"
    r"blacked out|keeled over|went|fell|wet|soiled|lost|tripped|slipped|stumbled|sat down)\b"
)
_THEIR_WORD = re.compile(r"\b(?:his|her|their|him|himself|herself)\b")
_WITH_BEFORE = re.compile(r"\bwith\s+\Z")
_THEIR_BODY_AFTER = re.compile(
    r"(?: [a-z]+)?? (?:in|on|down|across|around|into|through|of|at) (?:his|her|their) (?:own |lower |"
    r"upper |bad |poor |left |right )?(?:back|spine|legs?|feet|foot|bum|bottom|tummy|belly|"
    r"stomach|chest|side|hips?|groin|thighs?)\b"
)
_THEIR_BEFORE = re.compile(
    r"\b(?:his|her|their) (?:own |lower |upper |bad |poor |left |right |both |inner |outer )?\Z"
)


def _other_person(sentence_before: str) -> bool:
    if _THEIR_BEFORE.search(sentence_before):
        return True  # "his back has been bad", "her bum is numb"
    last = None
    for match in OTHER_PERSON.finditer(sentence_before):
        if _WITH_BEFORE.search(sentence_before, 0, match.start()):
            continue  # "a problem with my wife, no erection": the writer's, not the wife's
        last = match
    if last is None:
        return False
    after = sentence_before[last.end() :]
    if _OBSERVED.match(after):
        return False  # "… said she could see a lump there that's beating": she looked at mine
    return not _FIRST_PERSON.search(_THEIR_PLACE.sub(" ", after, count=1))
