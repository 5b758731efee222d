"""Remote physiotherapy, pure parts: exercise library with keyframed demonstrations
(:mod:`.figure`, :mod:`.library`), programme templates (:mod:`.programmes`) and adherence
arithmetic (:mod:`.adherence`). No web framework or database imports here.
"""
