"""Answer citizens' questions from the agency's own standard: an index of a pack and a ranker over it.

Pure (no I/O beyond reading the package's ``lexicon.yaml`` once): ``index_for(pack)`` builds the index once per
loaded pack; ``understand(index, text)`` says which fact of which service a message asks for, or what to ask.
"""
from bot.answering.index import AGENCY_KINDS, CHANNEL_KINDS, KINDS, SERVICE_KINDS, TEXT_KINDS, Index, build_index, index_for
from bot.answering.rank import Understanding, language, resolve, service_match, understand

__all__ = ["AGENCY_KINDS", "CHANNEL_KINDS", "KINDS", "SERVICE_KINDS", "TEXT_KINDS", "Index", "Understanding",
           "build_index", "index_for", "language", "resolve", "service_match", "understand"]
