"""The Jinja sandbox templates run in: no escapes to Python, bounded time and size.

Jinja's immutable sandbox stops attribute escapes (``__class__``, ``__globals__``,
unsafe ``str.format``) but not a template that loops for hours or builds a gigabyte
string. This one also counts loop steps, calls and look-ups against a per-render
budget (steps and wall-clock time), and refuses any value a template builds that is
larger than MAX_VALUE characters and items, before building it where it can
(``'x' * 10**9``, ``'x'.center(10**9)``, ``'%999999999s'|format(x)``, ``9 ** 999999``)
and right after otherwise (``s ~ s``, list literals, macro and ``{% set %}`` blocks),
so each step can grow a value by a bounded factor only.
"""

from __future__ import annotations

import contextlib
import functools
import math
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from jinja2 import nodes
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

MAX_VALUE = 1_000_000  # characters plus items in one value a template builds
MAX_WIDTH = 10_000  # a padding width or precision in a format
MAX_POWER_BITS = 10_000  # size of the result of ``a ** b``
MAX_STEPS = 5_000_000  # loop iterations, calls, look-ups and items measured in one render
MAX_SECONDS = 20.0  # wall-clock time of one render

LOOP_GUARD = "_briefgen_loop"
SIZE_GUARD = "_briefgen_size"
_SEQUENCES = (str, list, tuple, dict)
# A width or precision in a format: %-style ("%9999s", "%*d") or {}-style ("{:>9999}", "{:{w}}").
_PRINTF_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_FIELD = re.compile(r"\{[^{}]*:([^{}]*)\}|\{[^{}]*:[^{}]*\{")
_WIDTH_METHODS = frozenset(("center", "ljust", "rjust", "zfill"))


class LimitExceeded(Exception):
    """A template went past a time or size limit; the render stops."""


class Budget:
    """Steps and time left for one render."""

    def __init__(self, steps: int = MAX_STEPS, seconds: float = MAX_SECONDS) -> None:
        self.steps = steps
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.spent = 0

    def tick(self, count: int = 1) -> None:
        """Spend ``count`` steps; raise LimitExceeded when the steps or the time run out."""
        self.spent += count
        if self.spent > self.steps:
            raise LimitExceeded(f"template ran more than {self.steps} loop steps and calls; stopped")
        # Every step, not every few hundred: one step (a sort, a macro) may itself be slow.
        self.check_time()

    def check_time(self) -> None:
        """Raise LimitExceeded if the render is past its deadline."""
        if time.monotonic() > self.deadline:
            raise LimitExceeded(f"template took more than {self.seconds:g} s to render; stopped")


_BUDGET: ContextVar[Budget | None] = ContextVar("briefgen_template_budget", default=None)


@contextlib.contextmanager
def budget(steps: int | None = None, seconds: float | None = None) -> Iterator[Budget]:
    """Give the renders inside the block one shared budget (MAX_STEPS, MAX_SECONDS by default)."""
    current = Budget(MAX_STEPS if steps is None else steps, MAX_SECONDS if seconds is None else seconds)
    token = _BUDGET.set(current)
    try:
        yield current
    finally:
        _BUDGET.reset(token)


def _tick(count: int = 1) -> None:
    current = _BUDGET.get()
    if current is not None:
        current.tick(count)


def weight(value: Any, limit: int = MAX_VALUE) -> int:
    """Return characters plus items in ``value`` and what it holds, counting up to past ``limit``."""
    if isinstance(value, str):
        return len(value)
    if not isinstance(value, (list, tuple, dict)):
        return 1
    total = len(value)
    # Shared references count each time: str() of [s, s, s] writes s three times.
    stack: list[Any] = [value]
    while stack and total <= limit:
        current = stack.pop()
        items = [*current.keys(), *current.values()] if isinstance(current, dict) else current
        _tick(len(items))
        for item in items:
            if isinstance(item, str):
                total += len(item)
            elif isinstance(item, (list, tuple, dict)):
                total += len(item)
                stack.append(item)
    return total


def _check_size(size: int, what: str) -> None:
    if size > MAX_VALUE:
        raise LimitExceeded(
            f"{what} would build a value of {size} characters and items, more than {MAX_VALUE}"
        )


def _bounded_loop(iterable: Iterable[Any]) -> Iterator[Any]:
    """Yield the items of a ``{% for %}`` loop, one budget step each."""
    for item in iterable:
        _tick()
        yield item


def _bounded_size(value: Any) -> Any:
    """Pass on a value a template built (a join, literal or captured block) if it is not too large."""
    _tick()
    _check_size(weight(value), "this expression")
    return value


def _guard(node: nodes.Expr | None) -> nodes.Filter:
    return nodes.Filter(node, SIZE_GUARD, [], [], None, None, lineno=node.lineno if node else 1)


