"""Request schema of ``POST /v1/chat/completions`` (pydantic) and its checks.

Only what the simulator reads or must reject is modelled; other OpenAI
parameters (``tools``, ``response_format``, ``store``…) are accepted and
ignored, as the simulator has no use for them. Bounds follow the API reference
so bad values become 400s; :func:`check_params` adds the checks that need the
model (404 for an unknown one). The response side is built as plain dicts in
``chat.py`` and checked against the SDK's own types in the tests.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import APIError


class TextPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")
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
    model_config = ConfigDict(extra="allow")
    include_usage: bool | None = None


class ChatRequest(BaseModel):
    """The body of a chat completion request.

    >>> req = ChatRequest.model_validate({"model": "gpt-4o-mini",
    ...                                   "messages": [{"role": "user", "content": "Hola"}]})
    >>> req.n, req.messages[0].text()
    (1, 'Hola')
    """

    model_config = ConfigDict(extra="allow")
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


def parse_request(body) -> ChatRequest:
    """Validate a body (dict or ChatRequest), raising a 400 APIError."""
    if isinstance(body, ChatRequest):
        return body
    if not isinstance(body, dict):
        raise APIError(400, "The request body must be a JSON object.")
    try:
        return ChatRequest.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        param = ".".join(str(p) for p in first.get("loc", ())) or None
        if first.get("type") == "missing":
            raise APIError(400, f"Missing required parameter: '{param}'.", param=param,
                           code="missing_required_parameter") from None
        raise APIError(400, f"Invalid value for '{param}': {first.get('msg')}.", param=param,
                       code="invalid_value") from None


def check_params(req: ChatRequest, profile, state) -> None:
    """Checks that need the model's profile (404 unknown model, unsupported parameters)."""
    if profile is None:
        if req.model in state.catalog:
            raise APIError(400, f"The model `{req.model}` is not a chat model and cannot be used "
                           "with /v1/chat/completions.", param="model", code="model_not_supported")
        raise APIError(404, f"The model `{req.model}` does not exist or you do not have access "
                       "to it.", param="model", code="model_not_found")
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
