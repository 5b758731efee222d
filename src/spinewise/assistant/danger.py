"""Broad danger vocabulary: a high-recall screen for red flags, per red-flag family.

The precise rules in :mod:`.concepts`/:mod:`.triage` describe phrasings; on sets they had
never seen they caught only half to three quarters of the red flags (docs/assistant.md), always
for the same reason: a patient found words nobody had written a pattern for ("my pants were
soaked", "I can't get it up", "got rear-ended", "a known triple A"). This layer is built the
other way round. For each red-flag family it lists the *vocabulary* people use — body sites
with their slang and euphemisms, and the words that say something is wrong there — and fires
when a site word and a "something is wrong" word occur close together in one sentence:

- **bladder/bowel** (cauda equina, emergency): toilet, loo, wee, pee, piss, urine, bladder,
  bowel, poo, stool, pants, knickers, pad, nappy, number one/two … near cannot/nothing/
  trickle/strain/leak/accident/wet/soaked/soiled/didn't notice/can't tell/lost control …;
- **saddle area** (emergency): bum, bottom, buttocks, backside, groin, crotch, genitals,
  private parts, down below, nether regions, between the legs, wiping/toilet paper … with an
  altered-feeling word (numb, tingling, pins and needles, dead, frozen, like after the
  dentist, can't feel, feels like nothing, like someone else's …) attributed to that site;
- **sex** (emergency): erection, get it up, climax, orgasm, sex … with cannot/lost/numb/no
  feeling; **both legs** (emergency): both legs/sides, left and right, each leg, legs …
  with numbness, tingling, weakness, sciatica or shooting pain;
- **legs** (emergency when worse and worse or a floppy/dragging/slapping foot, urgent when
  newly weak); **trauma** (urgent; emergency with any numbness or weakness): crash, collision,
  rear-ended, hit by, came off, thrown, skidded, fell off/from/down a ladder, roof, horse,
  bike, stairs …; **aorta** (emergency): tearing/ripping pain, a pulsing lump in the belly,
  aneurysm/"triple A", sudden or severe belly and back pain, fainting or clamminess with it;
  **chest** and **crisis** words (emergency); **fever** words, injecting drugs, a red/hot/
  leaking wound after a spinal procedure (infection, urgent); **cancer** words with pain,
  unintended weight loss, night pain that nothing eases (malignancy, urgent).

A word stops counting only when the analysis of :mod:`.concepts` says so: negated ("no
problems peeing", "my bum isn't numb"), clearly past or resolved ("years ago", "went away"),
someone else's ("my toddler wet himself"), or a hypothetical or general question ("what should
I do if …", "signs of …"). When unsure, it counts: this layer is for sensitivity, and its
findings carry the same codes as the precise rules, marked "broad vocabulary" in their
evidence. Sources for the families and levels: as :mod:`.triage` (GIRFT CES 2023, NICE NG59,
IFOMPT 2020, Downie 2013, NICE NG234, NICE NG156, NICE NG225).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from spinewise.assistant.concepts import (
    APP_RECORD,
    BACK_BAD,
    BACK_FINE,
    BURNING_UP,
    CANCER_MEDICINES,
    DOSE_ASKED_BEFORE,
    DOSE_TIMING_NOT,
    DRUG_RELAPSE,
    IF_NOT_BEFORE,
    IMMUNO_WORDS,
    INJECTING,
    LIFT_ASKED_AFTER,
    LIFT_ASKED_BEFORE,
    NUMB_WORD,
    PAIN_LOGGED_NOT,
    RULED_OUT,
    SIDE_EFFECT_SAID,
    SUICIDE_EUPHEMISM,
    SUICIDE_METHOD,
    SUICIDE_WORD,
    SYNCOPE_PHRASES,
    TEMPERATURE_READING,
    TIPTOE_WEAK,
    VEHICLE_OVER,
    WALKING_LIMITED_BY_ACHE,
    WEIGHT_DROP,
    WEIGHT_LOSS_TREATMENT,
    WORST,
    AnalysedText,
    TimeKind,
    mention_context,
)

# --- vocabulary (over the normalised, typo-repaired text of concepts.analyse) -----------------
# Each entry: regular expression, how time applies (see concepts.TimeKind), and whether worry
# and questions make it hypothetical (diagnosis words such as "cancer").

# Clothes: where wetness is found ("realised my jeans were wet"), never where feeling is.
CLOTHES = (
    r"pants?|knickers|undies|underwear|boxers|briefs|trousers|jeans|leggings|shorts|joggers|skirt|"
    r"clothes"
)
# "… the other leg is fine": one-sided leg symptoms (the danger screen and the semantic net)
OTHER_SIDE_FINE = (
    r"\bother (?:leg|side|foot) (?:is |feels? )?(?:fine|ok|okay|normal|alright|good|behaving|"
    r"unaffected)\b"
)
NEG_AUX = (
    r"(?:cannot|could not|can no longer|unable to|not able to|not been able to|been unable to|"
    r"have not|has not|had not|did not|do not|does not|will not|would not|no longer|not can|"
    r"no can|not could|not able|(?:i|he|she|we|they) not|"
    r"can hardly|can barely|could hardly|could barely|can only|could only|hardly|barely|never)"
)
VOID_VERB = (
    r"(?:go|going|pee\w*|wee|weeing|piss\w*|poo\w*|urinat\w*|urine|make (?:any )?(?:urine|water|"
    r"wee|pee)|pass\w*|empty\w*|start\w*|come|"
    # not a limb symptom felt or denied: "doesn't feel weaker or numb"
    r"comes|coming|came|flow\w*|(?:feel|felt)(?! (?:any )?(?:weak|numb|tingl|dead|heavy|worse|"
    r"different|odd|strange|funny))|tell|notice\w*|know|sense|control|hold|stop|make it|"
    r"get (?:it|anything) out|finish\w*|push\w* (?:it |anything )?out|do (?:a|anything|my)|"
    r"open (?:my|the) bowels|realis\w*|realiz\w*)"
)
# Taking all one's tablets as the day's dose, not at once: "I take all of my tablets with
# breakfast"
_AS_PRESCRIBED = (
    r"(?! (?:as prescribed|on time)\b| (?:with|at|in the|every|each|before|after) (?:breakfast|"
    r"lunch|dinner|tea|food|meals?|water|night|bedtime|morning|evening|day|the same time|the "
    r"right time|my (?:breakfast|tea|meals?))\b)"
)

LEXICON: dict[str, tuple[str, TimeKind, bool]] = {
    # bladder and bowel
    "elim_site": (
        r"toilets?|loo|bathroom(?! (?:mat|floor|tiles?|scales|cabinet|door|step|sink|cupboard|"
        r"mirror|rug|shelf|light|fitter|renovation))|lavatory|wc|potty|"
        # not the Scots "wee" (small): "a wee slip", "a wee bit sore"
        r"wee(?:s|d|ing|-?wee|wees|y)?(?! (?:bit|bits|slip|while|one|ones|lad|lass|laddie|lassie|"
        r"boy|girl|man|woman|dram|drop|fall|trip|tumble|twinges?|niggles?|walk|stroll|rest|lie|"
        r"nap|cup|break|ache|thing|things|chap|scare|stiff\w*|pain|sore|dug|dog|wean|hours?|"
        r"minutes?|moment|second|jog|run|stretch\w*|bump|knock|pull|strain|tweak|spell|turn|"
        r"job|hill|bairn|yin|story|worry|reminder|question|update|favour)\b)|"
        r"pee(?:s|d|ing|-?pee)?|pipi|pi-?pi|xixi|chichi|piss\w*|urin\w*|bladder|"
        r"bowels?|stools?|faeces|feces|caca|kaka|poo(?:s|ed|ing|p|ps|ped|ping|ey|-?poo)?|"
        # not "pregnant with number 2"
        r"(?:a|the) crap|crapp(?:ed|ing)|(?<!with )number (?:one|two|1|2|ones|twos)|"
        r"(?:a |proper )?slash|"
        r"waterworks|(?:pass|passing|make|making) water|catheter\w*|" + CLOTHES + r"|nappy|nappies|"
        r"(?:needed|need|had) to go(?= *(?:$|[.,;!?]|before|in time))|"
        r"diapers?|(?:incontinence )?(?<!heat )(?<!heating )(?<!hot )(?<!ice )(?<!gel )(?<!knee )"
        r"(?<!mouse )(?<!wheat )(?<!note )pads?|"
        r"back passage|(?:bowel )?motions|bowel motion|the flow|stream|jet|(?:the )?sheets|"
        r"continen\w*",
        "current",
        False,
    ),
    "elim_dys": (
        # "have not lost control of my bladder" is a double negative: normal
        NEG_AUX + r" (?!lost |had any |noticed any )"
        # "I do not have problem to urinate", "not had any trouble peeing": a denied problem
        r"(?!(?:\S+ )?(?:have|has|had|get|got|notice|noticed|see|seen) (?:\S+ )?(?:problems?|"
        r"issues?|trouble|difficult\w*|changes?)\b)(?:[^\s,;:]+ ){0,3}?"
        + VOID_VERB
        # not pain that "does not go down either leg"
        # (nor pain that "just does not go away")
        + r"\b(?! (?:down|into|along|away|to (?:my|the|either|both|his|her))\b)|"
        # "nothing comes out", "I try and nothing"; not "nothing in my legs", "nothing now"
        # not a symptom denied: "nothing is numb"
        r"nothing(?! (?:is|was|feels?|felt|seems?|has been|lifted|heavy|new|else|wrong|to |much|serious|"
        r"getting|"
        r"makes?|made|helps?|helped|works?|worked|eases?|eased|touches|touched|shifts?|dramatic|"
        r"major|unusual|different|changed|going|scary|worrying|to report|"
        r"goes|radiat\w*|shoot\w*|travel\w*|spread\w*|down |into |at rest|when (?:i )?rest|"
        r"tear\w*|rip\w*|puls\w*|throb\w*|sharp|like that|" + NUMB_WORD + r"|tingl\w*|weak\w*|"
        r"leak\w*|red|hot|swollen|weeping|ooz\w*|happening|at all|"
        r"in |on |with |about |from |for |of |like |at the moment|now|these days|any ?more|"
        r"recent|lately|since then|going on|bad|worrying|special|i can|has changed|"
        r"like that|similar|of the sort|of that sort|at all like|odd|strange|weird|funny|"
        r"abnormal|untoward|amiss|off|out of|unusual|alarming|concerning|to worry|"
        r"significant|obvious|noticeable))|"
        # "to not feel when you're weeing"
        # (learner English: "i no feel when i go toilet for poo")
        r"(?:not|never|no longer|cannot|could not|do not|does not|did not|i no) (?:\S+ )?"
        r"feel(?:ing)? "
        r"(?:it )?(?:when|while|if) (?:\S+ ){0,3}?(?:wee\w*|pee\w*|urin\w*|stool|poo\w*|go|"
        r"going|coming|come|pass\w*)|"
        # "the urine is coming very slowly, I have to push and press my tummy"
        r"(?:have|had|need) to (?:push|press|strain)|"
        # "not be able to hold in a poo"
        r"(?:not|cannot|can not|could not|unable to|can hardly|struggl\w* to) (?:be able to )?hold "
        r"(?:in |on to |onto )?(?:a |my |the )?(?:poo|poop|bowels?|stools?|wee|pee|urine|bladder)\b|"
        # "my bladder no longer tells me when it is full"
        r"(?:no longer|not|never|cannot|can not) (?:\S+ )?tells? me (?:when|if|that)|"
        # "e dey come drop drop" (Pidgin: a few drops at a time)
        r"only (?:a )?(?:few )?(?:trickle|dribble|drops?|little|tiny|bit)|trickl\w*|dribbl\w*|"
        r"drop drop|"
        r"drip\w*|drops|(?<!scared to )(?<!afraid to )(?<!safe to )(?<!worried to )(?<!back )(?<!a )"
        r"(?<!muscle )(?<!neck )(?<!lumbar )(?<!back muscle )strain\w*"
        # not a muscle strain: "it's just a normal strain, no bladder problems"
        r"(?! *(?:[,.;!?]|$)| (?:(?:my|a|the|his|her) (?:\S+ )?)?(?:back|muscle|hamstring|neck|"
        r"shoulder))|"
        # (not a fall: "sat down hard on my bottom in the bathroom")
        r"burst\w*|struggl\w*|difficult\w*|(?<!sat down )(?<!sit down )(?<!landed )(?<!fell )hard|"
        r"trouble|problems?|issues?|"
        # not constipation: "the codeine has blocked me up"
        r"stuck|blocked(?! (?:me )?up)|retention|retain\w*|bursting|"
        r"(?<!bottle )(?<!bag )(?<!roof )(?<!tap )(?<!pipe )(?<!pen )(?<!tyre )(?<!boat )(?<!cup )"
        r"leak\w*|accidents?|"
        r"(?<!\ba )(?<!\bon )wet(?! (?:\S+ )?(?:floor|tiles?|surface|road|pavement|grass|leaves|weather|day|paint|"
        r"hair|towel|clothes|rocks?|steps?|stairs|bale|seat|bench|chair|ground|patch|wipes?|"
        r"cloth))|wetting|soaked|"
        r"soaking|sodden|damp|soil\w*|mess\w*|without (?:\S+ )?feel(?:ing)? (?:it|anything)|"
        r"without (?:me |my |it |even |her |him |them |his )?(?:noticing|knowing|"
        r"realising|realizing|feeling|warning|meaning (?:it )?to|wanting|deciding)|"
        # "not properly in control 'down below'"
        r"not (?:properly |fully |really |quite )?in control|not control\b|(?:no|lost|losing|lose|"
        r"reduced|poor|without|zero) (?:the )?(?:urge|sensation|feeling|control)|"
        r"(?:not|never|no longer) (?:\S+ )?(?:feel\w*|get\w*|hav\w*|notic\w*|sens\w*) "
        r"(?:the |any |an )?(?:urge|need|signal|sensation|feeling (?:that|when) i need)|control|"
        + NUMB_WORD
        + r"|strange|different|weird|"
        r"(?<!sleeping )(?<!slept )(?<!sleep )(?<!lying )(?<!lay )(?<!landed )funny|odd|changed|"
        r"slow\w*|weak|stopped|urgency|caught short|rush\w* to|wrong|not right|"
        r"not working|playing up|acting up|gone funny|shut\w* down|"
        r"(?:did not|not|never) (?:\S+ )?make it|no idea (?:whether|if|when)|not sure (?:whether|"
        r"if) i (?:have|had|need|finished)|signal (?:has )?gone|(?:no|lost the) signal",
        "current",
        False,
    ),
    "elim_strong": (
        # "she is leaking when she stands up" (not a wound)
        r"(?:am|is|are|been|keep|keeps|started|start) leaking\b(?! (?:from|out of|at) "
        r"(?:the |my |her |his )?(?:wound|scar|cut|site|incision|stitches|drain))|"
        # not the figure of speech "laughed so hard I nearly wet myself"
        r"incontinen\w*|(?<!nearly )(?<!almost )(?:wet|wets|wetting|peed|pee\w*|weed|weeing|pissed|pissing|soiled|"
        r"soiling|pooed|pooped|pooing|messed|shat|shit|crapped|leaked|leaking|wetted) "
        # ("pooped in my pants in sleep last night")
        r"(?:in )?(?:(?:myself|my ?self)(?! laughing| with laughter| from laughing)|himself|herself|"
        r"themselves|the bed|my bed|my (?:pants|knickers|trousers|underwear|undies|"
        r"boxers|jeans|pad|sheets))|"
        r"accidents? (?:in|on) (?:my |the )?(?:pants|bed|knickers|underwear|trousers|sheets)|"
        r"wet (?:the |a |my )?bed|(?:bed|sheets|mattress) (?:\S+ )?(?:was |were |is |are )?"
        r"(?:wet|soaked|damp)|wo(?:ke|ken|king) (?:up )?(?:in a |soaking |)wet|"
        r"(?:urinary|faecal|fecal|bowel|bladder|urine) (?:retention|incontinence|leak\w*)|"
        r"(?:bladder|bowel|waterworks|urinary|toilet) (?:problems?|issues?|trouble|changes?|"
        r"dysfunction|symptoms?|accidents?)|lost control (?:down there|of myself)|"
        r"(?:cannot|can not|could not|unable to) (?:\S+ )?(?:pee|wee|piss|urinate|poo)\b|"
        # "unable to initiate a stream despite a clear sense of need"
        r"(?:cannot|can not|could not|unable to|not able to) (?:\S+ )?(?:initiate|start|get going)"
        r" (?:a |the |my )?(?:urine |urinary )?(?:stream|flow)\b|"
        # sign-language word order: "pee cannot at all", "poo come out, me not feel it"
        r"(?:pee|wee|urine|poo) (?:\S+ )?(?:cannot|can not)\b|"
        # wet without knowing: "I only discover I needed to go when I find I have already gone"
        r"(?:find|found|discover\w*|realis\w*|realiz\w*|notice\w*) (?:that )?i (?:have|had) "
        r"already (?:gone|wet myself|been|leaked)\b",
        "current",
        False,
    ),
    # saddle area and sensation
    "saddle_site": (
        r"saddle|groin|crotch|genital\w*|privates?|private (?:parts?|area|bits)|(?:my|the) bits|"
        # "the parts of me that touch the bike seat"
        r"parts? (?:of me )?(?:that|which) (?:touch|touches|sit on|sits on) the (?:bike |saddle )?seat|"
        r"down there|down below|nether \w+|undercarriage|bum\w*|bottom(?! (?:of|step|stair|"
        r"drawer|shelf|bunk|line|half|floor|lip))|(?<!from )(?<!from my )(?<!from the )buttocks?|butt|butt cheeks?|backside|arse|ass|"
        r"yansh|nyash|bumbum|batty|botty|bahookie|jacksie|my parts|anus|anal|peri-? ?anal|back passage|rectum|rectal|perine\w*|lady (?:parts|bits|garden)|"
        r"front bottom|fanny|vag|man (?:parts|bits)|(?:parts|area|zone) intim\w*|intimate (?:parts|area|zone)|"
        r"(?:put\w*|insert\w*) (?:a |my )?tampons?|todger|knob|taint|vagina\w*|vulva|labia|clitoris|"
        r"penis|willy|scrotum|testicles?|balls|old fella|fella|junk|johnson|todger|dick|"
        r"between (?:my|the) legs|inner thighs?|"
        r"inside of (?:my )?thighs|(?:when|after|while) (?:i )?(?:wipe|wiping|wiped|clean)|"
        r"wip(?:e|es|ing|ed)|toilet (?:paper|roll|tissue)|loo roll|clean (?:myself|my (?:bum|"
        r"bottom|self))|where (?:i|you) sit|below (?:the|my) (?:waist|hips|belly ?button)|"
        r"from the waist down|seat area|sit(?:ting)? bones|tail ?bone|coccyx",
        "current",
        False,
    ),
    "saddle_strong": (
        r"saddle (?:an(?:a)?esthesia|numbness)|(?:like|as if|as though) (?:i am |i was |i\w* )?"
        r"sitting on (?:a |an )?(?:cotton wool|cushion|nothing|air|golf ball|ball|balloon|"
        r"pillow|sponge|something)",
        "current",
        False,
    ),
    "sensation": (
        NUMB_WORD + r"|tingl\w*|pins and needles|pins ?n ?needles|prickl\w*|buzz\w*|fizz\w*|"
        # (not "it was only asleep because I sat on it")
        r"dead|(?<!only )(?<!just )asleep|frozen|froze|anaesthe\w*|anesthe\w*|par(?:a|ae|e)sthe\w*|"
        r"parasthe\w*|"
        r"hypoaesthe\w*|hypoesthe\w*|dysaesthe\w*|muted|"
        # learner English: "my private part is not having feeling at all"
        r"(?:not|no) having (?:any )?(?:\S+ )?(?:feeling|sensation)|novocaine|lidocaine|"
        r"lignocaine|local an(?:a)?esthetic|(?:like )?after (?:the|a) "
        # "the water on my thighs felt like it was going on through a rubber glove"
        r"dentist|cotton wool|rubbery|(?:rubber )?gloves?|through (?:a |some )?(?:layer|sheet|"
        r"film|plastic|cling ?film)|cardboard|(?:no|lost|lose|losing|loss of|reduced|less|"
        r"little|altered|strange|weird|funny|odd|different|changed|without|zero|hardly any|"
        r"not much) (?:\S+ )?(?:feeling|sensation)s?|"
        # "the place between my legs is not feeling anything"
        r"(?:is|are|am|was) not feeling (?:anything|nothing|a thing)|"
        r"(?:cannot|could not|can not|do not|does not|did not|not|unable to|hardly|barely|"
        r"can hardly|can barely|no longer|can no longer) (?:really |properly |even |quite )?"
        r"(?:feel|sense)(?! (?:like|well|good|better|fine|sure|ok|okay|right|safe|happy|up|"
        r"myself|comfortable|able|confident|numb|tingl|weak|pain|sore|sick|ill|unwell|pins|"
        r"any (?!thing)|much pain|too bad|so bad|bad|great|worse|stiff))|feel(?:s|ing)? (?:like )?nothing|"
        r"shut\w* down|switched off|feel(?:s|ing)? (?:numb|dead|weird|strange|odd|funny|"
        r"different|wrong|off|cold|"
        r"like rubber|like wood)|not (?:mine|my own)|(?:like|as if|as though) (?:it is )?not (?:part of )?"
        r"(?:me|my (?:own )?body)|(?:i|me) no (?:can )?(?:feel|sense)|(?:someone|somebody) else|belongs? to "
        r"(?:someone|somebody|something)",
        "current",
        False,
    ),
    "limb_site": (
        # not the idiom "on my feet all day"
        r"legs?|foot|(?<!on my )(?<!on your )(?<!off my )(?<!on his )(?<!on her )feet|toes?|calf|"
        r"calves|shins?|knees?|ankles?|thighs?|heels?|hips?|hallux|"
        r"hamstrings?|arms?|hands?|fingers?|face|lips?|shoulders?|elbows?|"
        # a nerve root's muscles named in a letter: "mild L5 weakness"
        r"(?:l[2-5]|s1)(?= (?:\S+ )?(?:weak\w*|numb\w*|myotom\w*|dermatom\w*|distribution))",
        "current",
        False,
    ),
    "both_site": (
        r"both (?:of )?(?:my |the |his |her )?(?:legs?|sides(?! of (?:my |the |his |her )?(?:lower |"
        r"upper |low )?(?:back|spine))|feet|thighs|calves|buttocks|hips|"
        # not the idiom "on my feet all day"
        r"knees|shins|ankles|heels|glutes|hamstrings|limbs|lower limbs)|legs|"
        # "the pain in my right leg has descended into the left also"
        r"(?:into|to|down|in) the (?:left|right|other)(?: one| leg| side| limb)? (?:also|too|as well)|"
        r"(?<!on my )(?<!on your )(?<!off my )(?<!on his )(?<!on her )feet|thighs|calves|"
        r"shins|(?:left|right) (?:and|&|\+) (?:the )?(?:left|right)(?: \w+)?|"
        # "just the left leg … but tonight the right one has started too"
        r"(?:the )?(?:right|left) (?:one|leg) (?:has |is )?(?:started|begun|joined in|gone)"
        r"(?: \w+)? (?:too|as well|also)|"
        # "the right leg has decided to join in … both at once now", "double sciatica"
        r"(?:the )?(?:right|left|other)(?: (?:one|leg|side))? (?:has |is )?(?:\S+ (?:to )?)?"
        r"join(?:ed|ing|s)? "
        r"in|both (?:legs )?at once|at once in both|double sciatica|"
        # "… and since this morning the left one has started the same burning pain"
        r"(?:the )?(?:right|left|other) (?:one|leg|side) (?:has |is |have )?(?:now )?(?:started|"
        r"begun|got|developed|doing) (?:\S+ )?(?:the )?same|(?:the )?(?:right|left|other) (?:one|leg|side) "
        r"(?:as well|too)|each (?:leg|foot|"
        r"side)|two legs|either leg|one leg (?:and|then) the other|"
        r"(?:both|two) sides(?! of (?:my |the |his |her )?(?:lower |upper |low )?(?:back|spine))|"
        r"legs both|alternat\w* (?:between )?(?:legs|sides)|(?:the )?other (?:leg|side|foot) "
        r"(?:too|as well|now|also)|(?:into|down|in|on) both(?! (?:of )?(?:my |the )?(?:hands|arms|wrists|elbows|shoulders|"
        r"eyes|ears|breasts|sides of (?:my |the )?(?:neck|head)))|both (?:hurt|are|go|have|feel|"
        r"ache|tingle)|both of them",
        "current",
        False,
    ),
    "weakness": (
        r"weak\w*|feebl\w*|giv\w* way|gave way|give out|gave out|buckl\w*|jelly|wobbly|paralys\w*|"
        # Pidgin "my right foot no strong again" (read as "no strong anymore")
        r"(?:no|not) (?:strong|stronger) (?:anymore|any more)|"
        r"(?:made of|like) wet sand|"
        r"paralyz\w*|collaps\w*|(?:no|lost|losing|lose|loss of) (?:\S+ )?(?:strength|power)|"
        + TIPTOE_WEAK
        + r"|(?:does not|do not|has not|have not|did not|no longer) (?:\S+ ){0,2}?(?:have|has|"
        r"got) (?:the |any |much |enough )?(?:strength|power|push|oomph)|"
        r"(?:will not|would not|does not|do not|did not) (?:\S+ )?(?:let|allow) me (?:to )?"
        r"(?:\S+ )?(?:push off|push|stand|walk|lift|step|go up|rise|climb|take (?:my )?weight)|"
        r"(?:cannot|could not|can not|unable to|not able to|can hardly|can barely|struggl\w* to|"
        r"hard to) (?:\S+ )?(?:push off|spring|step up|rise)|"
        r"(?:will not|would not|does not|do not|cannot|could not|too weak to) (?:\S+ ){0,2}?"
        r"(?:push|lift|take|carry|get|hold) (?:me|my weight|myself|my body) (?:up|on)|"
        # "I stand on the right leg and it not hold me"
        r"(?:it|leg|knee) (?:did not|does not|do not|not|would not|will not|could not) "
        r"(?:hold|support|take) (?:me|my weight)|"
        r"(?:pull|drag|haul|heave|hoist) (?:my ?self|my (?:\S+ )?legs?) up (?:the )?(?:stairs|"
        r"steps|kerb|curb)|"
        r"(?:cannot|could not|can not|unable to|not able to|can hardly|can barely|struggl\w* "
        r"to|hard to|difficult\w* to|trouble) (?:\S+ )?(?:stand|walk|move|lift|raise|hold|"
        r"support|bear weight|put weight|climb|control|get up)"
        + WALKING_LIMITED_BY_ACHE
        + r"|(?:will not|would not|do not|"
        r"does not|did not) (?:\S+ )?(?:work|move|hold me|hold my weight|obey|respond|listen|"
        r"do what i (?:tell|want|ask)|cooperate|behave|go where)",
        "current",
        False,
    ),
    "radicular": (
        r"sciatica|sciatic|shoot\w*|radiat\w*|electric\w*|burning|nerve pain|stabbing|"
        # "both limbs now burn from buttock to ankle"
        r"burns?(?= (?:\S+ )?from )|from (?:the |my )?(?:buttocks?|bum|hips?|thighs?) (?:down )?"
        r"to (?:the |my )?(?:ankles?|feet|foot|toes?|knees?|heels?|calf|calves)|"
        # (no trailing space: the whole-word guard after each pattern needs a word end)
        r"(?:pain\w*|ach\w*|hurt\w*) (?:(?!(?:nothing|not|never|no|but)\b)\S+ ){0,3}?"
        r"(?:down|into|through|along)|"
        # "(it does) not go to the leg": radiating pain, so that its negation is read
        r"(?:go|goes|going|went|travel\w*|spread\w*) (?:down )?(?:to|into) (?:the |my )?(?:legs?|"
        r"foot|feet|buttocks?|thighs?)|"
        # "pain was only down my left leg but since last night it's going down both legs"
        r"(?:it|its|it is|it has|now it|the pain) (?:(?!not\b|never\b)\S+ )?(?:going|goes|went|"
        r"gone|shooting|"
        r"spreading|spread|travelling|traveling|radiating|moving|moved)(?= (?:down|into|to) )",
        "current",
        False,
    ),
    "exertion": (
        # a named bout of exercise or a long day on the feet ("after the long run", "after hill
        # walking", "after leg day"); not "since the other day"
        r"(?:after|from|following|during) (?:the |my |a |an |long |all |that |this |some |"
        r"today |yesterday )?(?:\S+ )?(?:gym|run|runs|running|jog\w*|walk|walks|walking|hike|"
        r"hikes|hiking|ramble|training|workout|work ?out|exercis\w*|football|squats|deadlifts|"
        r"cycl\w*|bike ride|ride|spin|class|leg day|marathon|half marathon|10k|5k|parkrun|"
        r"match|game|dancing|dance|shopping|sport|swim\w*|climb\w*|tennis|netball|hockey|"
        r"rugby|squash|yoga|pilates|session|shift|trek\w*|ski\w*)|"
        r"(?:after|from) (?:a |my |the )?(?:long|busy|hard) day|leg day|"
        r"(?:after|from) (?:\S+ )?(?:standing|being on my feet) (?:all day|for hours|at work)|"
        # "the plank challenge nearly killed me, legs like jelly after."
        r"(?:plank|squat|lunge|burpee|workout|exercise|challenge|class|session|run|hike|gym)\w* "
        r"(?:\S+ ){0,12}?after(?:wards)?(?= *(?:[.,;!?]|$))",
        "current",
        False,
    ),
    "foot_drop": (
        r"(?:foot|feet|toes?|ankle) (?:\S+ ){0,3}?(?:drag\w*|slap\w*|flop\w*|floppy|catch\w*|"
        r"scuff\w*|clip\w*|hang\w*|dropp\w*|drops|slips?|limp|flap\w*)|"
        r"(?:drag\w*|scuff\w*|slap\w*|flop\w*|flap\w*|catch\w*|clip\w*|stub\w*|trip\w* on) "
        r"(?:\S+ ){0,2}?(?:foot|feet|toes?|leg)|"
        r"(?:foot|toes?|ankle) (?:\S+ ){0,2}?(?:will not|would not|does not|do not|cannot|"
        r"can not|could not|is not) (?:\S+ )?(?:lift|come up|go up|raise|bend|point|move|"
        r"work|flex|pull up|respond)|"
        r"(?:cannot|could not|can not|unable to|not able to|can no longer|can hardly|"
        r"can barely|hard to|difficult\w* to|trouble|struggl\w* to) (?:\S+ ){0,2}?(?:lift|raise|"
        r"pull up|bend up|point|flex|move|wiggle) (?:\S+ ){0,5}?(?:foot|toes|ankle|big toe)|"
        r"(?:cannot|could not|can not|unable to|not able to|can no longer|can hardly|"
        r"can barely|struggl\w* to|hard to|difficult\w* to|trouble) (?:\S+ )?(?:stand\w*|"
        r"walk\w*|balanc\w*|rock\w*|go\w*|get\w*) (?:back )?on (?:my |the )?(?:\S+ )?heels?|"
        r"(?:foot|feet|shoe|sole) (?:\S+ ){0,5}?(?:slap|flap|smack|slam)\w*|"
        # "Dad's leg is getting worse by the day, he's dragging it now"
        r"(?:leg|foot) (?:\S+ ){0,10}?(?:dragging|drags|dragged) it\b|"
        r"(?:trip\w*|stumbl\w*) (?:over|on) "
        r"(?:my )?(?:own )?(?:(?:left|right) )?(?:foot|feet|toes)|foot ?drop|drop ?foot|"
        r"lift my (?:knee|leg) "
        r"(?:up )?(?:high|higher|really high)",
        "current",
        False,
    ),
    "progression": (
        # "worse when I wear my belt" is what aggravates it, not a change over time
        r"worse\w*(?! than (?:my |the )?(?:back|it used to be in my back)| (?:when|if|with|after|during|while|whenever|on|in the (?:morning|evening)|"
        r"at night|first thing))|worsen\w*|spread\w*|crept|creep\w*|mov(?:ed|ing) up|travel\w*|"
        # "r leg weaker than yesterday"
        r"(?:(?<=weaker )|(?<=worse )|(?<=number ))than (?:yesterday|last (?:night|week)|this "
        r"morning|earlier|before|it was)\b|"
        # "a bit weak, bit more than yesterday, and yesterday was more than the day before"
        r"more than (?:yesterday|the day before|last (?:night|week)|this morning)\b|"
        r"more and more|weaker|(?<!a )(?<!the )(?<!any )(?<!phone )number(?! of)|day by day|"
        r"each day|every day|by the (?:hour|day)|the whole (?:leg|foot|thigh|calf|side)|"
        # "Leg's weaker every hour", "up past my knee"
        r"every (?:single )?hour|each hour|hour by hour|by the minute|(?:up|now) past (?:my |the )?"
        r"(?:knee|ankle|calf|shin|thigh|hip)|"
        r"further|higher|increas\w*|progress\w*|deteriorat\w*|getting less|less and less|"
        r"gone up|going up|now (?:up|it|also|even|i|my|reaches|reaching|to)|"
        r"(?:was|were) (?:\S+ )?(?:a bit|slightly|a little|only|just)|"
        # the edge of a numb or tingling patch moving up the leg: "Monday just my toe, today it
        # is up to my knee", "this morning it is in my thigh too"
        # "a small patch 2 days ago, now it's the whole outside of my leg"
        r"(?:was|were) (?:a |only a |just a )?(?:small|tiny|little) (?:patch|bit|spot|area)|"
        r"the whole (?:outside|front|back|side|top|inside) of (?:my |the )?(?:leg|shin|calf|thigh|"
        r"foot)|"
        r"(?:up|spread\w*|moved|gone|got|crept|reach\w*) (?:up )?to (?:my |the )?(?:knee|thigh|"
        r"hip|waist|groin|calf|shin|ankle|buttock|bum)s?|"
        r"in (?:my |the )?(?:knee|thigh|hip|calf|shin|ankle|buttock)s? (?:too|as well|also|now)",
        "current",
        False,
    ),
    # trauma
    "trauma_major": (
        r"(?:car|van|bus|lorry|truck|taxi|motorbike|motorcycle|moped|scooter|bike|bicycle|"
        r"cycling|quad|tractor|horse|pony|road|traffic|train|tram|ski|skiing|snowboard\w*|"
        r"riding|rugby|work|works|building site|industrial|motorway|highway|freeway) "
        r"(?:[^\s.!?]+ ){0,2}?(?:crash\w*|accident|collision|smash|pile[- ]?up|wreck|incident|"
        r"fall|fell|spill|tumble|injury)|rta|rtc|"
        # "crashed out on the sofa" is falling asleep
        r"(?<!before i )(?<!until i )(?<!till i )(?<!app )(?<!app keeps )(?<!app keep )"
        r"(?<!it keeps )(?<!then it )(?<!and it )(?<!phone )(?<!laptop )(?<!computer )(?<!website )"
        r"(?<!page )(?<!system )(?<!diary )crash(?:ed|ing|es)?(?! out| course| for (?:\S+ )?(?:days?|hours?|a day|a week)| and burn)\b|collision|collided|smash\w* (?:into|up|my car)|pile[- ]?up|"
        r"rear[- ]?ended|t[- ]?boned|written off(?! as)|airbags?|whiplash|"
        r"met with (?:an |a )?(?:\S+ )?accident|"
        # "took a knee to the lower back in a football match"
        r"(?:took|take|got|had) a (?:knee|boot|kick|hit|knock|blow|whack|bang|elbow|shoulder) "
        r"(?:to|in|into) (?:the|my) (?:lower |upper |middle of (?:the |my )?)?back|"
        r"(?:kneed|kicked|elbowed|speared|hit) (?:hard )?in the (?:lower |upper )?back|"
        # "got double-barrelled by my mare", "the cow kicked me"
        r"(?:kicked|double[- ]?barrel\w*|booted|barged|trampled|stood on|stamped on|butted|rammed|"
        r"gored|charged|flattened) (?:\S+ ){0,2}?by (?:my |the |a |her |his |our |one of the )?"
        r"(?:\S+ )?(?:horse|mare|gelding|pony|stallion|colt|filly|cow|heifer|bullock|bull|ram|"
        r"donkey|mule|cattle)\b|(?:horse|mare|gelding|pony|stallion|cow|heifer|bull|ram) (?:\S+ )?"
        r"(?:kicked|double[- ]?barrel\w*|trampled|barged|rammed|charged|flattened) (?:me|him|her)\b|"
        # "got clattered in a hurling match, fella's knee straight into my lower back"
        r"clatter\w*|(?:knee|boot|elbow|shoulder|head|helmet)s? (?:\S+ ){0,2}?(?:into|in|to) "
        r"(?:my|the) (?:lower |upper |middle of (?:the |my )?)?back|"
        r"(?:took|take|got) a (?:\S+ )?(?:hit|knock|tackle|bang|smash) (?:in|at|playing|during) "
        r"(?:\S+ ){0,2}?(?:rugby|football|footy|hockey|hurling|match|game|training)|(?:car|van|bus|bike|"
        r"motorbike|taxi|tractor|lorry|truck|pickup|quad) (?:was |got )?"
        r"(?:hit|struck|rammed|smashed|written off|totalled|shunted|rear[- ]?ended)|"
        # "two lads landed on me at once", "a 2.5m drop", "you came off hard"
        r"(?<!nearly )(?<!almost )(?:landed|piled|jumped) on (?:top of )?me\b|"
        # "forklift clipped me", "horse fell on me"
        r"(?:car|van|bus|lorry|truck|forklift|vehicle|motorbike|cyclist|tractor|reversing \w+) "
        r"(?:\S+ )?(?:hit|clipped|struck|knocked|ran over|reversed into|pinned) (?:me|him|her)\b|"
        r"(?<!nearly )(?<!almost )(?:horse|cow|bull|tree|ladder|wall|pallet|load|shelf|beam|"
        r"bale) (?:\S+ )?fell on (?:top of )?(?:me|him|her)\b|\d+(?:\.\d+)? ?(?:m|metres?|meters?|"
        r"foot|feet|ft) (?:drop|fall)\b|(?:came|come) off (?:hard|badly|at speed)\b|"
        r"(?:hit|struck|knocked (?:down|over|off)|run over|clipped|ploughed into) (?:\S+ ){0,3}?"
        r"(?:by|off) (?:a |the |an )?(?:\S+ )?(?:car|van|bus|lorry|truck|vehicle|motorbike|"
        r"bike|cyclist|taxi|train|horse|cow|bull)|run over|knocked off|"
        r"(?:fell|fallen|fall\w*|came|come|tumbl\w*|thrown|flung|slipp?ed|jumped|dropped|"
        r"bucked|chucked|came crashing|crashed|went (?:flying|tumbling|head ?first|crashing|"
        r"over)|tumbled|rolled|bounced) (?:\S+ ){0,3}?"
        r"(?:off|from|down|through|out of|out) (?:a |the |my |our |his |her |some )?(?:\S+ ){0,3}?"
        r"(?:ladders?|roof|"
        r"scaffold\w*|stairs?|staircase|flight|steps|landing|banister|tree|wall|balcony|"
        r"window|loft|attic|cliff|"
        r"heights?|bunk|trampoline|horse|pony|bike|motorbike|motorcycle|quad|stage|platform|"
        r"lorry|truck|trailer|building|rocks?|hayloft|shed|step ?ladder|chair lift|climbing wall|"
        r"zip ?wire|bridge|ramp|skateboard|scooter|surfboard|board|"
        # a warehouse: "fell off the top of the pallet stack"
        r"(?:pallet )?stack|racking|mezzanine)|"
        r"(?:went|fell|ended up|landed|tumbled|slid|bounced|rolled|came|slipped|flew) "
        r"(?:\S+ ){0,4}?(?:to|at) the (?:very )?bottom of (?:the |a |our |my )?(?:whole )?"
        r"(?:stairs|steps|staircase|flight|ladder|slope|ravine|embankment|bank)|"
        r"(?:went|drove|ran|crashed|ploughed|smashed|slammed|reversed) into (?:the (?:back|side) "
        r"of )?(?:me|my car|us|our car)|"
        + VEHICLE_OVER
        + r"|over the (?:handle ?bars|bonnet|top)|(?:skid\w*|flipped|rolled|spun|aquaplaned) "
        r"(?:\S+ ){0,3}?(?:car|van|bike|motorbike|ice|road|off|over)|"
        r"(?:fell|fall\w*|dropped|landed) (?:\S+ ){0,4}?(?:\d+(?:\.\d+)?|one|two|three|four|five|"
        r"six|ten|several|a few) ?(?:m|meters?|metres?|feet|ft|foot|storeys?|stories|floors)\b|"
        r"landed (?:\S+ )?(?:hard |heavily |flat |badly |awkwardly )?on (?:my )?(?:lower |upper )?"
        r"(?:back|head|"
        r"neck|tailbone|coccyx|spine)|tackl\w*|scrum|assault\w*|attacked|(?<!has )(?<!have )(?<!pain )beaten|beat me|"
        r"punched|(?<!they )(?<!it )(?<!tablets )(?<!meds )(?<!pills )kicked (?!off\b)(?:\S+ ){0,3}?(?:by|in|on)|trampled|diving|dived|head ?first|"
        r"bailed|wiped out|wipe ?out|high[- ]speed|impact|hit (?:my|the) (?:back|spine|head) "
        r"(?:hard|on)|thrown|ejected",
        "event",
        False,
    ),
    "trauma_minor": (
        r"fell(?! asleep| in love| ill| pregnant| for)|falls?\b|fallen|slipp?\w*|tripp?\w*|stepped (?:down|off|awkward\w*|badly|wrong)|awkward\w*|rolled my ankle|"
        r"jumped (?:down|off)|went over on|sat down (?:\S+ ){0,3}?(?:too )?hard|slid off (?:the "
        r"edge of )?(?:the |her |his |my )?(?:bed|chair|sofa)|"
        r"stumbl\w*|missed (?:a|the) (?:\S+ )?(?:step|stair)|went over|went flying|lost my (?:balance|"
        r"footing)|landed|sat down (?:\S+ ){0,2}?(?:hard|heavily|heavy|awkwardly)|missed (?:the |my )?"
        r"(?:chair|seat|bed|edge)|bumped|knocked|"
        r"twist\w*|jarr\w*|jolt\w*|" + LIFT_ASKED_BEFORE + r"lift\w*" + LIFT_ASKED_AFTER + r"|"
        r"bent|bend\w*|cough\w*|sneez\w*|reach\w*|"
        r"pick\w* (?:\S+ ){0,2}?up|tying|tied|turned over|rolled over|"
        r"(?:crack|snap|pop|crunch|click)\w*|(?:felt|heard) (?:\S+ ){0,2}?(?:go|give|gave|went|"
        r"crack|snap|pop|crunch|tear|rip)\w*|something (?:\S+ )?(?:went|gave|go|give)",
        "event",
        False,
    ),
    "minimiser": (
        r"(?:small|minor|little|slight|gentle|tiny|low|soft|silly|daft|bit of a) "
        r"(?:\S+ ){0,2}?$",
        "current",
        False,
    ),
    # aorta, chest, crisis
    "tearing": (
        # not crying: "tearful", "in tears", "teary"
        r"tear(?!ful|s\b|y\b|ed up|ing up)\w*|ripp?\w*|torn|tore|shred\w*|split\w* (?:in two|apart|"
        r"open)|burst\w*",
        "current",
        False,
    ),
    "pulsing": (
        # "a ting a pump inna mi stomach, mi can even see it a jump"
        r"puls\w*|throb\w*|beat\w*|heart ?beat|pound\w*|thump\w*|ticking|pump\w*|"
        r"see it (?:a )?jump\w*|(?:in time|timed) "
        r"with (?:my )?(?:heart ?beat|heart|pulse)",
        "current",
        False,
    ),
    "abdomen": (
        r"stomach|tummy|belly|abdom\w*|navel|belly ?button|tum|gut|midriff|front",
        "current",
        False,
    ),
    "lump": (r"lump\w*|mass|swelling|bulge|bump", "current", False),
    "aneurysm": (
        r"(?:aneurysm\w*|aneurism\w*|\baaa\b|triple a|aort\w*|dissection)" + RULED_OUT,
        "history",
        True,
    ),
    "collapse": (
        r"faint\w*|pass(?:ed|ing|es)? out|collaps\w*(?! into (?:bed|the bed|the sofa|the couch|"
        r"my bed|a chair|the chair))|black(?:ed|ing)? out|keel\w* over|" + SYNCOPE_PHRASES + r"|"
        r"(?:nearly|almost) (?:fell|fall|went|dropped|lost it)|dizzy|dizziness|light ?headed|"
        r"clammy|grey|gray|ashen|pale|white as a sheet|cold sweat|sweaty|sweating|woozy|"
        r"going to pass out",
        "current",
        False,
    ),
    "sudden": (
        r"sudden\w*|all at once|out of (?:nowhere|the blue)|came on (?:fast|quickly|at once)|"
        r"abrupt\w*|without warning|just now|instantly|in an instant|like a (?:bolt|knife|"
        r"gunshot)|like nothing (?:before|i have ever)|worst (?:pain )?(?:ever|of my life)|"
        r"never (?:felt|had) (?:\S+ )?(?:like|anything like) (?:it|this|that)",
        "current",
        False,
    ),
    "severe": (
        r"severe\w*|terrible|excruciating|agony|agonis\w*|agoniz\w*|" + WORST + r"|unbearable|"
        r"extreme\w*|intense\w*|very bad|awful|horrible|horrendous|10/10|10 out of 10|"
        r"screaming|crippl\w*|blinding|killing me|can not breathe|cannot bear|"
        r"like nothing before|sharp",
        "current",
        False,
    ),
    "chest": (
        # not furniture: "shifting a chest of drawers"
        r"(?<!musculoskeletal )chest(?! of drawers| freezer)|breast ?bone|sternum|"
        # "my heart region burns", "heart place hurt"; a learner's "breast" for chest when the
        # pain goes to the arm or jaw ("tightness in the breast … goes to the left arm")
        r"heart (?:region|area|place|part)|breast\b(?=.{0,60}\b(?:left arm|into (?:my |the )?arm|"
        r"jaw))|"
        # the chest wall named by what is above it: "sharp stabby pain under my boob on the left"
        r"(?:under|underneath|beneath|below) (?:my |her |the )?(?:left |right )?(?:boob|breast|tit)s?\b|"
        r"(?<!nearly had a )(?<!almost had a )(?<!gave me a )(?<!give me a )(?<!near )"
        r"(?<!thought i was having a )(?<!thought it was a )heart attack|(?:left )?arm and (?:my )?jaw|"
        r"(?:into|down|up) (?:my )?(?:left )?(?:arm|jaw)",
        "current",
        False,
    ),
    "chest_quality": (
        r"(?:has not|have not|did not|will not|does not) (?:\S+ )?(?:stopped|stop|eased|gone|go away)|"
        r"pain\w*|tight\w*|band|pressure|heav\w*|squeez\w*|crush\w*|weight|elephant|vi[cs]e|"
        r"clamp\w*|ach\w*|hurt\w*|burn\w*|sitting on|strapped|bursting|gripp\w*|discomfort|"
        # "my chest feels like someone sat on it"
        r"(?:someone|somebody|something|an? \w+) (?:sat|sitting|is sitting|standing|stood) on|"
        # sore on exertion: "chest sore when walk up hill" (not a chest sore from coughing)
        r"sore\w*(?= (?:\S+ ){0,2}?(?:when|on|with|while|going|if) (?:i )?(?:walk\w*|climb\w*|"
        r"go\w* up|exercis\w*|exert\w*|run\w*|stairs|hills?|up hill))",
        "current",
        False,
    ),
    "crisis": (
        SUICIDE_WORD
        + r"|"
        + SUICIDE_METHOD
        + r"|kill (?:my ?self|him ?self|her ?self|them ?selves)|"
        # not the exasperation "honestly kill me now lol", nor someone else's threat: "my boss
        # is going to kill me if I take another sick day"
        r"(?<!going to )(?<!gonna )(?<!finna )(?<!want )(?<!is )kill me"
        r"(?! now\W{0,3}(?:lol|haha|lmao|jk)\b)|"
        r"kill(?:ing|ed) (?:my ?self|him ?self|her ?self|them ?selves)|"
        r"wish(?:es|ed)? (?:she|he|they) (?:was|were) dead|top(?:ping|ped)? (?:my|him|her)self|do(?:ing)? (?:my|him|her)self "
        r"in|off (?:my|him|her)self|unalive\w*|end (?:my (?:own )?life|it all|things|it)|"
        r"ended (?:it all|my life|things)|"
        # "had enough. got something put by in my pad for later"; "the boys can run the farm
        # without me. I've been up the barn looking at the beams"
        r"(?:had enough|i am done|cannot do this (?:\S+ )?any ?more)(?:.{0,120}?)(?:put (?:by|away|"
        r"aside)|saved up|stashed)\b|(?:can|could|will|would|manage|cope) (?:\S+ ){0,4}?without "
        r"me\b.{0,200}?\b(?:beams|rafters|rope|noose)\b|" + SUICIDE_EUPHEMISM + r"|"
        r"ending (?:it|things|my life)|take my (?:own )?life|better off (?:dead|without me)|"
        r"(?:no|not see (?:a|any)|cannot see (?:a|any)|do not see (?:a|any)) "
        r"(?:way (?:out|forward|through)|point (?:in|to|of) (?:living|life|going on|"
        r"carrying on|being here|anything|it all)|reason to (?:live|go on|carry on))|"
        r"(?:cannot|can not|do not want to|not want to) (?:go on|carry on|do this any ?more|"
        r"live (?:like this|any ?more)|be here any ?more|take (?:it|this) any ?more)|"
        r"wants?(?:ed)? to die|wish(?:ing)? i (?:was|were) (?:dead|gone)|rather be dead|"
        r"(?:do not|not) want to wake up|"
        # passive wishes and plans in everyday words: "thought about not being around anymore",
        # "the thought of just not waking up", "all my tablets lined up … take them tonight"
        r"not being (?:around|here|alive)|not waking up|never waking up|"
        r"(?:tablets|pills|meds|painkillers) (?:\S+ )?(?:lined up|ready|counted out|in a pile)|"
        # "I've counted the tablets out on the kitchen table"
        # (not "I counted my tablets out for the week into the pill box")
        r"(?:counted|lined|laid) (?:all )?(?:the )?(?:tablets|pills|painkillers) (?:out|up)\b"
        r"(?! (?:for the week|into|in (?:the|my) (?:pill|dosette|weekly)))|"
        r"going to take (?:them|it|the lot|all of them)(?: all)? (?:tonight|today|now|later|"
        r"this weekend)|"
        r"(?:not|never) (?:to )?wake up|disappear for ever|overdos\w*|(?:take|taking|took) all (?:my|the|of my) "
        r"(?:\S+ )?(?:tablets|pills)"
        + _AS_PRESCRIBED
        + r"|self[- ]?harm\w*|(?:hurt|harm)(?:ing)? myself|cut(?:ting)? myself|"
        r"nothing (?:left )?to live for|give up on (?:life|everything)|"
        r"everyone would be better|(?:nobody|no one|no-one) (?:would|will|is going to|gonna) "
        r"(?:miss|care|notice)|(?:a |the |only |just )?burden (?:to|on|for) (?:everyone|everybody|"
        r"my family|my (?:wife|husband|partner|kids|children))|jump (?:off|in front)|"
        # not "my back is killing me … I just want it to stop" (the pain)
        r"(?:it all|everything|things|life) to (?:end|stop|be over)|it to (?:end|be over)|"
        r"stockpil\w*|"
        r"(?:sav\w*|hoard\w*|stash\w*|collect\w*|kept|keeping) (?:up )?(?:all )?(?:of )?(?:my |the )?"
        r"(?:\S+ )?(?:tablets|pills|meds|medicines?|medication|painkillers|tramadol|codeine|"
        r"co-?codamol|paracetamol|oxycodone|morphine|pregabalin|gabapentin|amitriptyline|"
        r"diazepam|sleeping pills)|"
        + DOSE_ASKED_BEFORE
        + r"tak\w* (?:them|these|those|it) all"
        + DOSE_TIMING_NOT
        + r"|take the (?:whole )?lot|"
        r"swallow (?:them |it )?all|"
        # "I don decide to end everything tonight", "I don gather all my tablets"
        r"end everything|gather\w* (?:up )?all (?:of )?(?:my |the )?(?:tablets|pills|meds)|"
        # "looking up how many of my pills it would take"
        r"how many (?:\S+ ){0,3}?(?:pills|tablets|meds|painkillers|tramadol|codeine|"
        r"paracetamol|co-?codamol|oxycodone|morphine|pregabalin|gabapentin|amitriptyline|"
        r"diazepam|sleeping pills) (?:\S+ ){0,2}?(?:would|will|does|to) (?:it |they |you |i )?(?:take|"
        r"kill)|"
        # "searched how many paracetamol it takes"
        r"how many (?:\S+ ){0,3}?(?:pills|tablets|meds|painkillers|tramadol|codeine|paracetamol|"
        r"co-?codamol|oxycodone|morphine|pregabalin|gabapentin|amitriptyline|diazepam|sleeping pills)"
        r" it (?:takes|would take|will take)\b(?! to (?:work|kick in|help|start|wear off))|"
        # "honestly whats the point. been thinking about how id do it"
        r"what is the point(?= *(?:[.!?]|$))|(?:thinking|thought|think) about how (?:i would|i could|"
        r"id|to|i will|i am going to|i might) (?:do it|end it|go)|"
        # "I am thinking how to do it. Maybe the bridge near my house"
        r"(?:thinking|thought|think|planning|planned|decided) (?:about )?(?:how|where|when) (?:to|i "
        r"(?:would|will|could|am going to)|id) (?:do it|end it|end things)|"
        r"what is the point (?:of |in )?(?:going on|carrying on|living|life|being here|"
        r"anything|it all|trying)|not be around|no future|"
        r"(?:not|do not|did not) (?:plan|expect|intend|want|going) to be (?:around|here)|"
        r"(?:easier|better) (?:to die|off dead|dead)(?: than)?|(?:easier|better|simpler) (?:for (?:everyone|everybody|them|all) )?(?:\S+ ){0,2}?(?:to not be|not to be|if i (?:was|were) not|if i (?:was|were)(?:n not)?) (?:alive|here|around|dead|gone)|not (?:be|being) alive|(?:rather|prefer to) not (?:be|exist)|"
        r"be around (?:much|for much) longer|(?:goodbye|farewell) (?:letters?|notes?)|"
        # letters to the family, or just "the letters": not "letters to my MP about the bins"
        r"(?:written|wrote|writing) (?:\S+ )?(?:goodbye )?(?:letters?|notes)\b(?! (?:to|for|about) "
        r"(?:my |the |a |an )?(?:mp|council|landlord|bank|school|insurance|work|boss|gp|doctor|"
        r"hospital|employer|newspaper|editor|complaint))(?! (?:for|from) (?:work|school|the "
        r"(?!kids|children|family|weans|girls|boys|grandchildren)))|"
        r"affairs in order|say(?:ing)? goodbye|"
        # leaving things in order: "letters are written, dog going to my sister", "will not need
        # this app much longer", "not going to bother with tomorrow"
        r"letters? (?:are|is|have been) (?:all )?(?:written|done)|"
        r"(?:dog|cat|pets?|kids?) (?:is |are )?going to (?:my|live with)|"
        r"giv\w* away (?:\S+ )?(?:things|stuff|belongings|possessions|dog|cat)|"
        # (not "stopped the naproxen, I do not need it anymore")
        r"(?:will not|not going to) need (?:this app|the app|this) (?:much )?(?:longer|any ?more)|"
        # a near date after which nothing is needed, a last message: "I won't be needing the app
        # after tonight", "cancel my reminders, I won't need them after this weekend"
        r"(?:will not|wont|not going to) (?:be )?need(?:ing)? (?:(?:this|the|my) (?:app|reminders|"
        r"account)|reminders|them|this|anything|any of (?:this|it|them)|you) (?:\S+ )?after "
        r"(?:tonight|today|"
        r"this weekend|the weekend|tomorrow|this week)\b|"
        r"(?:this (?:is|will be)|thisll be) my (?:very )?last (?:message|log|entry|check ?-?in|post|"
        r"update|note)"
        r"\b(?! (?:before|until|for|of|to|today|this|on|at|in|from))|"
        # last words relayed: "tell my daughter it wasn't her fault", "tell my son I love him"
        r"tell (?:my|the) (?:\S+ ){1,2}?(?:that |say )?(?:it (?:was not|is not|wasnt|isnt) (?:her|his|"
        r"their|your|anyone) fault|i (?:love|loved) (?:her|him|them|you)\b|i am sorry(?= *(?:[.!]|$"
        r"|for everything)))|"
        # an overdose counted out: "if I take all 56 of my co-codamol at once will it be enough"
        r"(?:take|taking|took|swallow\w*) all (?:\d+|of)(?: of)? (?:my|the|these|those) (?:\S+ )?"
        r"(?:tablets|pills|meds|painkillers|tramadol|codeine|co-?codamol|paracetamol|oxycodone|"
        r"morphine|pregabalin|gabapentin|amitriptyline|diazepam|sleeping pills)\b"
        + _AS_PRESCRIBED
        + r"|"
        # hedged: "not sure I want to carry on"; means at hand: "sat in the car with all my pills"
        r"(?:not sure|unsure|do not know)(?: if| whether)? i (?:\S+ )?(?:want|can) (?:to )?"
        r"(?:go on|carry on|keep going|be here)|"
        r"(?:sat|sitting|alone|in the car) (?:\S+ ){0,4}?with all (?:of )?(?:my |the )?(?:pills|"
        r"tablets|meds|painkillers)\b|"
        # plans, means and farewells in few words: "tonight's the night", "on the bridge … not
        # going home", "got the shotgun out of the cabinet tonight", "had enough … thanks for
        # trying"
        # "I'm going to drive off the bridge tonight", "walk into the sea"
        r"(?:drive|driving|drove) (?:\S+ )?(?:off|into) (?:the|a) (?:bridge|cliff|river|sea|wall|"
        r"tree)\b|(?:walk|walking|step|stepping|throw myself|throwing myself) (?:in front of (?:the|a) "
        r"(?:train|bus|lorry|car)|into the (?:sea|river))\b|"
        # "got the pills saved and i'm taking them tonight"
        r"(?:pills|tablets|meds|painkillers) (?:are |all )?(?:saved|stashed|hoarded|stockpiled|"
        r"hidden|collected)(?: up)?\b|(?:i am |im )?taking (?:them|it|the lot|all of them)(?: all)? "
        r"(?:tonight|today|this weekend)\b|"
        # "thinking about driving off the overpass", "drive to the bridge tonight", "go to the top
        # of the building and jump", "put a rope in the shed", "done with it all tonight"
        r"off (?:the|a) (?:bridge|overpass|flyover|viaduct|cliff)\b|(?:drive|driving|go|going|walk|"
        r"walking|head\w*) (?:to )?(?:the|a) (?:bridge|overpass|flyover|viaduct|cliff)s? (?:tomorrow|tonight|today|"
        r"now|this evening)\b|(?:go|going|get) to the top of (?:the|a) \w+(?: \w+)? and jump\b|"
        r"(?:put|tied|hung|bought|got) (?:a|the|some) rope\b(?! (?:swing|ladder|light))|"
        r"done with (?:it all|everything|life) tonight|(?:done|finished) with (?:this|my) life\b|"
        # "mi a stand pon di bridge now"
        r"\bi (?:am )?(?:standing|stand|sitting|sat) (?:up )?on (?:the|a) (?:bridge|ledge|cliff edge|"
        r"roof)\b|"
        # "I've decided, it's tonight", "wish I just didn't exist"
        r"decided\W+(?:it is|its|it will be) (?:tonight|today|this weekend|tomorrow)\b|"
        r"wish i (?:just )?(?:did not|didnt|do not|could (?:just )?not|could just stop to) exist|"
        r"(?:want|wanted|wanting) to (?:not|stop) exist\w*|"
        r"tonight(?:s| is| (?:would|will|could|might) be)? the night|tonight feels right|"
        # "counted the tramadol. theres enough."
        r"(?:counted|counting|count) (?:up )?(?:all )?(?:the |my )?(?:\S+ )?(?:tablets|pills|meds|"
        r"painkillers|tramadol|codeine|co-?codamol|paracetamol|oxycodone|morphine|pregabalin|"
        r"gabapentin|amitriptyline|diazepam|sleeping pills)\W+(?:there is|theres|that is|thats|"
        r"i have|i have got|got) (?:more than )?enough\b|"
        # "let it take me under", "this is me saying cheerio", "I wrote my goodbye to my
        # partner", "this is the last thing I'm doing"
        r"let (?:it|the pain|the sea|the water) take me(?: under| away)?\b|"
        r"(?:this is (?:me )?)saying (?:cheerio|farewell|bye|goodbye|ta-?ra)\b|"
        r"(?:wrote|written|writing|left) (?:my|a) goodbyes?\b(?! to (?:the|my) (?:app|physio|job|old))|"
        r"(?:this is|it is) the last thing i (?:am doing|will do|will ever do)\b|"
        r"(?:done with (?:it all|everything|life)|had enough)(?:.{0,120}?)(?:do not tell (?:anybody|"
        r"anyone)|cheerio|farewell)|(?:will not|not going to) (?:be )?need(?:ing)? (?:them|it|this|"
        r"the app|the exercises|you) any ?more\b(?:.{0,80}?)goodbye(?= (?:everyone|everybody|all|world|friends|for ?ever)\b"
        r"| *[.!]| *$)|(?:picked|chosen|chose) (?:the |a |my )?"
        r"(?:bridge|spot|place|day|date|method)\b|"
        r"sorted (?:the |my )?(?:cat|dog|pets?) out|jump (?:now|out|from)\b(?! of my skin)|(?:i am|standing|sat|sitting|stood) on (?:the|a) (?:bridge|"
        r"ledge|cliff edge|roof)\b|not (?:going|coming) (?:back )?home(?: tonight| again| ever)?"
        r"(?= *[.!]|$)|life is (?:fucked|over|pointless|finished)|"
        r"(?:got|getting|took|taken|loaded|have) (?:the |my |a )?(?:(?:dad|father|husband|brother|"
        r"grandad|granddad|son) )?(?:shotgun|gun|rifle|rope|"
        r"noose)\b(?! (?:licen[cs]e|club|range))|\bnoose\b|"
        r"(?:had enough|i am done|finished me|cannot do this (?:\S+ )?any ?more)(?:.{0,200}?)(?:thanks? "
        r"(?:you )?(?:for trying|for everything|to whoever)|goodbye|love (?:you|u|ya)\b|not "
        r"(?:answering|picking up))|"
        # a farewell text relayed: "sorry mum, love u, can't do this pain anymore"
        r"(?:sorry|love (?:you|u|ya))\W+(?:\S+\W+){0,4}?cannot do this (?:\S+ )?any ?more|"
        r"not (?:going to )?bother(?:ing)? with tomorrow|no tomorrow for me|"
        # "I no go dey here tomorrow" (Pidgin, read as "will not be here tomorrow")
        r"(?:will not|not going to) be (?:here|around) (?:tomorrow|tonight|by (?:the )?morning|"
        r"much longer)\b|"
        # "I wrote a note last night … not going to do anything today but I think I will soon"
        r"(?:wrote|written|left) (?:a |my )?(?:suicide |goodbye )?note (?:last night|(?:for|to) "
        r"(?:my )?(?:family|kids|children|wife|husband|partner|mum|mom|dad|parents|son|daughter|"
        r"loved ones|everyone))|"
        r"not (?:going to )?do anything today but|(?:i think|i know) i will (?:do it )?soon\b",
        "current",
        False,
    ),
    # infection
    "fever": (
        r"(?<!hay )(?<!glandular )(?<!scarlet )(?<!yellow )(?<!dengue )fever\w*|febrile|"
        # not "have no temperature"
        r"(?:high|a|running a|had a|got a|with a|have|has|got|my|spiking|spiked|raised) "
        r"(?:(?!no |not |any |normal )[^\s,.;:!?]+ )?(?:temperature|temp)\b|temp(?:erature)? (?:of |is |was |at |up |hit |"
        r"reading )?(?:3[7-9]|4[0-2])|\b3[89](?:[.,]\d)? ?(?:degrees|deg|c|°c?)\b|"
        + TEMPERATURE_READING
        + r"|"
        r"\b10[0-4](?:\.\d)? ?(?:degrees|f|°f?)\b|chills?|chilly(?! bin)|rigou?rs|teeth chattering|"
        r"chattering teeth|"
        r"shiver\w*(?! (?:down|up) (?:my|the) spine)|"
        r"(?<!hands )(?<!hand )(?<!hands are )(?<!hands keep )shak(?:ing|es|y)|hot and cold|cold and hot|"
        r"hot then cold|"
        r"(?:boiling|burning|roasting) (?:hot )?(?:then|and|one minute) (?:\S+ )?(?:freezing|icy|"
        r"cold)|(?:night )?sweats|hot body|"
        r"body (?:is |was |feels? )?(?:hot|burning|boiling)|"
        r"sweating|drenched|soak(?:ed|ing) (?:\S+ )?(?:sheets|bed|pyjamas|through)|"
        r"(?:soak(?:ed|ing)|wet|dripping) (?:in|with) sweat|" + BURNING_UP + r"|"
        r"(?:i am|i feel|feel|feeling|felt) (?:\S+ )?(?:boiling|roasting|on fire)|"
        r"flu[- ]?like|feel(?:ing)? (?:\S+ )?(?:hot|feverish|"
        r"shivery|shaky|rough|unwell|ill|poorly|rotten)|"
        # an infection had, not a risk asked about: "is the pool ok, infection-wise?"
        r"(?<!risk of )(?<!chance of )(?<!catch an )(?<!catching an )(?<!pick up an )"
        r"(?<!picking up an )infect\w*(?![- ]?(?:wise|risks?|control|prevention))|sepsis|septic",
        "current",
        False,
    ),
    "ivdu": (
        r"inject\w* (?:\S+ )?(?:drugs|heroin|myself|speed|meth(?:amphetamines?|s)?\b|cocaine|crack|gear)|"
        # "not gonna lie I use (inject)"
        r"\(inject\w*\)|\bi use(?= *(?:\(|,|\.|$|drugs|gear|heroin|smack))|"
        r"\bi inject\b(?! (?:\S+ )?(?:insulin|medicine|medication|methotrexate|heparin|vitamin|"
        r"b12|fertility|hormones?|testosterone|humira|adalimumab|my pen))|heroin|smack|"
        r"(?:use|using|used|share|sharing) needles?\b|needles? (?:for|to) (?:drugs|inject)|"
        # "Me inject drug, true"
        r"inject\w* drug\b|"
        r"(?:iv|intravenous) drug\w*|shoot\w* up|track marks|skin popping|" + INJECTING + r"|"
        # the drug, not "heard a crack in my back"
        r"(?:drug|needle) us(?:e|er|ing)|crack (?:cocaine|pipe)|(?:on|smok\w*|us(?:e|ed|ing)) "
        r"crack\b|cocaine|meth(?:amphetamines?|s)?\b|" + DRUG_RELAPSE,
        "exposure",
        False,
    ),
    "procedure": (
        r"injection|jab|epidural|operation|\bop\b|surgeon|stitches|staples|sutures|"
        # not the GP's practice: "ring the GP when the surgery opens"
        r"(?<!gp )(?<!doctors )(?<!doctor )surgery(?! (?:opens|is open|is closed|closes|"
        r"reception\w*|phone|number|appointment|car park|waiting room))|"
        r"wound|scar|incision|(?:the |injection )?site|where (?:they|the (?:doctor|needle|"
        r"surgeon)) (?:\S+ ){0,3}?(?:went|did|put|injected|operated|cut)|drain|nerve block|"
        r"facet|radiofrequency|lumbar puncture|spinal tap|discectomy|laminectomy|fusion|"
        r"decompression|keyhole",
        "event",
        False,
    ),
    "wound_sign": (
        r"red|redness|hot|warm|swollen|swelling|pus|ooz\w*|leak\w*|weep\w*|discharg\w*|"
        r"yellow|green|smell\w*|smelly|infected|angry|gaping|opened up|coming open|"
        r"bleed\w*|throbb\w*|liquid|fluid|(?:stuff|something|water) (?:\S+ )?(?:come|comes|"
        r"coming|came) out",
        "current",
        False,
    ),
    "immuno": (
        IMMUNO_WORDS + r"|on steroids",
        "exposure",
        False,
    ),
    # malignancy
    "cancer": (
        r"cancers?|chemo\w*|radiotherapy|radiation|metasta\w*|secondaries|mets|myeloma|"
        r"lymphoma|leuka?emia|carcinoma|melanoma|sarcoma|malignan\w*|tumou?rs?|oncolog\w*|"
        r"mastectomy|lumpectomy|prostatectomy|the big c|in remission|(?:cancer )?survivor|"
        r"tamoxifen|letrozole|anastrozole|zoladex|hormone therapy for|" + CANCER_MEDICINES,
        # cancer medicines named without the word: "on pembrolizumab, new lower back pain"
        "history",
        True,
    ),
    "cancer_doubt": (
        r"scare|all clear(?= (?:and|so|no|nothing))|ruled out|not cancer|benign|clear "
        r"(?:scan|result|test)|came back (?:clear|negative|fine|normal)|was clear|were clear|"
        r"negative",
        "current",
        False,
    ),
    "pain": (
        # not "the bright screen hurts my eyes"
        # (not "my oncologist is a pain in the backside")
        PAIN_LOGGED_NOT + r"pain\w*(?! " + APP_RECORD + r")(?! in the (?:backside|neck|arse|ass|"
        r"bum|butt)\b)|"
        r"hurt\w*(?! (?:my|your|his|her) (?:eyes?|ears?|teeth|tooth|feelings|pride|"
        r"wallet|head))|ache\w*|aching|achy|sore\w*|agony|twinge\w*|backache|sciatica|"
        r"lumbago|killing me|spasm\w*|stabbing|throbb\w*|tender\w*|in bits|niggl\w*|"
        r"discomfort|twing\w*|"
        r"(?:my )?back (?:went|has gone|is gone|is bad|is terrible|is awful|is killing)|"
        # "him did a complain bout him back"
        r"complain\w* (?:about|of) (?:my|his|her|their) back|"
        # Pidgin "e dey bite me till morning" (read as "it is bite me")
        r"(?:is|keeps?) bit(?:e|ing) me\b|"
        # "he's up every night crying with his back", "laid up with her back"
        r"(?:crying|cries|up|awake|suffering|struggling|laid up|in tears) (?:\S+ ){0,3}?with "
        r"(?:my|his|her|their) back|" + BACK_BAD,
        "current",
        False,
    ),
    "chronic_pain": (
        r"for (?:many |several |a few |\d+ |two |three |ten |twenty |decades |)?(?:years|"
        r"decades)|always (?:had|been|have)|all my life|same (?:old|as always|as ever)|"
        # not "no new numbness": that denies the numbness (the negation must stay outside a cue)
        r"(?:nothing|no) (?:new|different|change)(?! (?:numb|tingl|weak|pins|loss|problem|trouble|"
        r"issue|symptom)\w*)|as usual|usual (?:back )?(?:pain|ache)|"
        r"long[- ]standing|(?:from|after) (?:gardening|lifting|work|the gym|sitting|"
        r"decorating|painting|moving)",
        "current",
        False,
    ),
    "weight_loss": (
        WEIGHT_DROP + r"|"
        r"weight loss(?<!intentional weight loss)(?<!deliberate weight loss)(?<!planned weight loss)|weight (?:has |is )?(?:dropped|gone down|goes down|going down|went down|dropping|falling off|coming off|"
        r"dropping off|melting)|(?:dropped|gone down|lost|down) (?:\S+ ){0,2}?(?:dress|trouser|"
        r"clothes|clothing|jeans?|belt|waist|shirt|collar) sizes?|"
        r"(?:clothes|trousers|jeans|belt|rings?|dress\w*|skirts?|shirts?|watch) (?:\S+ ){0,3}?"
        r"(?:loose|looser|baggy|too big|very big|so big|falling (?:off|down)|hanging off|"
        r"swamp\w*)|"
        r"(?:hanging|falling) off me|getting (?:very |so |really )?(?:thin|thinner|skinny|"
        r"bony)|skin and bones?|wasting away|new (?:belt )?hole|(?:tighter|extra) notch",
        "current",
        False,
    ),
    "weight_intended": (
        r"diet\w*|trying|tried|on purpose|wants? to|wanted to|need(?:ed)? to|gym|slimming|"
        r"weight ?watchers|plan\w*|calori\w*|intentional\w*|deliberate\w*|fasting|"
        r"exercis\w* more|healthier|goal|ozempic|wegovy|mounjaro|semaglutide|tirzepatide|"
        r"keto|running|cut(?:ting)? out|cut down|meal|swim\w*|cycl\w*|walking|sport|training|"
        r"yoga|pilates|classes|since i started|eating (?:better|less|healthier)|portion|"
        + WEIGHT_LOSS_TREATMENT
        + r"|"
        r"dry weight|(?:took|take|taking|taken) (?:more |extra )?(?:fluid|water) off",
        "current",
        False,
    ),
    "weight_unintended": (
        r"without (?:\S+ )?(?:trying|meaning to|dieting)|not (?:even )?try\w* to lose|"
        r"not (?:even )?(?:trying|dieting|on a "
        r"diet)|no diet|do not know why|no idea (?:why|how)|not sure why|for no reason|"
        r"unexplained|unintentional\w*|eating (?:normally|the same|as (?:usual|normal)|well|"
        r"loads|plenty)|not eating less|appetite (?:has )?gone|no appetite|off my food",
        "current",
        False,
    ),
    "night": (
        r"night\w*(?! shifts?| duty| duties| work| out\b| off\b)|overnight|in bed|"
        r"(?:lying|lie|laying|lay) (?:down|still|flat|in bed)|"
        r"wakes? me|woken|waking|woke|(?:[1-5]|one|two|three|four|five) ?(?:am|o clock)|"
        r"sleep\w*|at rest|resting",
        "current",
        False,
    ),
    "unrelenting": (
        # "I no fit find any way to lie down … even if I no move at all"
        r"(?:cannot|could not) find (?:any|a|one) (?:way|position) to (?:lie|sleep|rest|get comfortable)|"
        r"even (?:if|when) i (?:do not |not |no |am not )?mov\w* (?:at all)?|"
        r"(?:no|any|every|whatever|whichever|any other|a different|changing|no matter what) "
        r"position|nothing (?:\S+ ){0,3}?(?:helps?|eases?|relieves?|works?|touches|shifts|"
        r"takes it away|makes (?:a|any) difference|stops it)|(?:painkillers?|tablets?|pills|"
        r"medication|paracetamol|ibuprofen|codeine|morphine|tramadol|co-?codamol|naproxen) "
        r"(?:\S+ ){0,2}?(?:do|does|did|are doing|is doing) (?:absolutely )?nothing|"
        r"(?:do|does|did) not (?:even )?(?:touch|help|ease|shift|work)|no relief|"
        + IF_NOT_BEFORE
        + r"(?:never|does not|do not|will not|did not|not) (?:\S+ ){0,2}?(?:ease|eases|easing|"
        r"let up|lets up|settle|settles|go away|goes away|stop|stops|improve|improves|"
        r"get better|gets better|budge|budges|shift|shifts)|"
        r"constant\w*|unrelenting|relentless|non[- ]?stop|no matter what|whatever i do|"
        # "all night" of pain, not of an activity ("danced all night in heels")
        r"(?<!danced )(?<!dancing )(?<!partied )(?<!partying )(?<!drinking )(?<!driving )"
        r"(?<!working )(?<!worked )(?<!out )(?<!drove )"
        r"all (?:the )?(?:time|night|night long|day and night)|every (?:single )?(?:night|"
        r"minute|hour|moment)(?<!exercises every night)(?<!stretches every night)(?<!routine every night)|night after night|day (?:and|or) night|around the clock|"
        r"round the clock|24 ?(?:/ ?7|hours a day|7)\b|even (?:when |while )?(?:i am )?(?:lying|"
        r"resting|at rest|still|in bed|sitting still)|at rest|cannot get comfortable|"
        r"no way to get comfortable|never (?:gets? )?comfortable",
        "current",
        False,
    ),
    "back_fine": (
        BACK_FINE,
        "history",  # however long ago it settled ("it cleared up last week")
        False,
    ),
    "medication": (
        r"codeine|tramadol|morphine|opioids?|oxycodone|co-?codamol|dihydrocodeine|methadone|"
        r"buprenorphine|subutex|espranor|"
        r"painkillers?|tablets?|pills|medication|medicines?|gabapentin|pregabalin|amitriptyline|"
        r"laxatives?|iron",
        "current",
        False,
    ),
    "constipation": (
        r"constipat\w*|bunged up|blocked up|bung\w* (?:me |him |her |us )?(?:right )?up|"
        r"poo (?:is |feels )?(?:stuck|hard)|"
        r"(?:cannot|can not|could not) (?:do )?(?:a )?poo (?:for|since|in) (?:\d+|a few|several|two|"
        r"three|four|five|six|seven) days|"
        r"(?:have not|has not|had not|not) (?:pooed|pooped|(?:been|gone|had|managed|done) (?:for )?"
        r"(?:a )?(?:proper |decent |real |good )?"
        r"(?:poo|number two|bowel movement|bm|dump)) (?:in|for) (?:\d+|a few|several|two|three|"
        r"four|five|six|seven) days|"
        # "nothing has moved in the bowel department", "not been able to open my bowels"
        r"nothing (?:has )?(?:moved|shifted|budged)(?= (?:in|down) (?:the |my |his |her )?"
        r"(?:bowel|back passage|poo|number two))|(?:not|never) (?:\S+ ){0,3}?open(?:ed)? "
        r"(?:my |his |her |their |the )?bowels?",
        "current",
        False,
    ),
}

MOBILITY_BEFORE = re.compile(
    r"\b(?:get\w*|got|stand\w*|climb\w*|lower\w*|reach\w*|bend\w*|bent|lean\w*|"
    r"kneel\w*|squat\w*)(?: up)?(?: (?:off|on|onto|to|from|over|down on|up from|"
    r"out of|into))? (?:the |my |a )?\Z"
)
MOBILITY_AFTER = re.compile(
    r"^\W*(?:\S+ )?(?:get|getting|sit|sitting|stand|standing|reach|reaching|bend|bending|lower|"
    r"lowering|climb|walk|turn|twist|lift|squat|kneel|crouch|rise|up from|off|down on|on and "
    r"off|wipe properly|clean myself properly|reach round)\b"
)


@dataclass(frozen=True)
class Cue:
    """One vocabulary word found in a message, with its context from concepts.analyse."""

    kind: str
    start: int
    end: int
    text: str
    negated: bool
    past: bool
    hypothetical: bool
    other_person: bool

    @property
    def active(self) -> bool:
        return not (self.negated or self.past or self.hypothetical or self.other_person)

    @property
    def mine(self) -> bool:
        """About the patient and not a hypothetical question (negation and time aside)."""
        return not (self.hypothetical or self.other_person)


@cache
def _compiled(kind: str) -> re.Pattern[str]:
    pattern = LEXICON[kind][0]
    if kind == "minimiser":
        return re.compile(r"\b(?:" + pattern + r")")
    return re.compile(r"\b(?:" + pattern + r")(?![a-z])")


@dataclass(frozen=True)
class BroadHit:
    """A family fired by the vocabulary: finding code, category, level and its evidence."""

    code: str
    category: str
    level: str
    evidence: tuple[str, ...]


class _Scan:
    """Cues of one analysed message and geometry helpers (token distance, sentences)."""

    def __init__(self, a: AnalysedText) -> None:
        self.a = a
        self.text = a.text
        self._token_starts = [m.start() for m in re.finditer(r"[a-z0-9]+", a.text)]
        self.cues: dict[str, list[Cue]] = {}
        spans: list[tuple[str, int, int]] = []
        for kind in LEXICON:
            if kind == "minimiser":
                continue
            for match in _compiled(kind).finditer(a.text):
                if match.end() > match.start():
                    spans.append((kind, match.start(), match.end()))
        # words inside any cue do not negate a neighbouring cue ("nothing comes out")
        # … except "no new", a long-standing-pain cue whose "no" still denies what follows ("I
        # have no new pains of any kind")
        cores = [(s, e) for kind, s, e in spans if kind != "chronic_pain"]
        cores += [(m.start, m.end) for m in a.mentions]
        for kind, start, end in spans:
            _, time, diagnosis = LEXICON[kind]
            # a cue overlapping this one ("do not feel" in "my legs do not feel numb") must
            # not hide the negation in front of it
            others = [c for c in cores if c == (start, end) or not (c[0] < end and start < c[1])]
            mention = mention_context(kind, time, diagnosis, a.text, a.clauses, start, end, others)
            self.cues.setdefault(kind, []).append(
                Cue(
                    kind,
                    start,
                    end,
                    a.text[start:end],
                    mention.negated,
                    mention.past,
                    mention.hypothetical,
                    mention.other_person != a.perspective_other,
                )
            )
        # a saddle site that is also read as plural legs ("between my legs", "inner thighs")
        saddle = self.get("saddle_site")
        # … and "the right leg too" with no leg named before it: in "my back pain has now gone
        # down my left leg too" the "too" adds the leg to the back, not a second leg
        self.cues["both_site"] = [
            c
            for c in self.get("both_site")
            if not any(_overlap(c, s) for s in saddle)
            and not (
                _OTHER_SIDE_TOO.search(c.text)
                and "other" not in c.text
                and (not _FIRST_LEG.search(a.text, 0, c.start) or _ONE_LEG_ONLY.search(a.text))
            )
        ]
        self.cues["limb_site"] = [
            c
            for c in self.get("limb_site")
            if not any(_overlap(c, s) for s in (*saddle, *self.get("both_site")))
        ]

    def get(self, kind: str) -> list[Cue]:
        return self.cues.get(kind, [])

    def active(self, kind: str) -> list[Cue]:
        return [c for c in self.get(kind) if c.active]

    def mine(self, kind: str) -> list[Cue]:
        return [c for c in self.get(kind) if c.mine]

    def token(self, position: int) -> int:
        return bisect.bisect_right(self._token_starts, position)

    def sentence(self, cue: Cue) -> int:
        return self.a.sentence_of(cue.start)

    def distance(self, x: Cue, y: Cue) -> int:
        """Words between two cues (0 when they overlap or touch)."""
        if _overlap(x, y):
            return 0
        first, second = (x, y) if x.start < y.start else (y, x)
        return max(0, self.token(second.start) - self.token(first.end))

    def near(self, x: Cue, y: Cue, words: int) -> bool:
        return self.sentence(x) == self.sentence(y) and self.distance(x, y) <= words

    def pairs(self, xs: list[Cue], ys: list[Cue], words: int) -> list[tuple[Cue, Cue]]:
        return [(x, y) for x in xs for y in ys if self.near(x, y, words) and x is not y]

    def site_of(self, cue: Cue) -> str | None:
        """The body site a symptom word is about: the nearest site word in its sentence.

        Ties go to the more dangerous reading (saddle, then both legs, then one limb)."""
        best: tuple[int, int, str] | None = None
        for rank, kind in enumerate(("saddle_site", "both_site", "limb_site")):
            for site in self.get(kind):
                if self.sentence(site) != self.sentence(cue) or site.other_person:
                    continue
                candidate = (self.distance(cue, site), rank, kind)
                if best is None or candidate < best:
                    best = candidate
        return None if best is None else best[2]


EXERTION = re.compile(r"\b(?:" + LEXICON["exertion"][0] + r")\b")


def tired_after_exertion(sentence: str, words: str) -> bool:
    """True for tired-muscle words in a sentence that names exertion ("legs like jelly after
    leg day"); the triage rules use it for their own leg-weakness concept too."""
    tired = _TIRED_WORDS.fullmatch(words) or re.search(
        r"\b(?:jelly|wobbly|weak\w*|rubber\w*|heavy|tired)\b", words
    )
    event = re.search(r"gave way|giv\w* way|buckl|collaps|cannot|could not|unable", words)
    return bool(tired and not event and EXERTION.search(sentence))


# Neurogenic claudication (NICE NG59; IFOMPT 2020 lists it as a non-urgent pattern of spinal
# stenosis): leg symptoms brought on by walking or standing and eased by sitting or bending
# forward ("both legs ache and tingle after 10 minutes walking, fine when I sit", "better
# leaning on the shopping trolley"). Cauda equina symptoms are not eased by sitting down.
_WALK_TRIGGER = re.compile(
    r"\b(?:walk\w*|stroll\w*|standing (?:for|too|a|long)|stood (?:for )?(?:a )?(?:long|while|"
    r"ages)|queu(?:e|es|ed|ing)|standing in line|up the hill|up hills?|stand (?:for )?(?:long|very long|too "
    r"long|more than)|on my feet|(?:downhill|uphill)|"
    # "if I stand at the bus stop for long"
    r"stand(?:ing)? (?:\S+ ){1,5}?for (?:long|too long|a while|any length|more than)|"
    # a walking distance: "I can only get as far as the post box", "go much further"
    r"(?:get|go|manage) (?:\S+ ){0,2}?(?:as far as|further|to the (?:end|shop|corner)))\b"
)
_RELIEF_WORDS = (
    r"(?:better|eases?|eased|easier|fine|ok|okay|alright|helps?|relie\w*|settles?|"
    r"goes (?:off|away)|(?:it |they )?(?:go|goes|wears?) off|disappears?|passes|stops?|further|"
    r"sorts? (?:it|them)|fix(?:es)? (?:it|them)|(?:it|they) go(?:es)?(?= *(?:[.,;!?]|$))|"
    # "goes when I sit or bend forward", "sit down and it goes in a minute"
    r"go(?:es)?(?= (?:when|if|once|as soon as) )|go(?:es)? (?:off |away )?(?:in|within|after) "
    r"(?:a|one|\d+|a few|few|two|half) (?:minute|min|second|moment|mo)s?)"
)
_FLEXION = r"(?:sit\w*|sat|bend\w*|bent|lean\w*|stoop\w*|crouch\w*|squat\w*|trolley|bench|chair)"
_FLEXION_RELIEF = re.compile(
    # "I have to stop and sit down", "need to lean on the trolley"
    r"\b(?:have|has|need|needs|got) to (?:stop (?:and )?)?(?:sit|lean|bend|crouch|squat)\w*\b|"
    r"\b(?:"
    + _RELIEF_WORDS
    + r"\b(?:\W+\w+){0,7}?\W+"
    + _FLEXION
    + r"|"
    + _FLEXION
    + r"(?:\W+\w+){0,8}?\W+"
    + _RELIEF_WORDS
    + r")\b"
)
# "cannot stand (for long)" in a claudication message is tolerance, not a leg that fails
_NEURO_EVENT = re.compile(
    r"gave way|giv\w* way|buckl|collaps|cannot(?! stand\b)|could not(?! stand\b)|unable|paralys|"
    r"drag"
)


_ACUTE = re.compile(
    r"\b(?:since (?:this morning|today|yesterday|last night|the (?:fall|accident|crash))|"
    r"suddenly|all of a sudden|out of (?:nowhere|the blue)|just now|this morning|today|tonight|"
    r"(?:an|one|two|three|few|couple of|\d+) hours?)\b"
)


# An injury already checked and cleared, or recovered from ("got checked at the hospital, xray
# was fine. Back completely recovered now"): no longer a reason to look for a fracture.
_INJURY_CLEARED = re.compile(
    r"\b(?:(?:x-? ?rays?|scans?|mri|ct)(?: \S+){0,2}? (?:was|were|came back|showed|is|are) "
    r"(?:\S+ )?(?:fine|clear|normal|ok|okay|nothing)|nothing (?:was )?broken|no (?:fractures?|"
    r"breaks?|broken bones?)|(?:fully|completely|totally) (?:recovered|healed|better)|"
    r"(?:totally|completely|fully|all) (?:fine|ok|okay|normal|healed) now|back to normal)\b"
)


# "feel like I've been hit by a bus", "as if I'd been thrown": a figure of speech, not an event
# (the text before the injury words)
AS_IF = re.compile(
    r"\b(?:feels?|felt|feeling) (?:\S+ )?like (?:\S+ ){0,3}?$|\bas if (?:\S+ ){0,3}?$"
)


def injury_cleared(text: str) -> bool:
    """True when the message says an injury was checked and cleared or has fully recovered."""
    return bool(_INJURY_CLEARED.search(text))


@lru_cache(maxsize=256)
def claudication_pattern(text: str) -> bool:
    """True when the message describes leg symptoms brought on by walking or standing and
    eased by sitting or bending forward (neurogenic claudication, a routine finding), and
    nothing in it says the symptoms began in the last hours."""
    return bool(
        _WALK_TRIGGER.search(text) and _FLEXION_RELIEF.search(text) and not _ACUTE.search(text)
    )


def claudication_posture(text: str, words: str) -> bool:
    """A bend or lean that eases claudication ("I can go much further bent over the trolley"),
    not a minor injury."""
    return bool(re.match(r"bent|bend|lean", words)) and claudication_pattern(text)


# "no bladder problems": the site itself denied ("not had the urge to pee" is a symptom)
_NO_BEFORE = re.compile(r"\bno (?:\S+ ){0,3}\Z")


def claudication_symptom(text: str, words: str) -> bool:
    """A leg word that belongs to a claudication pattern: ache, tingling, numbness or heaviness
    in a message of that pattern, not an event such as a leg giving way."""
    return claudication_pattern(text) and not _NEURO_EVENT.search(words)


_SYNCOPE = re.compile(
    r"faint(?:ed|ing)\b|faint(?= (?:in|on|at|while|when|and|from|twice|again)\b)|"
    r"pass(?:ed|es) out|passing out|collaps(?:ed|ing|es|e)\b|black(?:ed|ing)? out|"
    r"keel\w* over|" + SYNCOPE_PHRASES
)
_GENERAL_CRISIS = re.compile(
    r"\b(?:people|someone|somebody|patients|anyone|a person|you) (?:\S+ ){0,4}?(?:suicid\w*|"
    r"want to die)|"
    # the third person leaves no doubt over a longer span: "do people with back pain like mine
    # ever end up taking their own life?"
    r"\b(?:people|folks?|someone|somebody|patients|anyone|a person) (?:\S+ ){0,9}?(?:kill(?:ing)? themselves|"
    r"(?:take|taking|end|ending) their (?:own )?li(?:fe|ves)\b)"
)


# "… for people who've had suicidal thoughts? Asking for myself."
# "… kill themselves over back pain? just asking", "would it be wrong to wonder about it?":
# the veiled way people ask about their own thoughts
_FOR_MYSELF = re.compile(
    r"\b(?:asking|it is|its|this is|i am asking) (?:\S+ )?for (?:myself|me)\b|"
    r"\b(?:(?:i am|im|i was) )?just asking\b|\b(?:wrong|normal|bad|okay|ok|selfish) "
    r"(?:\S+ ){0,3}?(?:wonder|think)\w* (?:about )?(?:it|that|this|whether|if)\b"
)


def about_people_in_general(text: str, start: int, end: int) -> bool:
    """True when a crisis word is about people in general ("do people kill themselves over
    back pain?"): never an emergency, even when the writer makes it their own."""
    return bool(_GENERAL_CRISIS.search(text, max(0, start - 60), end + 1))


# The writer says the thoughts are not theirs: "I'm fine myself, not having any thoughts like
# that, just curious"
_OWN_THOUGHTS_DENIED = re.compile(
    r"\b(?:not (?:having|had|got)|never (?:had|have)|no|do not have (?:any)?) (?:any )?"
    r"(?:thoughts|feelings) like (?:that|this)\b|\bnot (?:feeling )?suicidal\b|"
    r"\bnot (?:about|for) me\b|\b(?:i am|im) (?:fine|ok|okay|alright) myself\b|"
    r"\b(?:i am|im) not (?:thinking|thinking of|considering) (?:it|"
    r"anything like that)\b"
)


def general_crisis_question(text: str, start: int, end: int) -> bool:
    """True when a crisis word is in a question about people in general ("can pain make people
    suicidal?") and the writer says the thoughts are not theirs ("not having any thoughts like
    that"). Without that denial the question is read as suicide asked about (urgent): blind
    authors labelled such questions urgent ten times out of eleven, and a person asking may be
    asking for themselves ("asking for myself" makes it certain)."""
    return (
        about_people_in_general(text, start, end)
        and not _FOR_MYSELF.search(text, end)
        and bool(_OWN_THOUGHTS_DENIED.search(text))
    )


# Warning signs short of a plan (a passive feeling, a lethal-dose question), and a denial of
# any intent.
_SHORT_OF_INTENT = re.compile(
    r"how many .*|"
    r"(?:a |the |only |just )?burden (?:to|on|for) (?:everyone|everybody|my family|my (?:wife|"
    r"husband|partner|kids|children))|everyone would be better|no future|what is the point|"
    r"(?:nobody|no one|no-one) (?:would|will|is going to|gonna) (?:miss|care|notice)"
)
_INTENT_DENIED = re.compile(
    r"\b(?:not|never|would not|will not|wouldnt|wont|not that i (?:would|will|am going to)) "
    r"(?:ever )?(?:going to |gonna )?(?:do|try) (?:anything|something) (?:stupid|silly|daft|"
    r"drastic)|\bnot (?:feeling )?suicidal\b|"
    r"\b(?:would|will) never (?:do anything to|hurt|harm|kill) myself\b|"
    r"\bno (?:plans?|intention) (?:to|of) (?:hurt|harm|kill|end)|\bnot planning (?:anything|"
    r"to do anything|on doing anything)\b"
)
_NO_LONGER_NEEDED = re.compile(r"(?:will not|not going to) need")
_RECOVERED = re.compile(
    r"\b(?:all better|much better|better now|recovered|pain[- ]free|fixed|cured|all good now|"
    r"fine now|thanks? (?:you )?for (?:all )?(?:the|your) help)\b"
)
_NORMAL_TEMPERATURE = re.compile(
    r"\b(?:3[56]|37)[.,][0-4]\b|\b(?:3[56]|37)[.,][5-9]\b(?=.*\bnormal\b)|"
    r"(?:temperature|temp)\b(?: \S+){0,4}? normal|normal (?:temperature|temp)"
)
_SWEAT = re.compile(
    r"(?:night )?sweats|sweating|drenched|soak\w* .*|(?:soak\w*|wet|dripping) .*sweat"
)
# Hot flushes of the menopause (also read by the semantic net)
FLUSHES = r"(?:peri-?)?menopaus\w*|hot flush\w*|hot flash\w*|night flush\w*"
_SWEATS_EXPLAINED = re.compile(
    r"\b(?:" + FLUSHES + r")|\bhrt\b|\bno (?:temperature|temp|fever)\b|\b(?:temperature|temp) "
    r"(?:is |was )?(?:normal|fine)\b"
)
_OTHER_SIDE_TOO = re.compile(r"(?:right|left) (?:one|leg)|other (?:leg|side|foot)")
# "… sciatica down my left leg too. … Just the one leg, burning."
_ONE_LEG_ONLY = re.compile(r"\b(?:just|only) (?:the )?one (?:leg|side)\b")
_FIRST_LEG = re.compile(
    r"\b(?:legs?|thighs?|calf|calves|knees?|shins?|feet|foot|ankles?|buttocks?|hips?|sciatica|"
    r"sciatic|glutes?|hamstrings?|toes?|heels?)\b"
)
# Progression words that say the deficit itself is moving, even a long sentence away from it
# ("the numb patch … was just my foot last week, now it's up to the knee and creeping further")
_SPREADING = re.compile(
    r"creep|crept|spread|further|higher|day by day|every day|more and more|up to|up past|now past|"
    r"in (?:my |the )?\w+ (?:too|as well|also|now)"
)
# The same, told a few sentences after the deficit ("Numbness mapping update. Monday: outer
# shin. … It's spreading"): only words that can mean nothing else
_SPREAD_ON = re.compile(r"creep|crept|spread|up past|now past|up to the|getting bigger|bigger")
_CLOTHES = re.compile(CLOTHES + r"|(?:the )?sheets")
_WETNESS = re.compile(
    r"wet|soak|sodden|damp|leak|accident|soil|mess|dribbl|drip|drops|without|no idea|not sure|"
    r"did not|do not|cannot|could not|never|not"
)
# a muscle torn at the gym or lifting, not the aorta
_STRAIN_TEAR = re.compile(
    r"\b(?:lift\w*|gym|deadlift\w*|squat\w*|muscle|hamstring|pulled|strain\w*|training|rugby|"
    r"football|match|moving|carrying)\b"
)
_LIKE_BEFORE = re.compile(r"\b(?:like|as if|as though) (?:\S+ ){0,3}?\Z")
_SHOCK = re.compile(r"clammy|gr[ae]y|pale|ashen|white as|sweaty|cold and sweaty")
_TEARING_THROUGH = re.compile(
    r"\s+(?:through|into|across|down|up|between|to)\s+(?:\S+\s+){0,2}?(?:back|spine|"
    r"shoulder ?blades?|belly|tummy|stomach|abdomen|chest)\b"
)
_FAINT_SUBJECT = re.compile(
    # ("back pain then me faint, fall down kitchen floor": sign-language word order)
    r"\b(?:i|me|he|she|they|we|mum|mom|dad|father|mother|husband|wife|nan|grandad)\s+\Z"
)
_CLAUSE_END = re.compile(r"\s*(?:[.,;!]|$|and\b|then\b|again\b|suddenly\b|on\b|in\b)")
_LIMB_COLLAPSED = re.compile(
    r"\b(?:legs?|knees?|hips?|ankles?|foot|feet|discs?|lungs?|vertebra\w*|spine|bones?|it|"
    r"they|arch|arches)\s+(?:\S+\s+)?\Z"
)


_NEARLY = re.compile(
    r"\b(?:nearly|almost|close to|about to|going to|could have|felt like i (?:would|was "
    r"going to|might)|thought i (?:would|was going to|might))\s+(?:\S+\s+)?\Z"
)


# "today I faint two time when I stand up": fainted, counted
_FAINT_COUNT = re.compile(r" (?:two|three|four|\d+|several|many) times?\b| twice\b| again\b")


# learners' present for a past faint: "my mum just pass out for a moment" (not "going to pass
# out", "feel like I might pass out")
_PASS_OUT_TOLD = re.compile(r"\b(?:just|suddenly) \Z| for a (?:moment|second|sec|minute|few)\b")


def is_syncope(text: str, start: int, words: str) -> bool:
    """True for an actual faint or collapse ("I fainted", "passed out", "collapsed in the
    kitchen"), not feeling faint or dizzy, and not a leg or disc that collapsed."""
    if _NEARLY.search(text, 0, start):
        return False
    if words == "pass out":
        return bool(
            _PASS_OUT_TOLD.search(text, max(0, start - 12), start)
            or _PASS_OUT_TOLD.match(text, start + len(words))
        )
    if not _SYNCOPE.match(words):
        # learner English: "he faint. now he wake up" (fainted), not "I feel faint"
        return words == "faint" and bool(
            _FAINT_SUBJECT.search(text, 0, start)
            and (_CLAUSE_END.match(text, start + 5) or _FAINT_COUNT.match(text, start + 5))
        )
    return not (words.startswith("collaps") and _LIMB_COLLAPSED.search(text, 0, start))


# --- what the semantic safety net needs to know about one sentence ---------------------------

# Cue kinds whose context (negated, past, hypothetical, someone else's) says a sentence is not
# a present symptom of the patient.
_CONTEXT_KINDS = (
    "elim_dys",
    "elim_strong",
    "sensation",
    "weakness",
    "radicular",
    "foot_drop",
    "trauma_major",
    "fever",
    "crisis",
    "cancer",
    "weight_loss",
    "tearing",
    "pulsing",
    "chest",
    "wound_sign",
)
# Words that say something may be wrong (symptoms, injuries, risks) …
_SYMPTOM_KINDS = frozenset(
    {
        "elim_dys",
        "elim_strong",
        "saddle_strong",
        "sensation",
        "weakness",
        "foot_drop",
        "radicular",
        "progression",
        "trauma_major",
        "trauma_minor",
        "tearing",
        "pulsing",
        "aneurysm",
        "collapse",
        "sudden",
        "severe",
        "chest",
        "crisis",
        "fever",
        "ivdu",
        "wound_sign",
        "immuno",
        "cancer",
        "weight_loss",
        "unrelenting",
    }
)
# … and the body sites and settings they are about.
_SITE_KINDS = frozenset(
    {
        "elim_site",
        "saddle_site",
        "both_site",
        "limb_site",
        "abdomen",
        "lump",
        "procedure",
        "night",
    }
)
# Cues that keep a sentence in the net even when it also talks about a medicine.
_STRONG_KINDS = frozenset(
    {
        "elim_site",
        "elim_strong",
        "saddle_site",
        "saddle_strong",
        "foot_drop",
        "chest",
        "crisis",
        "tearing",
        "pulsing",
        "fever",
        "trauma_major",
    }
)
_SEX_WORDS = re.compile(r"\b(?:ejaculat\w*|erect\w*|orgasm\w*|climax\w*|sex|intercourse)\b")
# A denial about sexual function: "erections are totally normal", "sex is fine".
_SEX_FINE = re.compile(
    r"\b(?:ejaculat\w*|erect\w*|orgasm\w*|climax\w*|sex|sex life|intercourse)"
    r"(?: (?:is|are|has been|have been|feels?|feel|seems?|seem|still|all|totally|completely|"
    r"perfectly|absolutely|quite|working|100 ?%)){1,4} (?:normal|fine|ok|okay|good|unaffected|"
    r"unchanged|as usual|no problem)\b"
)
_ONE_SIDE = re.compile(
    r"\b(?:left|right|rite|rt|lt|one|1|single) (?:\S+ )?(?:leg|calf|foot|thigh|buttock|side|hip|"
    r"knee|"
    r"ankle|shin|heel|toe|big toe|glute|hamstring|cheek)s?\b|\bone leg\b|\bonly (?:on )?one\b|"
    + OTHER_SIDE_FINE
)
# A denial that a body part is affected: "both legs feel fine", "wees fine", "waterworks normal".
_PART_FINE = re.compile(
    r"\b(?:legs?|feet|foot|bladder|bowels?|wees?|pees?|waterworks|toilet|bum|bottom|groin|"
    r"(?:injection )?site|wound|scar|everything down there|"
    r"down below|down there|poos?|peeing|weeing|pooing)(?: (?:is|are|feel|feels|seem|seems|"
    r"still|all|totally|completely|perfectly|works|work|etc|and \w+)){0,3} (?:fine|ok|okay|"
    r"normal|alright|unaffected|"
    r"as usual|"
    r"behaving|working|strong)\b|"
    # "Nothing going down the legs", "sciatica? no, nothing in either leg"
    r"\bnothing (?:going |shooting |radiating |coming )?(?:down|into|in) (?:the |my |either |both )?"
    r"(?:legs?|feet)\b|"
    # a strength test passed: "physio tested my leg strength today and it's all 5/5 now"
    r"\b(?:strength|power|reflexes)\b(?: \S+){0,5} (?:5/5|normal|full|fine|good|strong)\b|"
    # a rule of thumb someone repeated: "my mate said if its in both legs its an emergency", "my
    # cousin told me that a back problem can make the foot fall"
    r"\b(?:said|says|say|told me|reckons) (?:that )?if (?:it is|its|it|you|your|they)\b|"
    r"\b(?:said|says|told me|reckons|read) (?:that )?(?:\S+ ){0,4}?can (?:make|cause|give|lead)\b|"
    # a checklist item answered: "problems weeing, no."
    r",\s*(?:no|nope|none|negative|nil)\W*$"
)
# An injury denied: "nothing happened to cause it, no falls", "she hasn't fallen"
_NO_INJURY = re.compile(
    r"\b(?:no (?:falls?|injury|injuries|trauma|accidents?|bumps?|knocks?)|(?:did not|have not|"
    r"has not|had not|never|not) (?:\S+ )?(?:fall|fallen|fell|injured|hurt (?:it|myself|herself|"
    r"himself))|nothing (?:\S+ )?happened|without (?:a |any )?(?:fall|injury|reason))\b"
)
_FRACTURE_WORD = re.compile(r"\b(?:fractur\w*|broke|broken|break|crack\w*|osteopor\w*)\b")
_FRACTURE_RISK = re.compile(
    r"osteopor\w*|osteopeni\w*|brittle|(?:thin|weak|fragile) bones|bones are (?:weak|thin|"
    r"fragile|brittle)|steroid\w*|prednis\w*|"
    r"elderly|pensioner|\b(?:i am|aged?) (?:[7-9]\d|1[01]\d)\b|\b[7-9]\d[- ]?(?:years?|yrs?)"
    r"[- ]old\b"
)
_MEDICINE_EFFECT = re.compile(
    r"\b(?:on|from|since (?:starting|taking)|after (?:taking|starting)|with|since (?:they|the "
    r"doctor|my gp|the gp) (?:upped|raised|increased|changed)|(?:gave|give|given|"
    r"prescribed|started)(?: me)?(?: on)?) (?:the |my |this |"
    r"these |a )?(?:new |higher |bigger )?(?:dose of )?(?:\S+ )?" + r"(?:tablets?|pills|"
    r"medication|medicine|meds|pregabalin|gabapentin|amitriptyline|duloxetine|codeine|tramadol|"
    r"morphine|co-?codamol|naproxen|ibuprofen|diclofenac|nsaids?|anti-?inflammator\w*|celecoxib|"
    r"etoricoxib|prednisolone|steroids?|diazepam|oxycodone|nortriptyline|patch(?:es)?|methadone|"
    r"buprenorphine|subutex)\b|"
    r"\b(?:tablets?|pills|medication|meds|pregabalin|gabapentin|amitriptyline|duloxetine|"
    r"codeine|tramadol|morphine|co-?codamol|naproxen|diazepam|oxycodone) (?:\S+ ){0,2}?"
    r"(?:make|makes|made|making|gives?|gave|giving) me"
)


@dataclass(frozen=True)
class SentenceCues:
    """The danger vocabulary's reading of one sentence, for the semantic safety net."""

    not_present: bool  # some finding negated, past, hypothetical or someone else's
    red_flag_words: bool  # any site or symptom word of a red-flag family
    symptom_words: bool  # a symptom, injury or risk word (not only a body site)
    question: bool
    medication_effect: bool  # "dizzy on the pregabalin" (and nothing stronger)
    one_side: bool  # one named side and no word for both legs
    minor_trauma_only: bool  # a minor fall or strain, no major injury, no risk named
    weight_explained: bool  # weight loss with a reason (diet, training)
    injury_words: bool = False  # an injury, a fracture word or a fracture risk is named
    limb_words: bool = False  # a leg or foot, weakness, altered feeling or a dragging foot
    exertion: bool = False  # a named bout of exercise ("leg day", "after the long run")
    injury_denied: bool = False  # "nothing happened to cause it, no falls"
    # altered feeling, weakness, sciatica, both legs, bladder/bowel or sexual trouble
    nerve_words: bool = False


def sentence_cues(a: AnalysedText) -> SentenceCues:
    """Read one analysed sentence for the semantic net (see :mod:`.semantic`)."""
    s = _Scan(a)
    present = {kind for kind, cues in s.cues.items() if cues}
    if _SEX_WORDS.search(s.text):
        present.add("sex")
    not_present = (
        any(not m.active for m in a.mentions)
        or any(not c.active for kind in _CONTEXT_KINDS for c in s.get(kind))
        or bool(_SEX_FINE.search(s.text))
        or bool(_PART_FINE.search(s.text))
    )
    symptom = bool(present & (_SYMPTOM_KINDS | {"sex"}))
    risk = bool(
        _FRACTURE_RISK.search(s.text) or "immuno" in present or a.any_mention("osteoporosis")
    )
    return SentenceCues(
        not_present=not_present,
        red_flag_words=symptom or bool(present & _SITE_KINDS),
        symptom_words=symptom,
        question=s.text.rstrip().endswith("?"),
        # "since starting the co-codamol I've barely been for a poo, constipated": a side effect
        medication_effect=bool(_MEDICINE_EFFECT.search(s.text))
        and (not (present & _STRONG_KINDS) or "constipation" in present),
        one_side=bool(_ONE_SIDE.search(s.text)) and "both_site" not in present,
        minor_trauma_only="trauma_minor" in present and "trauma_major" not in present and not risk,
        weight_explained=bool(s.active("weight_intended")) and not s.get("weight_unintended"),
        injury_words=bool(present & {"trauma_major", "trauma_minor"})
        or risk
        or bool(_FRACTURE_WORD.search(s.text)),
        limb_words=bool(present & {"both_site", "limb_site", "weakness", "foot_drop"}),
        exertion="exertion" in present,
        injury_denied=bool(_NO_INJURY.search(s.text)),
        nerve_words=bool(
            present
            & {
                "sensation",
                "elim_dys",
                "elim_strong",
                "saddle_strong",
                "weakness",
                "foot_drop",
                "sex",
                "radicular",
                "both_site",
            }
        ),
    )


def _tiredness(cue: Cue) -> bool:
    """Words that also describe tired or worked muscles ("legs like jelly after leg day",
    "calves burning after hill walking"), unlike "gave way", "buckled", "cannot lift" or
    numbness, which are events or nerve signs."""
    return bool(_TIRED_WORDS.fullmatch(cue.text))


_TIRED_WORDS = re.compile(
    r"jelly|wobbly|weak\w*|rubber\w*|heavy|heaviness|tired|dead|burn\w*|ach\w*|sore\w*|stiff\w*|"
    r"tight\w*|cramp\w*|like lead"
)


def _overlap(x: Cue, y: Cue) -> bool:
    return x.start < y.end and y.start < x.end


def _texts(*cues: Cue) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.text for c in cues))


