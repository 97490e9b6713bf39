"""Analytic standards as data: a statement's wording in a register, with its estimative labels.

Every format shows the same words because they are decided here, as spans of the
statement: confidence and likelihood lead it (US intelligence practice, ICD 203: the
estimative term, with its probability range, then the impact), owners and trade-offs
follow it. A key judgment reads "Moderate confidence: ...", a risk "Likely (55–80%),
high impact: ...", an option "... Gains: ... Costs: ...", a recommendation "... Owner: ...".
"""

from __future__ import annotations

from briefgen.assemble.briefing import LABELS, Labels
from briefgen.assemble.markup import Span, parse_inline
from briefgen.content.model import Register, Statement

# ICD 203's seven likelihood terms and the probability range each stands for.
LIKELIHOOD: dict[str, tuple[str, str]] = {
    "almost-no-chance": ("Almost no chance", "1–5%"),
    "very-unlikely": ("Very unlikely", "5–20%"),
    "unlikely": ("Unlikely", "20–45%"),
    "even-chance": ("Roughly even chance", "45–55%"),
    "likely": ("Likely", "55–80%"),
    "very-likely": ("Very likely", "80–95%"),
    "almost-certain": ("Almost certain", "95–99%"),
}
CONFIDENCE: dict[str, str] = {"low": "Low confidence", "moderate": "Moderate confidence", "high": "High confidence"}


def wording(statement: Statement, register: Register) -> tuple[str, bool]:
    """Return the statement's text in ``register``, and whether it fell back to the default text."""
    if register == "default":
        return statement.text, False
    variant = getattr(statement, register)
    return (variant, False) if variant else (statement.text, True)


def lead(statement: Statement) -> str:
    """Return the estimative label a statement opens with ("Likely (55–80%), high impact"), or ''."""
    terms = []
    if statement.confidence:
        terms.append(CONFIDENCE[statement.confidence])
    risk = []
    if statement.likelihood:
        term, odds = LIKELIHOOD[statement.likelihood]
        risk.append(f"{term} ({odds})")
    if statement.impact:
        risk.append(f"{statement.impact} impact")
    if risk:
        text = ", ".join(risk)
        terms.append(text[0].upper() + text[1:] if not terms else text)
    return "; ".join(terms)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def statement_spans(
    statement: Statement, register: Register, labels: Labels = LABELS
) -> tuple[tuple[Span, ...], bool]:
    """Return the spans a reader sees for ``statement`` in ``register``, and whether it fell back.

    The one-line ``brief`` wording of an option already states its trade-off, so the gains
    and costs follow only the fuller wordings.
    """
    text, fell_back = wording(statement, register)
    spans: list[Span] = []
    label = lead(statement)
    if label:
        spans.append(Span(f"{label}: ", bold=True))
    spans.extend(parse_inline(text))
    brief_line = register == "brief" and not fell_back
    if not brief_line:
        for name, value in ((labels.gains, statement.gains), (labels.costs, statement.costs)):
            if value:
                spans.append(Span(f" {name}: ", bold=True))
                spans.extend(parse_inline(_sentence(value)))
    if statement.owner:
        spans.append(Span(f" {labels.owner}: {_sentence(statement.owner)}", italic=True))
    return tuple(spans), fell_back
