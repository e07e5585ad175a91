"""kpi.yaml is parsed once: its events are checked for depth, composed into the node tree and
constructed into values (``config/yaml_nodes.py``). Each step gives what PyYAML gives from the
text (``yaml.compose``, ``yaml.safe_load``), with the same errors, for any text: well-formed,
with anchors, aliases and merge keys, or damaged."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from supportkpi.config.yaml_nodes import compose, construct, parse

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.dates(),
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=20,
)
SNIPPETS = st.sampled_from(
    [
        "a: &x {k: 1}\nb: {<<: *x, j: 2}\n",
        "a: &x [1, 2]\nb: *x\nc: *x\n",
        "=: 1\n",
        "a: *nowhere\n",
        "a: 1\n---\nb: 2\n",
        "a: [1, 2\n",
        "a: 2024-02-30\n",
        "a: !!binary aGk=\n",
        "a: !custom 1\n",
        '"\\ud800": 1\n',
        "a:\n  - b: c\n    d: [e, {f: g}]\n",
        "[" * 70 + "]" * 70,
        "",
        "~\n",
    ]
)


def _damaged(text: str, where: int, what: str) -> str:
    at = where % (len(text) + 1)
    return text[:at] + what + text[at:]


def _outcome(step):
    try:
        return "ok", step()
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        return "error", f"{type(exc).__name__}: {exc}"


def _texts():
    dumped = DATA.map(lambda data: yaml.safe_dump(data, allow_unicode=True))
    base = st.one_of(dumped, SNIPPETS)
    damage = st.tuples(
        st.integers(0, 10_000),
        st.sampled_from([":", "- ", "[", "{", "&a ", "*a", "!!", "\t", "\n  ", "'", '"', "<<: ", "#"]),
    )
    return st.one_of(base, st.builds(lambda t, d: _damaged(t, *d), base, damage))


@settings(max_examples=300, deadline=None)
@given(_texts())
def test_one_parse_gives_what_pyyaml_gives_from_the_text(text):
    parsed = _outcome(lambda: parse(text))
    if parsed[0] == "error":
        assert parsed == _outcome(lambda: list(yaml.parse(text, Loader=yaml.SafeLoader)))
        return
    events, deep = parsed[1]
    if deep is not None:  # refused before composing: too deep to compose without recursion
        return
    ours = _outcome(lambda: repr(compose(events)))
    assert ours == _outcome(lambda: repr(yaml.compose(text, Loader=yaml.SafeLoader)))
    if ours[0] == "ok":
        root = compose(events)
        values = _outcome(lambda: construct(root))
        expected = _outcome(lambda: yaml.safe_load(text))
        if values == ("ok", None):  # a merge key (the text is loaded again) or a null document
            assert expected[0] == "error" or expected[1] is None or _merges(text)
        else:
            assert values == expected


def _merges(text: str) -> bool:
    return "<<" in text or "=" in text


def test_parse_reports_the_errors_pyyaml_reports_while_parsing():
    assert _outcome(lambda: parse("a: [1, 2\n")) == _outcome(
        lambda: list(yaml.parse("a: [1, 2\n", Loader=yaml.SafeLoader))
    )