def broad_hits(
    a: AnalysedText,
    *,
    age: int | None = None,
    cancer_history: bool = False,
    osteoporosis: bool = False,
    long_term_steroids: bool = False,
    immunosuppressed: bool = False,
) -> list[BroadHit]:
    """Red-flag families fired by the vocabulary in ``a`` (see the module docstring)."""
    s = _Scan(a)
    hits: list[BroadHit] = []

    def hit(code: str, category: str, level: str, *cues: Cue) -> None:
        hits.append(BroadHit(code, category, level, _texts(*cues)))

    pain = s.active("pain")

    # --- bladder and bowel (cauda equina) ---------------------------------------------------
    # whoever takes the painkiller ("Abbu's on co-codamol … hasn't had a poo in 5 days")
    medication = any(not c.hypothetical for c in s.get("medication"))
    stress = stress_incontinence(s.text)
    elim: list[Cue] = [
        c
        for c in s.active("elim_strong")
        if not _sweat_soaked(s, c, c)
        and not (stress and WETTING.search(c.text))
        # "since I take the codeine I cannot poo for 5 days": a side effect (routine)
        and not (medication and any(_overlap(c, k) for k in s.active("constipation")))
    ]
    elim_sites = [x for x in s.get("elim_site") if not x.other_person]
    for dys, site in s.pairs(s.active("elim_dys"), elim_sites, 12):
        if dys.text == "nothing" and s.text.startswith(" since", dys.end):
            continue  # "a wee accident once …, nothing since"
        if _PAIN_WONT_GO.match(s.text, max(0, dys.start - 5)) or (
            site.negated
            and _NO_BEFORE.search(s.text, max(0, site.start - 20), site.start)
            and s.distance(dys, site) > 3
        ):
            # "no bladder problems no fever it just won't go", "no bladder stuff, just won't
            # go": the pain won't go
            continue

        if stress and WETTING.search(dys.text):
            continue  # leaking with a laugh or cough after a birth: the pelvic floor
        if _compiled("sensation").fullmatch(dys.text) and s.site_of(dys) in (
            "limb_site",
            "both_site",
        ):
            continue  # "my leg went numb sat on the toilet": the leg's feeling
        if MOBILITY_AFTER.match(s.text[dys.end : dys.end + 40]) and dys.start < site.start:
            continue  # "hard to get off the toilet", "cannot reach to wipe": moving, not voiding
        if MOBILITY_BEFORE.search(s.text[max(0, site.start - 30) : site.start]) and (
            site.start < dys.start
        ):
            continue  # "getting up off the toilet is hard"
        if medication and s.active("constipation"):
            continue  # constipation on painkillers is a side effect (routine)
        if _CLOTHES.fullmatch(site.text) and not _WETNESS.match(dys.text):
            continue  # clothes show wetness, not feeling: "numb patch worse in tight jeans"
        if _sweat_soaked(s, dys, site):
            continue  # "sheets soaked with sweat": night sweats (the fever family), not urine
        sentence = _sentence_of(s, dys.start)
        if (_LOOSE.search(sentence) and _FELT_COMING.search(sentence)) or _FAT_LEAK.search(s.text):
            continue  # loose stools the writer feels coming, or orlistat's oily leaks
        elim += [dys, site]
    if elim:
        hit("ces_bladder_bowel", "cauda_equina", "emergency", *elim)

    # --- saddle area and sexual function ------------------------------------------------------
    saddle = list(s.active("saddle_strong"))
    for feel in s.active("sensation"):
        if s.site_of(feel) == "saddle_site":
            sites = [x for x in s.get("saddle_site") if s.sentence(x) == s.sentence(feel)]
            saddle += [feel, *sites[:1]]
    # the feeling named a sentence before and now placed in the saddle: "Usually my pins and
    # needles are hands and feet … Today it's in my bum cheeks and round my private parts"
    for site in s.active("saddle_site"):
        if not _IT_IS_IN.search(s.text, max(0, site.start - 30), site.start):
            continue
        # (the feeling may be the writer's known baseline: "normally just in my feet")
        feelings = [
            f for f in s.get("sensation") if f.mine and 0 <= s.sentence(site) - s.sentence(f) <= 1
        ]
        if feelings:
            saddle += [feelings[0], site]
    # … or the seat named first and the feeling in a short sentence after it: "me bum where I
    # sit feels like it belongs to some other geezer. Numb as a plank."
    for feel in s.active("sensation"):
        if s.site_of(feel) is not None or len(_sentence_of(s, feel.start).split()) > 6:
            continue
        seats = [x for x in s.active("saddle_site") if s.sentence(x) == s.sentence(feel) - 1]
        if seats:
            saddle += [feel, seats[-1]]
    if saddle:
        hit("ces_saddle_anaesthesia", "cauda_equina", "emergency", *saddle)

    sex = _sexual(s)
    if sex:
        hit("ces_sexual_dysfunction", "cauda_equina", "emergency", *sex)

    # --- legs ----------------------------------------------------------------------------------
    exertion = s.active("exertion")
    deficits: list[Cue] = []  # numbness or weakness in a limb (for trauma and progression)
    both: list[Cue] = []
    for kind in ("sensation", "weakness", "radicular"):
        for cue in s.active(kind):
            where = s.site_of(cue)
            if where is None:
                continue
            if kind != "radicular" and where in ("both_site", "limb_site"):
                deficits.append(cue)
            if where == "both_site":
                if _tiredness(cue) and any(s.near(cue, e, 10) for e in exertion):
                    continue  # "legs like jelly after the gym" (over-use, not nerves)
                if claudication_symptom(s.text, cue.text):
                    continue  # eased by sitting or bending forward: claudication (routine)
                sites = [x for x in s.get("both_site") if s.sentence(x) == s.sentence(cue)]
                both += [cue, *sites[:1]]
    # "the tingling is creeping. toes on sunday, ankle monday": the limb is in the next sentence
    # (or the one before: "Leg was weak Monday … Today I cannot get up them at all")
    for cue in s.active("sensation") + s.active("weakness"):
        # (not a sentence that says it is not worse: "It's not any worse today but it's
        # definitely weak")
        stable = any(p.negated and s.sentence(p) == s.sentence(cue) for p in s.get("progression"))
        before = () if stable else (s.sentence(cue) - 1,)
        # (a log's day label is a sentence of its own: "Numb patch log\nMon: big toe")
        after = (s.sentence(cue) + 1, s.sentence(cue) + 2)
        if s.site_of(cue) is None and any(
            s.sentence(x) in (*after, *before) and not x.other_person for x in s.get("limb_site")
        ):
            deficits.append(cue)
    # "only in my right leg but tonight the left one has started too": the other side now
    other_side = [x for x in s.active("both_site") if _OTHER_SIDE_TOO.search(x.text)]
    if other_side and not both:
        legs = [c for kind in ("radicular", "sensation") for c in s.active(kind)]
        if legs:
            both += [legs[0], other_side[0]]
    if both:
        hit("ces_bilateral_sciatica", "cauda_equina", "emergency", *both)

    if drop := s.active("foot_drop"):
        hit("foot_drop", "neuro_deficit", "emergency", *drop)
        deficits += drop
    # whose words say "worse" does not matter, only that they describe a deficit near them
    # ("my dad … over the last 3 days it's got a lot worse, now he can barely feel the leg")
    progression = [p for p in s.get("progression") if not (p.negated or p.past or p.hypothetical)]
    progressive = [
        (d, p)
        for d in deficits
        for p in progression
        if (
            s.near(d, p, 10)
            or (s.near(d, p, 40) and _SPREADING.match(p.text))
            # the next sentence or two tell the spread: "Numbness started at my ankle Monday.
            # Now up past my knee. Creeping up a bit more each day."
            # (a log of days: "Mon: big toe … Wed: up to the shin")
            or (0 < s.sentence(p) - s.sentence(d) <= 8 and _SPREAD_ON.match(p.text))
        )
        and not _overlap(d, p)
        and d.kind != "radicular"
        # "can walk further leaning on the trolley": claudication, not a spreading deficit
        and not claudication_symptom(s.text, d.text)
    ]
    clauses_with_deficit = {_clause_no(s, d) for d in deficits}
    if not progressive and len(clauses_with_deficit) > 1:
        # "my leg was a bit weak on Monday, now I can hardly walk on it", "my foot was numb
        # last week and now the whole leg is numb"
        later = max(deficits, key=lambda d: d.start)
        if re.search(
            r"\b(?:now(?! and (?:then|again))|today|this morning)\b",
            s.text[max(0, later.start - 40) : later.end],
        ):
            progressive = [(later, later)]
    if progressive:
        hit("progressive_neuro_deficit", "neuro_deficit", "emergency", *progressive[0])
    weak_limb = [
        w
        for w in s.active("weakness")
        if s.site_of(w) in ("limb_site", "both_site")
        and not (_tiredness(w) and any(s.near(w, e, 10) for e in exertion))
        # "legs ache and feel like jelly, sit down for a bit and it goes", "cannot stand long at
        # the sink, sitting down fixes it": claudication
        and not (
            (_tiredness(w) or re.match(r"c(?:an|ould) ?not stand", w.text))
            and claudication_symptom(s.text, w.text)
        )
    ]
    if weak_limb and not progressive:
        hit("new_leg_weakness", "neuro_deficit", "urgent", *weak_limb)

    # --- trauma --------------------------------------------------------------------------------
    major = [
        t
        for t in s.active("trauma_major")
        if not _compiled("minimiser").search(s.text[max(0, t.start - 30) : t.start])
        and not AS_IF.search(s.text[max(0, t.start - 30) : t.start])
        and not re.match(r"\s+(?:in|on) (?:my |the )?(?:pants|bed|knickers)", s.text[t.end :])
    ]
    any_deficit = deficits + [
        c for c in s.active("sensation") + s.active("weakness") if s.site_of(c) is not None
    ]
    if major and any_deficit:
        hit("trauma_with_neuro_deficit", "fracture", "emergency", *major, *any_deficit[:2])
    elif major and not injury_cleared(s.text):
        hit("fracture_significant_trauma", "fracture", "urgent", *major)
    relief = [m.span() for m in _FLEXION_RELIEF.finditer(s.text)]
    minor = [
        t
        for t in s.active("trauma_minor")
        # "better when I bend forward", "if I sit or bend over it goes off": relief, not injury
        if not any(a <= t.start < b for a, b in relief) and not claudication_posture(s.text, t.text)
    ]
    older = age is not None and age >= 70
    # (a cough when the back is said to be fine is not a fracture: "chesty cough … her back has
    # actually been grand lately")
    if (
        minor
        and (osteoporosis or long_term_steroids or older)
        and not injury_cleared(s.text)
        and not s.active("back_fine")
    ):
        hit("fracture_minor_trauma_risk", "fracture", "urgent", *minor)

    # --- aorta, chest, crisis ---------------------------------------------------------------------
    abdomen = s.active("abdomen")
    aaa: list[Cue] = []
    aaa += [
        t
        for t in s.active("tearing")
        if any(s.near(t, p, 6) for p in pain + abdomen)
        # "like something ripping through my back between the shoulder blades" (a quality of
        # pain; "something tore in my back when I deadlifted" is a strain)
        or (t.text.endswith("ing") and _TEARING_THROUGH.match(s.text, t.end))
        # something tearing inside the back, sudden or severe ("Something rip for inside my
        # back like cloth, sudden, sharp")
        or (
            bool(re.search(r"\bback\b", _sentence_of(s, t.start)))
            and any(s.sentence(x) == s.sentence(t) for x in s.active("sudden") + s.active("severe"))
            and not _STRAIN_TEAR.search(_sentence_of(s, t.start))
        )
        # a simile for the pain in its sentence: "bad pain in his back, he said it was like
        # something tearing"
        # (not "felt like something tore in my back when lifting": a strain)
        or (
            t.text.endswith("ing")
            and bool(_LIKE_BEFORE.search(s.text, 0, t.start))
            and any(s.sentence(p) == s.sentence(t) for p in pain)
        )
    ]
    for pulse in s.active("pulsing"):
        near_belly = [x for x in abdomen + s.active("lump") if s.near(pulse, x, 12)]
        if near_belly and (abdomen or any(x.kind == "lump" for x in near_belly)):
            aaa += [pulse, *near_belly[:1]]
    # not the organ found normal: "CT aorta normal"
    aneurysm = [x for x in s.get("aneurysm") if x.mine and not (x.negated and "aort" in x.text)]
    if aneurysm and (pain or s.active("severe") or s.active("sudden")):
        aaa += aneurysm
    sudden, severe, collapse = s.active("sudden"), s.active("severe"), s.active("collapse")
    older_or_unknown = age is None or age >= 50
    if abdomen and pain and (collapse or (sudden and older_or_unknown)):
        aaa += [*abdomen[:1], *sudden[:1], *collapse[:1]]
    syncope = [c for c in collapse if is_syncope(s.text, c.start, c.text)]
    if pain and syncope:
        aaa += [*syncope[:1], *pain[:1]]  # fainting with back pain: possible rupture
    elif (
        pain
        and len({c.text for c in collapse}) >= 2
        and any(re.match(r"faint|clammy|pass|black", c.text) for c in collapse)
    ):
        # faint and clammy (or sweaty) with back pain, however it is described: "back pain +
        # feeling super clammy n faint rn", "felt really faint and sweaty and had to lie on
        # the floor"
        aaa += [*collapse[:2], *pain[:1]]
    elif pain and collapse and (sudden or severe):
        # … or the look of shock: "gone grey and sweaty", "clammy", "white as a sheet"
        shock = [c for c in collapse if _SHOCK.match(c.text)]
        fainting = [
            c
            for c in collapse
            if re.match(r"faint|pass|collaps|black|nearly|almost|keel|going", c.text)
        ] + (shock if len(collapse) >= 2 or any(c.text.startswith("clammy") for c in shock) else [])
        if fainting or abdomen:
            aaa += [*collapse[:1], *(sudden or severe)[:1]]
    if aaa:
        hit("aaa_severe_abdominal_back_pain", "aaa", "emergency", *aaa)
    elif abdomen and pain and severe and not s.a.has("medication_side_effect"):
        hit("severe_abdominal_back_pain", "aaa", "urgent", *abdomen[:1], *severe[:1])

    chest = [
        (c, q)
        for c, q in s.pairs(s.active("chest"), s.active("chest_quality"), 8)
        if not re.match(r"\s+infection", s.text[c.end :])
        # "… for my chest and my back aches": the ache belongs to the back named just before it
        and not (
            q.start > c.end
            and re.search(r"\b(?:back|spine|legs?|neck|hips?)\s+(?:\S+\s+)?\Z", s.text[: q.start])
        )
    ]
    chest += [(c, c) for c in s.active("chest") if "attack" in c.text or "jaw" in c.text]
    if chest:
        hit("chest_pain", "cardiac", "emergency", *chest[0])

    crisis = [
        c
        for c in s.get("crisis")
        if not c.other_person
        # "my back is all better now and I will not need the app any more"
        and not (_NO_LONGER_NEEDED.match(c.text) and _RECOVERED.search(s.text))
        # "is it true that chronic pain can make people suicidal?" asks about people in general
        and not general_crisis_question(s.text, c.start, c.end)
    ]
    # a conditional does not make thoughts of dying safe: "if I was gone nobody would care"
    if [
        c
        for c in crisis
        if not (c.negated or c.past or about_people_in_general(s.text, c.start, c.end))
        # "Feel like a burden to everyone. No, I'm not going to do anything stupid": a
        # warning sign with the intent denied is for a call today, not an ambulance
        and not (_SHORT_OF_INTENT.fullmatch(c.text) and _INTENT_DENIED.search(s.text))
    ]:
        hit("suicidal_thoughts", "crisis", "emergency", *crisis)
    elif not_denied := [c for c in crisis if not c.negated]:
        # past or asked about: urgent; only denied ("not feeling suicidal") counts as no flag
        hit("suicide_mentioned", "crisis", "urgent", *not_denied)

    # --- infection ------------------------------------------------------------------------------
    back_fine = bool(s.active("back_fine"))
    fever = [
        f
        for f in s.active("fever")
        if f.text not in ("infection", "infected")
        # "took my temperature because I was panicking - 36.8, normal"
        and not ("temp" in f.text and _NORMAL_TEMPERATURE.search(_sentence_of(s, f.start)))
        # sweats the writer explains or has measured: "hot flushes at night, drenched, but no
        # temperature - I checked with the thermometer twice"
        and not (_SWEAT.fullmatch(f.text) and _SWEATS_EXPLAINED.search(_sentence_of(s, f.start)))
    ]
    if fever and pain and not back_fine:
        hit("infection_fever", "infection", "urgent", *fever)
    if (ivdu := s.active("ivdu")) and pain:
        hit("infection_iv_drug_use", "infection", "urgent", *ivdu)
    # "injection in my spine … 5 days ago. Now the place is red and hot" (two sentences)
    wound = [
        (p, w)
        for p in s.mine("procedure")
        for w in s.active("wound_sign")
        if s.distance(p, w) <= 20 and abs(s.sentence(p) - s.sentence(w)) <= 1
    ]
    if wound:
        hit("infection_after_procedure", "infection", "urgent", *wound[0])
    immuno = immunosuppressed or bool(s.mine("immuno"))
    unwell = [f for f in s.active("fever")]
    if immuno and unwell and not fever:
        hit("infection_fever", "infection", "urgent", *unwell)

    # --- malignancy -----------------------------------------------------------------------------
    cancer = [
        c
        for c in s.get("cancer")
        if c.mine
        and not c.negated
        and not any(s.near(c, d, 6) for d in s.active("cancer_doubt"))
        # "My MRI came back clear!! No spread, the back pain was just a pulled muscle"
        and not _SCAN_CLEAR.search(s.text)
        and not _other_illness_in_remission(s, c)
    ]
    chronic = s.active("chronic_pain")
    # (not a side effect: "the anastrozole is making my knees ache")
    own_pain = [p for p in pain if not SIDE_EFFECT_SAID.search(_sentence_of(s, p.start))]
    if (cancer or cancer_history) and own_pain and not chronic:
        hit("malignancy_cancer_history", "malignancy", "urgent", *cancer, *own_pain[:1])
    weight = s.active("weight_loss")
    if weight and (s.active("weight_unintended") or not s.mine("weight_intended")):
        hit("malignancy_weight_loss", "malignancy", "urgent", *weight)
    night = s.active("night")
    # (not what the writer does all the time: "I move patients all the time")
    unrelenting = [
        u
        for u in s.active("unrelenting")
        if not _DOING_ALL_THE_TIME.search(s.text, max(0, u.start - 40), u.start)
        # (nor a night spent reading: "spent all night on Google")
        and not _NIGHT_SPENT.match(s.text, u.end)
        and not s.text.endswith("spent ", 0, u.start)
    ]
    if night and unrelenting and pain:
        hit("malignancy_night_pain", "malignancy", "urgent", *night[:1], *unrelenting[:1])
    return hits


