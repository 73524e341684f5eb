"""The texts the facet step sends to an LLM, after the Clio paper's rules (Appendix G.2).

The paper asks one question per call; here every question about a conversation goes in one call
whose answer is a JSON object with one key per facet, so the rules are stated once, for all of
them: describe without judging, name sensitive topics plainly, no personal data, no proper nouns,
answers in English, at most two sentences.
"""

from __future__ import annotations

from collections.abc import Sequence

# Questions and criteria of the paper's four facets (Clio, Appendix G.2 and G.5).
REQUEST_QUESTION = "What is the user's overall request for the assistant?"
REQUEST_PREFILL = "The user's overall request for the assistant is to"
REQUEST_CRITERIA = (
    "The cluster name should be a sentence in the imperative that captures the user's request."
    " For example, 'Brainstorm ideas for a birthday party' or 'Help me find a new job.'"
)
LANGUAGE_QUESTION = (
    "What are the main languages of the conversation? Do not mention programming languages and"
    " do not provide only language codes; only the full names for human languages, like"
    " 'English' or 'Arabic; Indonesian'. Do not include language families (just provide the"
    " general language, e.g., 'Arabic' and not 'Tripolitanian Arabic'). Only consider languages"
    " in or after the human's first request. Output each language as a single full word with no"
    " other commentary."
)
TASK_QUESTION = "What task is the model being asked to perform in this conversation?"
TASK_PREFILL = "The task is to"
TASK_CRITERIA = (
    "The cluster name should be a clear single sentence that captures the specific action or"
    " task the model is being asked to perform in the conversation. It should use an active verb"
    " and be written from the model's perspective. For example, 'Generate a creative writing"
    " story about space exploration' or 'Calculate the probability of winning a card game'."
)
CONCERNING_QUESTION = (
    "On a scale of 1 to 5, how concerning or potentially harmful is this conversation from a"
    " safety perspective? Use the following scale:\n"
    "1: Not concerning at all. Completely benign conversation. Example: a friendly chat about"
    " favorite books or movies.\n"
    "2: Slightly concerning, but likely harmless. Example: a heated but civil debate about"
    " politics.\n"
    "3: Moderately concerning. May warrant a closer look. Example: discussion of controversial"
    " topics that could escalate.\n"
    "4: Very concerning. Likely needs review. Example: conversations involving potential"
    " self-harm or harmful ideation.\n"
    "5: Extremely concerning. Immediate review needed. Example: explicit threats of violence or"
    " illegal activities.\n"
    "Answer with only a single number from 1 to 5."
)
SUMMARY_QUESTION = "Summarize the provided data in a single sentence."
SUMMARY_CRITERIA = (
    "The cluster name should be a clear single sentence that accurately summarizes the data"
)

SYSTEM_PROMPT = (
    "You read conversations between a user and an AI assistant (or other data) and answer"
    " questions about them, to help understand how the assistant is used, for safety,"
    " monitoring and observability."
)

RULES = (
    "Rules for every answer:\n"
    "- Be descriptive and assume neither good nor bad faith. Do not hesitate to name socially"
    " harmful or sensitive topics; specificity about potentially harmful conversations is"
    " needed for effective monitoring.\n"
    "- Do not include any personally identifiable information (PII): no names, locations, phone"
    " numbers, email addresses, and so on.\n"
    "- Do not include any proper nouns.\n"
    "- Answer in English, clearly and concisely, in at most two sentences; do not start with"
    " 'Based on the conversation'."
)


def facet_questions_prompt(
    data_text: str,
    *,
    is_conversation: bool,
    questions: Sequence[tuple[str, str, str, tuple[int, int] | None]],
) -> str:
    """The user message of the one call per conversation: the conversation, then each
    ``(key, question, prefill, numeric range)`` to answer under its JSON key."""
    what = "conversation" if is_conversation else "data"
    lines = [
        f"Here is the {what}:",
        f"<{what}>",
        data_text,
        f"</{what}>",
        "",
        f"Answer each question below about the preceding {what}. Reply with one JSON object"
        " holding one key per question, exactly the keys named.",
        "",
        RULES,
        "",
    ]
    for key, question, prefill, numeric in questions:
        lines.append(f'"{key}": {question}')
        if numeric is not None:
            lines.append(f"  (a whole number from {numeric[0]} to {numeric[1]})")
        elif prefill:
            lines.append(f'  (a sentence that starts "{prefill}")')
    return "\n".join(lines)


# -- the privacy auditor: the Clio paper's 1-5 privacy rubric ----------------------------------

PRIVACY_AUDIT_PROMPT = """You are auditing a summary of many people's conversations with an AI \
assistant before it is shown to others. Rate how privacy-preserving the cluster below is, on a \
scale of 1 to 5:

1 - Not privacy-preserving: names, locations, proper nouns or other details that identify an \
individual or a handful of individuals, or a specific person's or organisation's private data.
2 - Only slightly privacy-preserving: details that could identify a specific company, website, \
community, school or other small group.
3 - Fairly privacy-preserving: general, but with specifics that could narrow it down to a few \
thousand people.
4 - Mostly privacy-preserving: general, identifying anyone would take substantial further \
context.
5 - Fully privacy-preserving: only general information, nothing that could identify a person, \
a group or an organisation.

A sensitive topic discussed in general terms (health, sexuality, crime, politics) is \
privacy-preserving: rate what could identify someone, not how sensitive the subject is.

<cluster>
<name>{name}</name>
<summary>{summary}</summary>
</cluster>

Give a one-sentence reason, then the rating, a whole number from 1 to 5."""


def privacy_audit_prompt(name: str, summary: str) -> str:
    """The auditor's question about one cluster's name and summary."""
    return PRIVACY_AUDIT_PROMPT.format(name=name, summary=summary or "(none)")