class _Guards(NodeTransformer):
    """Route every loop and every value-building expression through the budget checks."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        # An empty loop body calls no other hook, so nested loops are counted here.
        node.iter = nodes.Filter(node.iter, LOOP_GUARD, [], [], None, None, lineno=node.lineno)
        return node

    def _sized(self, node: nodes.Expr) -> nodes.Node:
        # '~' and literals cannot be intercepted like '*': check what they built, so that
        # 's ~ s' or '[l, l]' repeated cannot double a value forever.
        self.generic_visit(node)
        return _guard(node)

    visit_Concat = visit_List = visit_Dict = _sized

    def visit_Tuple(self, node: nodes.Tuple) -> nodes.Node:
        return self._sized(node) if node.ctx == "load" else self.generic_visit(node)

    def visit_AssignBlock(self, node: nodes.AssignBlock) -> nodes.Node:
        self.generic_visit(node)
        node.filter = _guard(node.filter)
        return node

    def visit_FilterBlock(self, node: nodes.FilterBlock) -> nodes.Node:
        self.generic_visit(node)
        node.filter = _guard(node.filter)
        return node


class BriefingSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with a step and time budget and size limits."""

    intercepted_binops = frozenset(("*", "**", "+", "%"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters = {name: _guard_filter(name, f) for name, f in self.filters.items()}
        self.filters[LOOP_GUARD] = _bounded_loop
        self.filters[SIZE_GUARD] = _bounded_size

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = _Guards().visit(super()._parse(source, name, filename))
        assert isinstance(tree, nodes.Template)
        return tree

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """Apply an arithmetic operator after checking the size of its result."""
        _tick()
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, _SEQUENCES) and isinstance(times, int):
                    _check_size(weight(seq) * max(times, 0), "'*'")
        elif operator == "+" and isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
            _check_size(weight(left) + weight(right), "'+'")
        elif operator == "**":
            _check_power(left, right)
        elif operator == "%" and isinstance(left, str):
            _check_printf(left)
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Look up an attribute, one budget step."""
        _tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Subscribe an object, one budget step."""
        _tick()
        return super().getitem(obj, argument)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Sandbox ``str.format``, refusing huge widths and widths taken from arguments."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_braces(str(value.__self__))
        return wrapped

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Call an object from a template (a method, macro or block), within the limits."""
        _tick()
        _check_str_method(__obj, args)
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, str):  # a macro, caller() or block renders its output to one string
            _check_size(len(result), "this call")
        return result


def _check_power(base: Any, exponent: Any) -> None:
    ints = isinstance(base, int) and isinstance(exponent, int)
    if ints and exponent > 0 and abs(base) > 1 and exponent * math.log2(abs(base)) > MAX_POWER_BITS:
        raise LimitExceeded(f"'**' would build a number of more than {MAX_POWER_BITS} bits")


def _check_width(value: str | None, where: str) -> None:
    if value == "*":
        raise LimitExceeded(f"a width taken from the arguments ('*') is not allowed in {where}")
    if value and int(value) > MAX_WIDTH:
        raise LimitExceeded(f"a width of {value} in {where} is more than the {MAX_WIDTH} allowed")


def _check_printf(fmt: str) -> None:
    for match in _PRINTF_SPEC.finditer(fmt):
        _check_width(match.group(1), "a % format")
        _check_width(match.group(2), "a % format")


def _check_braces(fmt: str) -> None:
    for match in _FIELD.finditer(fmt):
        if match.group(1) is None:
            raise LimitExceeded("a width taken from the arguments ('{:{w}}') is not allowed in a format")
        for number in re.findall(r"\d+", match.group(1)):
            _check_width(number, "a format")


def _check_str_method(method: Any, args: tuple[Any, ...]) -> None:
    """Refuse str method calls whose result would exceed MAX_VALUE, before making it."""
    owner = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if not isinstance(owner, str) or not args:
        return
    first = args[0]
    if name in _WIDTH_METHODS and isinstance(first, int):
        _check_size(first, f"str.{name}()")
    elif name == "expandtabs" and isinstance(first, int):
        _check_size(len(owner) + owner.count("\t") * max(first, 0), "str.expandtabs()")
    elif name == "replace" and len(args) >= 2 and isinstance(first, str) and isinstance(args[1], str):
        _check_size(_replaced_size(owner, first, args[1]), "str.replace()")
    elif name == "join" and isinstance(first, _SEQUENCES):
        _check_size(weight(first) + len(owner) * len(first), "str.join()")


def _replaced_size(subject: str, old: str, new: str) -> int:
    hits = len(subject) + 1 if not old else subject.count(old)
    return len(subject) + hits * len(new)


def _guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a filter so each use is one budget step and its arguments cannot build a huge value."""
    # A filter marked pass_context (or eval_context, environment) gets that first.
    skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(func)  # keeps jinja_pass_arg, so such filters still get their context
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _tick()
        _check_filter_args(name, args[skip:], kwargs)
        return func(*args, **kwargs)

    return guarded


def _check_filter_args(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse filter arguments that would build a huge value (center(10**9), batch(10**9), ...)."""
    numbers = [v for v in [*args[1:], *kwargs.values()] if isinstance(v, int) and not isinstance(v, bool)]
    subject = args[0] if args else None
    if name in ("center", "indent", "batch", "slice") and numbers:
        lines = subject.count("\n") + 1 if isinstance(subject, str) and name == "indent" else 1
        _check_size(max(numbers) * lines, f"the {name} filter")
    elif name == "format" and isinstance(subject, str):
        _check_printf(subject)
    elif name == "replace" and len(args) >= 3 and all(isinstance(a, str) for a in args[:3]):
        _check_size(_replaced_size(args[0], args[1], args[2]), "the replace filter")
    elif name == "join" and isinstance(subject, _SEQUENCES):
        sep = args[1] if len(args) > 1 and isinstance(args[1], str) else ""
        _check_size(weight(subject) + len(sep) * len(subject), "the join filter")