# Leaking with a laugh, cough or sneeze after a birth: the pelvic floor, not cauda equina.
WETTING = re.compile(
    r"\b(?:wet|wetting|leak\w*|dribbl\w*|pee(?:d)? myself|wee(?:d)? myself|accidents?)\b"
)
_STRESS_TRIGGER = re.compile(
    r"\b(?:laugh\w*|cough\w*|sneez\w*|jump\w*|trampolin\w*|skipping|running|ran|lifting)\b"
)
_NOT_STRESS = re.compile(
    r"\b(?:not|never|nothing to do with|without) (?:\S+ )?(?:when|with|from|while)? ?(?:i )?"
    r"(?:laugh|cough|sneez|jump)\w*|\bwithout (?:any )?(?:warning|feeling|noticing|knowing)|"
    r"\bdid not (?:feel|notice|know)|\bjust randomly\b"
)
_AFTER_BIRTH = re.compile(
    r"\b(?:baby is|baby was born|since (?:having|the birth|giving birth)|gave birth|postnatal|"
    r"post-?natal|postpartum|post-partum|newborn|c-?section|pelvic floor|had (?:my|the|our|a) "
    r"baby|(?:weeks?|months?) (?:old|postpartum|post ?natal|after (?:the )?birth)|"
    # "stress incontinence since my kids were born (youngest is 12)"
    r"(?:kids|children|babies|twins|baby|son|daughter) (?:were|was) born|after (?:having )?"
    r"(?:the |my )?(?:babies|kids|children|births?)|stress incontinence)\b"
)


