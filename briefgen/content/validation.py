"""Turn schema validation failures into located problems a user can act on."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from briefgen.content.yamlread import YamlDoc
from briefgen.errors import Location, Problem

_BRANCH = re.compile(
    r"^(int|float|str|bool|none|date|datetime|list\[.*|dict\[.*|function-.*|literal\[.*|constrained-.*)$"
)


def _type_hint(raw: str | None, value: Any) -> str:
    """Explain YAML 1.1 surprises: NO read as false, 0777 read as 511, dates."""
    if raw is None:
        return ""
    if isinstance(value, bool):
        return f"; YAML reads {raw!r} as {str(value).lower()} — put it in quotes if you mean text"
    if isinstance(value, (int, float)) and str(value) != raw:
        return f"; YAML reads {raw!r} as the number {value} — put it in quotes if you mean text"
    if isinstance(value, (int, float)):
        return f"; YAML reads {raw} as a number — put it in quotes if you mean text"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"; YAML reads {raw!r} as a date — put it in quotes if you mean text"
    if value is None:
        return f"; the value is empty (YAML reads {raw!r} as null)" if raw else "; the value is empty"
    return ""


def _unknown_key_hint(key: str, model: type[BaseModel] | None) -> str:
    if model is None:
        return ""
    # The YAML keys: a field's alias where it has one (Audience.reads is written "register").
    keys = [field.alias or name for name, field in model.model_fields.items()]
    close = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; allowed keys: {', '.join(keys)}"


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """Return the schema class that owns the mapping at ``loc`` inside ``model``."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = (
            current.model_fields.get(part)
            if isinstance(current, type) and issubclass(current, BaseModel)
            else None
        )
        if field is None:
            return None
        current = _inner_model(field.annotation)
        if current is None:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _without_branches(model: type[BaseModel], loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Drop the union-branch names pydantic puts in ``loc``, keeping fields named like one ('date')."""
    current: type[BaseModel] | None = model
    kept: list[str | int] = []
    for part in loc:
        fields = current.model_fields if current is not None else {}
        if isinstance(part, str) and part in fields:
            current = _inner_model(fields[part].annotation)
        elif isinstance(part, str) and _BRANCH.match(part):
            continue
        elif isinstance(part, str):
            current = None
        kept.append(part)
    return tuple(kept)


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def validation_problems(
    exc: ValidationError,
    doc: YamlDoc | None,
    prefix: tuple[str | int, ...],
    model: type[BaseModel],
    fallback: Location,
    area: str = "content",
) -> list[Problem]:
    """Turn pydantic errors into located problems with a hint for each; codes start with ``area``."""
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for err in exc.errors(include_url=False):
        # Union members repeat one error per branch, named by type; keep the first per place.
        raw = tuple(err["loc"])
        if err["type"] == "extra_forbidden" and raw:  # the last part is the unknown key, whatever its name
            loc = (*_without_branches(model, raw[:-1]), raw[-1])
        else:
            loc = _without_branches(model, raw)
        key = (loc, err["type"] == "extra_forbidden")
        if key in seen:
            continue
        seen.add(key)
        full = (*prefix, *loc)
        dotted = _dotted(full)
        if err["type"] == "extra_forbidden":
            where = doc.where(full, key=True) if doc else fallback
            hint = _unknown_key_hint(str(loc[-1]), _model_at(model, loc[:-1])).removeprefix("; ")
            problems.append(Problem(where, f"{dotted}: unknown key", code=f"{area}.unknown-key", hint=hint))
            continue
        where = doc.where(full) if doc else fallback
        message, hint = split_hint(_message(err))
        if doc is not None and err["type"] not in ("missing", "value_error"):
            hint = "; ".join(h for h in (hint, _type_hint(doc.raw.get(full), err.get("input"))[2:]) if h)
        code = f"{area}.missing-key" if err["type"] == "missing" else f"{area}.invalid-value"
        problems.append(Problem(where, f"{dotted}: {message}", code=code, hint=hint))
    return problems


def _message(err: Any) -> str:
    kind = err["type"]
    if kind == "missing":
        return "required key is missing"
    if kind == "string_pattern_mismatch":
        return (
            f"{err['input']!r} is not a valid id; use lower-case letters, digits and "
            "hyphens (e.g. 'border-security'), or 'source#section' for a citation"
        )
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if kind.startswith(("date_", "datetime_")):
        return f"expected a date such as 2026-01-15, got {_describe(err.get('input'))}"
    if kind == "string_too_long":
        limit = err.get("ctx", {}).get("max_length")
        return f"text is {len(err['input'])} characters long, more than the {limit} allowed; shorten it"
    if kind == "string_too_short":
        return "text is empty; write something or remove the key"
    if kind.endswith("_type") or kind in ("literal_error", "union_tag_invalid"):
        expected = str(err["msg"]).replace("Input should be", "expected")
        return f"{expected}, got {_describe(err.get('input'))}"
    return str(err["msg"])


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({value[:40]!r})"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"a date ({value.isoformat()})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return type(value).__name__


def _dotted(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def split_hint(text: str) -> tuple[str, str]:
    """Split "what is wrong; what to do" at its last "; " (a value quoted earlier may hold one)."""
    message, _, hint = text.rpartition("; ")
    return (message, hint) if message else (text, "")


def close_match(word: str, choices: Any) -> str:
    """Return a "; did you mean 'x'?" hint when ``word`` looks like a misspelt choice."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
