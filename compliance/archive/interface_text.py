"""Text a site or a plugin puts on every page, which is no story's text: cookie consent,
legal disclaimers, affiliate and commission notices, newsletter and subscription plugs,
author bios.

Boundary: this module only says whether one paragraph reads as such text; alignment
(alignment.prepare) leaves those paragraphs out on both sides, so they are never evidence
that a page copies an original (a common consent plugin's text on a sibling page is not a
copy of it) and never "added" or "dropped". The archive's own shared paragraphs are found by
counting (index_build); these are found by what they say, so they hold on a site nobody
counted.
"""

from __future__ import annotations

import re

INTERFACE_WORDS = 120  # longer paragraphs are the story's own text, whatever they mention

_PATTERNS = (
    # cookie and privacy consent
    r"\b(?:we|this (?:web)?site|our (?:web)?site|our partners) uses? cookies\b",
    r"\b(?:accept|allow|reject|manage) (?:all )?(?:cookies|your (?:cookie )?preferences)",
    r"\bby (?:continuing|clicking|using) (?:to (?:browse|use) )?(?:this|our) (?:web)?site",
    r"\b(?:cookie|privacy) (?:policy|settings|notice)\b.{0,80}\b(?:consent|agree|accept)",
    r"\bconsent to (?:the use of |our use of )?cookies\b",
    r"\b(?:necessary|essential|functional|analytics|performance|advertising|"
    r"third[- ]party|tracking|non-necessary) cookies\b",
    r"\bcookies (?:are|help|allow|enable|collect|store|may)\b[^.]{0,80}\b(?:website|"
    r"site|browser|browsing)\b",
    # disclaimers
    r"\b(?:the )?(?:views|opinions) (?:and opinions )?expressed (?:in this|here|by)",
    r"\bfor (?:general )?informational purposes only\b",
    r"\b(?:does not|do not|is not intended to) constitute (?:financial|legal|medical|"
    r"investment|professional) advice\b",
    r"\bnot (?:intended as |meant as )?a substitute for professional\b",
    # affiliate and commission notices
    r"\bwe may (?:earn|receive|get) (?:a )?(?:small )?(?:commission|compensation|"
    r"share of sales)",
    r"\baffiliate (?:links?|commissions?|partnerships?)\b",
    r"\b(?:affiliate|referral)(?: and/or (?:affiliate|referral))? links?\b",
    r"\bas an amazon associate\b",
    # newsletter and subscription plugs
    r"\bsign up (?:for|to) (?:our|the|my) [^.]{0,60}newsletter",
    r"\b(?:delivered|sent|straight)(?: straight| right)? (?:to|through|into) your"
    r" (?:inbox|letterbox|mailbox|door)\b",
    r"\b\d+ issues for\b",
    # comment calls and plugs, in the languages the corpora hold most
    r"\b(?:leave|post|share|add) (?:a|your) (?:comment|reply|thoughts below)\b",
    r"\bdeixe (?:o )?(?:seu|sua|suas|seus) (?:coment|dúvidas|opini)",
    r"\breceba (?:em|no) (?:seu )?e-?mail\b|\binscreva-se\b|\bsuscr[íi]bete\b",
    r"\babonnez-vous\b|\bnewsletter (?:abonnieren|bestellen)\b",
    r"\bsubscribe (?:now |today )?(?:to|for) (?:our|the) [^.]{0,40}"
    r"(?:newsletter|updates|digital|subscription)",
    r"\bsupport (?:our|independent|local) journalism\b.{0,80}\b(?:donat|subscri|member)",
    # author bios
    r"\bmy name is [A-Z][\w'’-]+ and I\b|\bthank(?:s| you) for stopping by\b",
    r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3} (?:is|was) (?:a|an|the) [^.]{0,60}"
    r"\b(?:reporter|writer|editor|correspondent|journalist|columnist|contributor)\b",
)
_INTERFACE = re.compile("|".join(_PATTERNS), re.IGNORECASE)


# A word each pattern above cannot match without (lower case): most of a story's paragraphs
# hold none, and the substring tests cost a fraction of the expression's search, which tries
# every pattern at every position (it was three quarters of matching a copy's text).
_NEEDED = (
    "cookie", "preferences", "site", "privacy", "expressed", "informational", "constitute",
    "substitute", "commission", "compensation", "share of sales", "affiliate", "referral", "amazon",
    "newsletter", "inbox", "letterbox", "mailbox", "door", "issues for", "comment", "reply",
    "thoughts", "deixe", "mail", "inscreva", "suscr", "abonnez", "subscri", "journalism",
    "my name is", "stopping by", "reporter", "writer", "editor", "correspondent",
    "journalist", "columnist", "contributor",
)  # fmt: skip


def is_interface_text(text: str) -> bool:
    """Whether a paragraph reads as a site's interface or legal boilerplate, not a story's."""
    if text.count(" ") >= INTERFACE_WORDS:
        return False
    lowered = text.lower()
    return any(word in lowered for word in _NEEDED) and bool(_INTERFACE.search(text))