_IT_IS_IN = re.compile(
    r"\b(?:it|they|this|that)(?: is| are| has| have)?(?: now| also| gone| moved| spread| "
    r"spreading| got| come)?(?: up| down)? (?:in|into|round|around|to|on) (?:my |the |both )?\Z"
)


def stress_incontinence(text: str) -> bool:
    """True when a message tells leaking brought on by a laugh, cough, sneeze or jump after a
    birth (stress incontinence of the pelvic floor, a routine matter, NICE NG210), and not
    leaking "without any warning, not when coughing"."""
    return bool(
        _STRESS_TRIGGER.search(text) and _AFTER_BIRTH.search(text) and not _NOT_STRESS.search(text)
    )


# Bowels that are loose but felt coming ("loose after anything fatty … I always feel it
# coming", after a gastric bypass): diarrhoea with warning, not the lost sensation of cauda
# equina. Orlistat's oily leaks are the medicine's known effect.
_LOOSE = re.compile(r"\b(?:loose|diarrh\w*|runny|the runs)\b")
_FELT_COMING = re.compile(r"\b(?:always|can|still|do) (?:\S+ )?feel (?:it|them|when)\b")
_PAIN_WONT_GO = re.compile(r"just (?:will|would) not go\b")
_FAT_LEAK = re.compile(r"\b(?:orlistat|xenical|alli)\b")
# a night spent on something else: "spent all night on Google", "up all night with him" (a
# poorly child)
_NIGHT_SPENT = re.compile(
    r" (?:on|reading|googling|scrolling|worrying|looking|searching|with (?:him|her|them|the "
    r"(?:baby|kids?|children)|my (?:son|daughter|baby|little one|kids?|children)))\b"
)
_DOING_ALL_THE_TIME = re.compile(
    r"\b(?:i|we|you) (?:\S+ )?(?:move|lift|carry|turn|push|pull|drive|use|do|work|sit|stand|bend|"
    r"handle|type|play|train|run|walk|cook|clean)\b(?:\s+\S+){0,4}\s+\Z"
)
_SCAN_CLEAR = re.compile(
    r"\b(?:mri|scan|ct|pet|bone scan|x-?ray)s? (?:\S+ )?(?:came back |was |were |is |are )(?:all )?"
    r"(?:clear|normal|fine)\b(?![^.!?]*\b(?:but|except|apart from)\b)|\bno spread\b"
)
# Illnesses other than cancer that go into remission
_REMITTING = re.compile(
    r"\b(?:crohn\w*|colitis|ibd|inflammatory bowel|rheumatoid|ra|lupus|sle|ms|multiple sclerosis|"
    r"psoriasis|psoriatic|eczema|depression|nephrotic|vasculitis|sarcoid\w*|drinking|alcohol\w*|"
    r"addiction|gout)\b"
)
_CANCER_NAMED = re.compile(
    r"\b(?:cancer\w*|tumou?r\w*|leuk(?:a)?emia|lymphoma|myeloma|melanoma|sarcoma|carcinoma|"
    r"malignan\w*|chemo\w*|radiotherapy|oncolog\w*)\b"
)


