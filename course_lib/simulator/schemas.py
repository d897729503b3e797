"""Request schema of ``POST /v1/chat/completions`` (pydantic) and its checks.

Only what the simulator reads or must reject is modelled; other OpenAI
parameters (``tools``, ``response_format``, ``store``…) are accepted and
ignored, as the simulator has no use for them. Types are strict, as OpenAI's
are (``"stream": "yes"``, ``"max_tokens": "5"`` or ``"n": true`` are 400s, not
coerced), bounds follow the API reference, and a lone UTF-16 surrogate
anywhere in the body (``"\ud800"``: valid JSON, not valid text) is a 400 too.
:func:`check_params` adds the checks that need the model (404 for an unknown
one, output budgets); the routes run it before any rate limit. The response
side is built as plain dicts in ``chat.py`` and checked against the SDK's own
types in the tests.
"""

from __future__ import annotations

import difflib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import APIError

STRICT = ConfigDict(extra="allow", strict=True)


def lone_surrogate_path(value, path: str = "") -> str | None:
    """Where (a JSON path) a string with a lone UTF-16 surrogate sits, or ``None``.

    >>> lone_surrogate_path({"messages": [{"content": "ok"}, {"content": "a" + chr(0xD800)}]})
    'messages[1].content'
    >>> lone_surrogate_path({"input": ["hola 👋"]}) is None
    True
    """
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path or "$"
        return None
    items = value.items() if isinstance(value, dict) else enumerate(value) \
        if isinstance(value, list) else ()
    for key, item in items:
        here = f"{path}[{key}]" if isinstance(key, int) else (f"{path}.{key}" if path else str(key))
        found = lone_surrogate_path(key, here) if isinstance(key, str) else None
        found = found or lone_surrogate_path(item, here)
        if found:
            return found
    return None


def reject_surrogates(body) -> None:
    """Raise a 400 naming the field if ``body`` holds a lone surrogate."""
    where = lone_surrogate_path(body)
    if where is not None:
        raise APIError(400, f"Invalid value for '{where}': the string holds a lone UTF-16 surrogate "
                       "(for example '\\ud800'), which is not valid Unicode text.",
                       param=where, code="invalid_value")


class TextPart(BaseModel):
    model_config = STRICT
    type: str
    text: str | None = None


class Message(BaseModel):
    model_config = STRICT
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[TextPart] | None = None
    name: str | None = Field(None, max_length=64)

    def text(self) -> str:
        """The message's text, with content parts joined."""
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "".join(p.text or "" for p in self.content if p.type == "text")


class StreamOptions(BaseModel):
    model_config = STRICT
    include_usage: bool | None = None


class ChatRequest(BaseModel):
    """The body of a chat completion request.

    >>> req = ChatRequest.model_validate({"model": "gpt-4o-mini",
    ...                                   "messages": [{"role": "user", "content": "Hola"}]})
    >>> req.n, req.messages[0].text()
    (1, 'Hola')
    """

    model_config = STRICT
    model: str = Field(min_length=1, max_length=256)
    messages: list[Message] = Field(min_length=1)
    stream: bool | None = False
    stream_options: StreamOptions | None = None
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    n: int | None = Field(1, ge=1, le=128)
    logprobs: bool | None = False
    top_logprobs: int | None = Field(None, ge=0, le=20)
    user: str | None = Field(None, max_length=512)
    metadata: dict[str, str] | None = Field(None, max_length=16)
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, ge=0, le=1)
    seed: int | None = None
    stop: str | list[str] | None = None
    presence_penalty: float | None = Field(None, ge=-2, le=2)
    frequency_penalty: float | None = Field(None, ge=-2, le=2)
    reasoning_effort: Literal["minimal", "low", "medium", "high"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _valid_text(cls, data):
        where = lone_surrogate_path(data)
        if where is not None:
            raise ValueError(f"the string at '{where}' holds a lone UTF-16 surrogate, which is not "
                             "valid Unicode text")
        return data


def parse_request(body) -> ChatRequest:
    """Validate a body (dict or ChatRequest), raising a 400 APIError."""
    if isinstance(body, ChatRequest):
        return body
    if not isinstance(body, dict):
        raise APIError(400, "The request body must be a JSON object.")
    reject_surrogates(body)
    try:
        return ChatRequest.model_validate(body)
    except ValidationError as exc:
        from fastapi.exceptions import RequestValidationError

        from .errors import validation_error
        raise validation_error(RequestValidationError(exc.errors())) from None


def unknown_model(model: str, known: list[str]) -> APIError:
    """The 404 for a model nobody serves, naming the closest known names.

    >>> unknown_model("gpt-4o-mini-1999-99-99", ["gpt-4o", "gpt-4o-mini"]).message.endswith("gpt-4o-mini, gpt-4o?")
    True
    """
    close = difflib.get_close_matches(model, known, n=3, cutoff=0.4)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    return APIError(404, f"The model `{model}` does not exist or you do not have access to it.{hint}",
                    param="model", code="model_not_found")


def check_params(req: ChatRequest, profile, state) -> None:
    """Checks that need the model's profile (404 unknown model, unsupported parameters)."""
    if profile is None:
        if req.model in state.catalog:
            raise APIError(400, f"The model `{req.model}` is not a chat model and cannot be used "
                           "with /v1/chat/completions.", param="model", code="model_not_supported")
        raise unknown_model(req.model, state.catalog.chat_models())
    if profile.reasoning and req.max_tokens is not None:
        raise APIError(400, "Unsupported parameter: 'max_tokens' is not supported with this "
                       "model. Use 'max_completion_tokens' instead.", param="max_tokens",
                       code="unsupported_parameter")
    if req.top_logprobs and not req.logprobs:
        raise APIError(400, "'top_logprobs' requires 'logprobs' to be true.",
                       param="top_logprobs", code="invalid_value")
    if req.stream_options is not None and not req.stream:
        raise APIError(400, "The 'stream_options' parameter is only allowed when 'stream' is "
                       "enabled.", param="stream_options", code="invalid_value")
    limit = req.max_completion_tokens or req.max_tokens
    if limit is not None and limit > profile.max_output_tokens:
        raise APIError(400, f"max_tokens is too large: {limit}. This model supports at most "
                       f"{profile.max_output_tokens} completion tokens, whereas you provided "
                       f"{limit}.", param="max_tokens", code="invalid_value")
