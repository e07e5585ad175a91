"""Where things are in a YAML file: the line of a setting, and keys written twice (YAML keeps
the last silently). Works on the node tree of ``yaml.compose``. Also the limits that keep a
hostile file cheap: nesting depth, the size of the tree once aliases are expanded, and numbers
that are not finite."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator
from typing import Any

import yaml

MAX_DEPTH = 64
"""The deepest nesting of mappings and lists accepted (kpi.yaml needs about six levels)."""
MAX_VALUES = 100_000
"""The most values (keys, scalars, lists, mappings) accepted once aliases are expanded: an
alias bomb ("billion laughs") expands a few lines into billions."""


def too_deep(text: str) -> int | None:
    """The line where the YAML nests deeper than :data:`MAX_DEPTH`, else None. Reads the
    parser's events one by one (no recursion, so any depth is cheap to refuse).

    >>> too_deep("a: [1, 2]"), too_deep("[" * 65 + "]" * 65)
    (None, 1)
    """
    return parse(text)[1]


def parse(text: str) -> tuple[list[yaml.Event], int | None]:
    """The parser's events of the text, and :func:`too_deep`'s answer (the events then stop
    there). Composing the tree from these events (:func:`compose`) instead of the text again
    parses kpi.yaml once, not twice: the parser is pure Python and most of the time it takes."""
    depth = 0
    events = []
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        events.append(event)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return events, event.start_mark.line + 1 if event.start_mark else 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return events, None


class _Replay(yaml.SafeLoader):
    """yaml's safe loader reading events parsed before instead of parsing a text."""

    def __init__(self, events: list[yaml.Event]) -> None:
        super().__init__("")
        self.recorded = deque(events)

    def check_event(self, *choices: Any) -> bool:
        return bool(self.recorded) and (not choices or isinstance(self.recorded[0], choices))

    def peek_event(self) -> yaml.Event | None:
        return self.recorded[0] if self.recorded else None

    def get_event(self) -> yaml.Event | None:
        return self.recorded.popleft() if self.recorded else None


def compose(events: list[yaml.Event]) -> Any:
    """The node tree of :func:`parse`'s events: what ``yaml.compose(text, Loader=yaml.SafeLoader)``
    gives, with the same errors (one document, aliases of known anchors).

    >>> text = "a: &x [1, 2]\\nb: *x"
    >>> repr(compose(parse(text)[0])) == repr(yaml.compose(text, Loader=yaml.SafeLoader)), compose(parse("")[0])
    (True, None)
    """
    loader = _Replay(events)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def construct(root: Any) -> Any:
    """The values of a node tree from :func:`compose` or ``yaml.compose``: what
    ``yaml.safe_load`` gives for its text. A tree with merge keys (``<<``) or ``=`` keys is
    changed in place when constructed, so for those None is returned and the text must be
    loaded again (:func:`yaml.safe_load`).

    >>> construct(yaml.compose("a: &x [1, 2]\\nb: *x\\nc: 2024-01-31", Loader=yaml.SafeLoader))
    {'a': [1, 2], 'b': [1, 2], 'c': datetime.date(2024, 1, 31)}
    >>> construct(yaml.compose("a: &x {k: 1}\\nb: {<<: *x}", Loader=yaml.SafeLoader)) is None
    True
    """
    if root is None or _rewritten_keys(root):
        return None
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(root)
    finally:
        loader.dispose()


_REWRITTEN = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
"""Key tags that yaml's constructor rewrites in the tree it constructs (``flatten_mapping``)."""


def _rewritten_keys(root: Any) -> bool:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode) and any(key.tag in _REWRITTEN for key, _ in node.value):
            return True
        stack.extend(_children(node))
    return False


def expanded_size(root: Any) -> float:
    """How many nodes the tree has once every alias is expanded, counted once per node (so a
    bomb is measured in linear time, not expanded); infinite when an alias sits inside its own
    anchor. Call on a tree no deeper than MAX_DEPTH.

    >>> expanded_size(yaml.compose("a: &x [1, 2]\\nb: [*x, *x]")), expanded_size(yaml.compose("a: &x [*x]"))
    (13, inf)
    """
    sizes: dict[int, float] = {}

    def size(node: Any) -> float:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = math.inf  # until known: met again below itself, the alias is recursive
        total = 1 + sum(size(child) for child in _children(node))
        sizes[id(node)] = total
        return total

    return size(root) if root is not None else 0


def _children(node: Any) -> Iterator[Any]:
    if isinstance(node, yaml.SequenceNode):
        yield from node.value
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value


def non_finite(data: Any, loc: tuple = ()) -> tuple[tuple, float] | None:
    """The location and value of the first number that is not finite (``.nan``, ``.inf``,
    ``1e999999``, which YAML reads as infinity), else None.

    >>> non_finite({"kpis": {"service_level": {"threshold_seconds": float("inf")}}})
    (('kpis', 'service_level', 'threshold_seconds'), inf)
    """
    if isinstance(data, float) and not math.isfinite(data):
        return loc, data
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        found = non_finite(value, (*loc, key))
        if found:
            return found
    return None


def lone_surrogate(node: Any) -> int | None:
    """The line of the first scalar holding a lone surrogate (``"\\ud800"`` in double quotes:
    no character, and no UTF-8 text can hold it), else None.

    >>> lone_surrogate(yaml.compose('a: 1\\nb: "\\\\ud800"\\n', Loader=yaml.SafeLoader))
    2
    """
    if isinstance(node, yaml.ScalarNode):
        if any("\ud800" <= c <= "\udfff" for c in node.value):
            return node.start_mark.line + 1
        return None
    children = node.value if isinstance(node, yaml.SequenceNode) else ()
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    for child in children:
        found = lone_surrogate(child)
        if found:
            return found
    return None


def duplicate_key(node: Any) -> tuple[str, int] | None:
    """The first key written twice in one mapping (YAML keeps the last silently), and its line."""
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    return key.value, key.start_mark.line + 1
                seen.add(key.value)
            found = duplicate_key(value)
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found = duplicate_key(item)
            if found:
                return found
    return None


def line_of(node: Any, loc: tuple) -> int | None:
    """1-based line of the YAML node at ``loc`` (the deepest one that exists)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(part):
                    line = key.start_mark.line + 1
                    node = value
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line