def _other_illness_in_remission(s: _Scan, cue: Cue) -> bool:
    """ "Had Crohn's since I was 20 but in remission": remission from an illness that is not
    cancer, when the sentence names that illness and no cancer."""
    if cue.text != "in remission":
        return False
    body = _sentence_of(s, cue.start)
    return bool(_REMITTING.search(body)) and not _CANCER_NAMED.search(body)


_BEDDING = re.compile(r"(?:the )?(?:sheets|bed|mattress|pyjamas|duvet)\b")
# sweat, or the fever it comes with: "roasting one minute and shivering the next, soaked the
# sheets through", "I wake every night wringing wet"
_SWEAT = re.compile(
    r"\b(?:sweat\w*|perspir\w*|drenched|wringing wet|clammy|shiver\w*|fever\w*|feverish|"
    r"chills|rigou?rs|roasting|temperature|temp|hot and cold)\b"
)


def _clause_no(s: _Scan, cue: Cue) -> int:
    for i, clause in enumerate(s.a.clauses):
        if clause.start <= cue.start < max(clause.end, clause.start + 1):
            return i
    return -1


def _sweat_soaked(s: _Scan, dys: Cue, site: Cue) -> bool:
    """Wet bedding explained by sweat or fever in the message ("sheets soaked with sweat")."""
    if not (_BEDDING.search(site.text) or _BEDDING.search(dys.text)):
        return False
    body = s.text
    return bool(_SWEAT.search(body)) and not re.search(
        r"\b(?:pee(?:s|d|ing)?|wee(?:s|d|ing)?|urin\w*|piss\w*|wet myself|wet the bed)\b", body
    )


