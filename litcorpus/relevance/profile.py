"""The topic profile: what the review is about, in the reviewer's words (YAML, safe_load)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from litcorpus.errors import LitcorpusError


class Profile(BaseModel):
    """`topic` (one line, required), `description`, optional `include` and `exclude` terms or
    phrases, and `seeds` (DOIs, PMIDs or titles of papers known to be relevant)."""

    model_config = ConfigDict(extra="forbid")

    topic: str = Field(min_length=3)
    description: str = ""
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    seeds: list[str] = Field(default_factory=list)

    @field_validator("topic")
    @classmethod
    def _one_line(cls, value: str) -> str:
        value = value.strip()
        if "\n" in value:
            raise ValueError("must be one line; put the details in 'description'")
        return value

    @field_validator("include", "exclude", "seeds", mode="before")
    @classmethod
    def _listify(cls, value):
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else value

    def text(self) -> str:
        """The profile's words: topic, description and include terms."""
        return " ".join([self.topic, self.description, *self.include])


def load_profile(path: str | Path) -> Profile:
    """Read and validate a profile; errors name the field and say how to fix it."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LitcorpusError(f"cannot read profile {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise LitcorpusError(f"profile {path} is not valid YAML: {exc}".splitlines()[0]) from None
    if not isinstance(data, dict):
        raise LitcorpusError(f"profile {path} must be a mapping with at least 'topic'",
                             "write e.g. 'topic: integrated care in the NHS'")
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "profile"
        message = ("is not a known field (use topic, description, include, exclude, seeds)"
                   if first["type"] == "extra_forbidden" else first["msg"])
        raise LitcorpusError(f"profile {path}: field '{field}' {message}") from None
