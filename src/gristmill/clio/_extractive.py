"""Facets without an LLM: each main facet computed by an extractor Gristmill already has.

- Request (and Summary): the first user turn (the data's text when it is no chat) condensed
  extractively: its first sentence, plus the first sentence that asks for something when that
  is a different one, cut to ``REQUEST_WORDS`` words, with personal data replaced by its kind
  (``[EMAIL]``) by the PII signal: the text is the user's own words, so unlike an LLM's answer
  nothing else keeps names and numbers out.
- Language: the language detector of ``gristmill.signals`` over what the user asked (the
  condensed requests; the whole turns when those are too short to tell), as the full English
  name of the language ("English"), as the paper's Language facet answers.
- Task: the conversation's most distinctive key phrases among all the conversations (c-TF-IDF of
  the user's condensed requests, ``gristmill.cluster.top_terms``).
- Concerning: the built-in toxicity concept's probability for the user's most toxic turn (the
  first ``CONCERNING_TURNS`` turns, ``CONCERNING_CHARS`` characters of each; a first turn that
  the Request facet kept whole is read as that value, so a run sharing its vectors
  (``RunVectors``) embeds it once), in five equal bands: below 0.2 is 1 (not concerning) ...
  0.8 and above is 5. The concept scores embeddings; ``minilm`` (the default) is the more
  accurate, ``wordllama`` about 70 times faster: ``benchmarks/results/clio.md`` measures both
  on HH-RLHF red-team chats against UltraFeedback chats and on Davidson's offensive tweets
  against ordinary ones, data nothing here was set on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from gristmill.clio._config import Facet
from gristmill.clio._conversations import Conversation, data_text, user_texts
from gristmill.clio._privacy import scrub_texts
from gristmill.cluster import top_terms
from gristmill.concepts import BUILTIN_NAMESPACE, get_concept
from gristmill.embed import EmbeddingModel, get_embedding
from gristmill.errors import InvalidInputError
from gristmill.signals import LangDetectionSignal

ExtractedValue = str | int | None

REQUEST_WORDS = 40
TASK_TERMS = 3
# Characters of each user turn read by the slower extractors (embedding, phrases): what a turn
# is about shows in its start, and a pasted document must not cost more than a question.
HEAD_CHARS = 2000
# The embedding reads at most 256 tokens, and its cost grows with the text: a turn's start shows
# whether it is toxic, and a red-team conversation says what it wants within a few turns.
CONCERNING_CHARS = 256
CONCERNING_TURNS = 4
CONCERNING_EMBEDDING = "minilm"
CONCERNING_BANDS = 5
MIN_SENTENCE_WORDS = 4
# Fewer letters than this in the condensed request, and the language is read from whole turns.
LANGUAGE_MIN_LETTERS = 40

_CODE_BLOCK = re.compile(r"```.*?(```|$)", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_ASKS = re.compile(
    r"\?\s*$|\b(please|can you|could you|would you|will you|your (job|task|goal) is|you (need|have)"
    r" to|i need|i want|i'd like|i would like|help me|let's|lets)\b",
    re.IGNORECASE,
)
_IMPERATIVE = re.compile(
    r"^(write|explain|create|generate|give|list|describe|translate|summari[sz]e|tell|find|provide"
    r"|rewrite|convert|classify|answer|solve|calculate|compute|design|suggest|compose|draft|make"
    r"|identify|determine|compare|edit|fix|implement|build|plan|recommend|analy[sz]e|name|show"
    r"|how|what|why|when|where|which|who|is|are|do|does|should)\b",
    re.IGNORECASE,
)


def extractable_facets() -> tuple[str, ...]:
    """Names of the facets this mode can compute (case does not matter)."""
    return tuple(sorted(_EXTRACTORS))


def extract_without_llm(
    facets: Sequence[Facet],
    data: Sequence[Any],
    conversations: Sequence[Conversation | None],
    *,
    embedding: str = CONCERNING_EMBEDDING,
    shared: EmbeddingModel | None = None,
) -> dict[str, list[ExtractedValue]]:
    """Each facet's value for each data point (``conversations[i]`` is ``data[i]`` normalised,
    or None when it is no chat); ``embedding`` is the one the toxicity concept scores with.
    ``shared``: the run's embedding model (e.g. a ``RunVectors``), used for the concept when it
    is the same model as ``embedding``, so texts it embeds again later are not paid twice."""
    unknown = [f.name for f in facets if f.name.strip().lower() not in _EXTRACTORS]
    if unknown:
        raise InvalidInputError(
            f"no LLM-free extractor for facet {', '.join(repr(n) for n in unknown)}",
            hint=f"without an LLM the facets can be {', '.join(extractable_facets())};"
            " pass llm=... to answer other questions",
        )
    turns = [
        user_texts(c) if c is not None else [data_text(point)]
        for point, c in zip(data, conversations, strict=True)
    ]
    names = {facet.name.strip().lower() for facet in facets}
    # The condensed first turns: the Request facet, and what Concerning reads when kept whole.
    requests = _requests(turns) if names & {"request", "concerning"} else []
    found: dict[str, list[ExtractedValue]] = {}
    for facet in facets:
        name = facet.name.strip().lower()
        if name == "request":
            found[facet.name] = list(requests)
        elif name == "concerning":
            model = _concerning_model(embedding, shared)
            found[facet.name] = concerning_levels(turns, requests, embedding, model)
        else:
            found[facet.name] = _EXTRACTORS[name](turns)
    return found


def _concerning_model(embedding: str, shared: EmbeddingModel | None) -> EmbeddingModel:
    model = get_embedding(embedding)
    if shared is not None and shared.model_id == model.model_id:
        return shared
    return model


def condense_request(text: str, max_words: int = REQUEST_WORDS) -> str | None:
    """The sentences of ``text`` that say what is asked, at most ``max_words`` words."""
    text = _CODE_BLOCK.sub(" ", text)
    sentences = _sentences(text)
    if not sentences:
        return None
    first = sentences[0]
    asking = next((s for s in sentences if _ASKS.search(s) or _IMPERATIVE.match(s)), first)
    chosen = first if asking is first else f"{first} {asking}"
    words = chosen.split()
    if len(words) > max_words:
        return " ".join(words[:max_words]) + "…"
    return " ".join(words)


def _sentences(text: str) -> list[str]:
    """Sentences with letters; a fragment of a few words ("Q: U.S.", split at an abbreviation's
    full stop) is joined to the next."""
    sentences: list[str] = []
    pending = ""
    for raw in _SENTENCE_END.split(text):
        piece = raw.strip()
        if not any(char.isalpha() for char in piece):
            continue
        pending = f"{pending} {piece}" if pending else piece
        if len(pending.split()) >= MIN_SENTENCE_WORDS:
            sentences.append(pending)
            pending = ""
    if pending:
        sentences.append(pending)
    return sentences


def _requests(turns: list[list[str]]) -> list[ExtractedValue]:
    condensed = [condense_request(user[0]) if user else None for user in turns]
    return [*scrub_texts(condensed)]


def _summaries(turns: list[list[str]]) -> list[ExtractedValue]:
    return [*scrub_texts([condense_request(" ".join(user)) if user else None for user in turns])]


def _languages(turns: list[list[str]]) -> list[ExtractedValue]:
    heads = [_language_sample(user) for user in turns]
    detected = LangDetectionSignal().compute(heads)
    return [None if d is None else language_name(d["language"]) for d in detected]


def _language_sample(user: list[str]) -> str | None:
    """What the user asked, when long enough to tell its language: a request written in English
    around examples in Spanish is an English conversation."""
    if not user:
        return None
    asked = " ".join(filter(None, (condense_request(text) for text in user)))
    if sum(char.isalpha() for char in asked) >= LANGUAGE_MIN_LETTERS:
        return asked[:HEAD_CHARS]
    return " ".join(user)[:HEAD_CHARS]


def language_name(code: str) -> str | None:
    """The English name of an ISO 639 code from the detector (the code itself if unnamed)."""
    if code == "zxx":  # "no linguistic content"
        return None
    return LANGUAGE_NAMES.get(code, code)


def _tasks(turns: list[list[str]]) -> list[ExtractedValue]:
    # Phrases of what was asked, not of the material pasted around it (examples, documents).
    groups = [[condense_request(text) or "" for text in user] for user in turns]
    terms = top_terms(groups, num_terms=TASK_TERMS)
    return [", ".join(words) if words else None for words in terms]


def concerning_levels(
    turns: list[list[str]],
    requests: Sequence[ExtractedValue],
    embedding: str = CONCERNING_EMBEDDING,
    model: EmbeddingModel | None = None,
) -> list[ExtractedValue]:
    """The Concerning facet (1-5) of each conversation from its user ``turns``; ``requests``
    are the first turns condensed and scrubbed (the Request facet), ``model`` embeds for the
    concept (``embedding``'s model, or a shared one with the same weights)."""
    import numpy as np

    flat: list[tuple[int, str]] = []
    for row, user in enumerate(turns):
        heads = [text[:CONCERNING_CHARS] for text in user[:CONCERNING_TURNS]]
        request = requests[row] if row < len(requests) else None
        if user and isinstance(request, str) and request == " ".join(user[0].split()):
            # The same text as the Request facet's value: embedded once when vectors are
            # shared. Only when it is the whole turn: a condensed one reads less of what the
            # user wrote (offensive tweets lost 0.04 ROC-AUC when read condensed).
            heads[0] = request
        flat += [(row, text) for text in heads if text.strip()]
    best = np.full(len(turns), np.nan)
    if flat:
        distinct = list(dict.fromkeys(text for _, text in flat))
        concept = get_concept(BUILTIN_NAMESPACE, "toxicity").model(embedding)
        embedder = model if model is not None else get_embedding(embedding)
        scores = dict(zip(distinct, concept.score_vectors(embedder.embed(distinct)), strict=True))
        for row, text in flat:
            best[row] = np.fmax(best[row], scores[text])
    return [None if np.isnan(p) else concerning_level(float(p)) for p in best]


def _concerning(turns: list[list[str]]) -> list[ExtractedValue]:
    return concerning_levels(turns, _requests(turns))


def concerning_level(probability: float) -> int:
    """A toxicity probability as the paper's 1-5 concerning scale, in equal bands."""
    band = int(probability * CONCERNING_BANDS)
    return 1 + min(max(band, 0), CONCERNING_BANDS - 1)


_EXTRACTORS: dict[str, Callable[[list[list[str]]], list[ExtractedValue]]] = {
    "request": _requests,
    "summary": _summaries,
    "language": _languages,
    "task": _tasks,
    "concerning": _concerning,
}

LANGUAGE_NAMES = {
    "af": "Afrikaans",
    "am": "Amharic",
    "an": "Aragonese",
    "ar": "Arabic",
    "ary": "Arabic",
    "arz": "Arabic",
    "as": "Assamese",
    "az": "Azerbaijani",
    "ba": "Bashkir",
    "be": "Belarusian",
    "bg": "Bulgarian",
    "bn": "Bengali",
    "br": "Breton",
    "bs": "Bosnian",
    "ca": "Catalan",
    "cs": "Czech",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "dz": "Dzongkha",
    "el": "Greek",
    "en": "English",
    "eo": "Esperanto",
    "es": "Spanish",
    "et": "Estonian",
    "eu": "Basque",
    "fa": "Persian",
    "fi": "Finnish",
    "fo": "Faroese",
    "fr": "French",
    "fy": "Frisian",
    "ga": "Irish",
    "gd": "Scottish Gaelic",
    "gl": "Galician",
    "gu": "Gujarati",
    "ha": "Hausa",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "ht": "Haitian Creole",
    "hu": "Hungarian",
    "hy": "Armenian",
    "id": "Indonesian",
    "ig": "Igbo",
    "is": "Icelandic",
    "it": "Italian",
    "ja": "Japanese",
    "jv": "Javanese",
    "ka": "Georgian",
    "kk": "Kazakh",
    "km": "Khmer",
    "kn": "Kannada",
    "ko": "Korean",
    "ku": "Kurdish",
    "ky": "Kyrgyz",
    "la": "Latin",
    "lb": "Luxembourgish",
    "lo": "Lao",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "mg": "Malagasy",
    "mk": "Macedonian",
    "ml": "Malayalam",
    "mn": "Mongolian",
    "mr": "Marathi",
    "ms": "Malay",
    "mt": "Maltese",
    "my": "Burmese",
    "ne": "Nepali",
    "nl": "Dutch",
    "nn": "Norwegian",
    "no": "Norwegian",
    "oc": "Occitan",
    "or": "Odia",
    "pa": "Punjabi",
    "pl": "Polish",
    "ps": "Pashto",
    "pt": "Portuguese",
    "qu": "Quechua",
    "ro": "Romanian",
    "ru": "Russian",
    "rw": "Kinyarwanda",
    "sa": "Sanskrit",
    "se": "Northern Sami",
    "si": "Sinhala",
    "sk": "Slovak",
    "sl": "Slovenian",
    "so": "Somali",
    "sq": "Albanian",
    "sr": "Serbian",
    "sv": "Swedish",
    "sw": "Swahili",
    "ta": "Tamil",
    "te": "Telugu",
    "tg": "Tajik",
    "th": "Thai",
    "tk": "Turkmen",
    "tl": "Tagalog",
    "tr": "Turkish",
    "tt": "Tatar",
    "ug": "Uyghur",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "uz": "Uzbek",
    "vi": "Vietnamese",
    "xh": "Xhosa",
    "yo": "Yoruba",
    "yue": "Cantonese",
    "zh": "Chinese",
    "zu": "Zulu",
}