def _sexual(s: _Scan) -> list[Cue]:
    """Loss of erection, orgasm or genital feeling (not pain during sex, not questions)."""
    text = s.text
    found: list[Cue] = []
    toilet = bool(s.get("elim_site")) or bool(s.get("constipation"))
    matches = list(_SEX_STRONG.finditer(text))
    # "could not finish" counts when the sentence is about sex ("had sex with my wife last
    # night, I could not finish"); "it doesn't finish" is a learner's "it doesn't stop"
    matches += [
        m for m in _CANNOT_FINISH.finditer(text) if _SEX_WORDS.search(_sentence_of(s, m.start()))
    ]
    for match in matches:
        cue = _cue_at(s, "sex", match.start(), match.end())
        if re.search(r"\b(?:come|cum)$", cue.text) and (
            toilet or _THING_BEFORE.search(text, max(0, cue.start - 30), cue.start)
        ):
            continue  # "I need to go, it just won't come", "the email does not come"
        if cue.active:
            found.append(cue)
    return found


# Things that do not come: "the email does not come", "the bus did not come"
_THING_BEFORE = re.compile(
    r"\b(?:e-?mail|mail|code|text|message|link|letter|post|parcel|delivery|bus|train|taxi|reply|"
    r"answer|notification|reminder|results?|appointment|sms|password|verification|money|"
    r"payment|nurse|doctor|ambulance|physio)s? (?:still |just |really |never |even )?\Z"
)
_CANNOT_FINISH = re.compile(
    r"\b(?:cannot|could not|can not|unable to|not able to|struggl\w* to|did not|could hardly|"
    r"can hardly) (?:\S+ ){0,2}?finish\b"
)
_SEX_STRONG = re.compile(
    # "hubby noticed I can't feel anything during"
    r"\b(?:(?:cannot|could not|can not|do not|did not) feel (?:anything|a thing|much) during"
    r"(?= *(?:[.!?]|$|[^\w\s]))|"
    r"impoten\w*|erectile|(?:cannot|could not|can not|unable to|not able to|not be able to|"
    r"can no longer|"
    r"no longer|struggl\w* to|difficult\w* to|trouble|problems?|hard to|can hardly|can barely|"
    r"did not|do not|does not|will not|would not|have not|has not|never) (?:\S+ ){0,3}?"
    # "get it up", not "get up for work"
    r"(?:get (?:it up|hard)|getting (?:it up|hard)|keep (?:it up|it hard|hard)|stay hard|"
    # "finish" only about sex: "it doesn't finish" is a learner's "it doesn't stop"
    r"erect\w*|climax\w*|orgasm\w*|ejaculat\w*|finish (?:during|in|when having|with) (?:sex|bed|"
    r"intercourse|my (?:partner|wife|husband|girlfriend|boyfriend))|perform|"
    r"(?:come|cum)(?= *(?:$|[.,;!?]|during|when|while|anymore|any more|at all|properly|with "
    r"(?:my )?(?:partner|wife|husband|girlfriend|boyfriend)))|"
    r"feel (?:\S+ ){0,3}?(?:during|in|when|while) (?:sex|intercourse|bed|making love))|"
    # "I cannot feel much at all when I climax"
    r"(?:cannot|could not|can not|do not|did not|can hardly|can barely) (?:really |properly )?"
    r"feel (?:\S+ ){0,4}?(?:when|while|during) (?:i )?(?:climax|orgasm|come|cum|have sex|"
    r"having sex|ejaculat\w*)|"
    r"(?:erections?|erect) (?:\S+ ){0,2}?(?:stopped|gone|disappeared|not working|weak\w*|"
    r"soft|problems?|issues?|trouble|difficult\w*|dysfunction)|"
    r"(?:no|lost|loss of|reduced|weak\w*|soft|no more) (?:\S+ )?(?:erections?|orgasms?|"
    r"climax|sensation during sex|feeling during sex|sex drive and feeling)|"
    r"(?:sex|intercourse|making love|orgasms?|climax) (?:\S+ ){0,3}?(?:feels? )?(?:numb|"
    r"nothing|dead|different|no feeling|no sensation|cannot feel|could not feel|do not feel|"
    r"did not feel)|"
    r"(?:numb|no feeling|no sensation|cannot feel|could not feel|did not feel|not feel) "
    r"(?:\S+ ){0,4}?(?:during|in|with|when having|while having) (?:sex|intercourse|bed)|"
    # "my manhood no dey work at all"
    r"(?:manhood|penis|willy) (?:\S+ ){0,2}?(?:is not|does not|do not|will not|no longer) "
    r"(?:\S+ )?(?:work|working|stand|rise|get hard)\b|"
    r"(?:limp|floppy|soft) (?:down there|penis|willy)|(?:penis|willy) (?:\S+ )?(?:limp|floppy|"
    r"dead|numb|soft|will not|does not|cannot))(?![a-z])"
)


def _sentence_of(s: _Scan, position: int) -> str:
    """The text of the sentence holding ``position``."""
    number = s.a.sentence_of(position)
    parts = [c for c in s.a.clauses if c.sentence == number]
    return s.text[parts[0].start : parts[-1].end] if parts else ""


def _cue_at(s: _Scan, kind: str, start: int, end: int) -> Cue:
    cores = [(m.start, m.end) for m in s.a.mentions] + [
        (c.start, c.end) for cues in s.cues.values() for c in cues
    ]
    m = mention_context(kind, "current", False, s.text, s.a.clauses, start, end, cores)
    return Cue(
        kind, start, end, s.text[start:end], m.negated, m.past, m.hypothetical, m.other_person
    )
