"""Values from JSON Schema, realistic for their property names, deterministic for a seed.

`SchemaFaker.value(schema)` honours type (3.0 and 3.1 forms), format, enum, const,
pattern, numeric bounds and multipleOf, lengths, item counts, required, nullable,
readOnly/writeOnly (by direction), additionalProperties, allOf/oneOf/anyOf with
discriminators, and recursive schemas (bounded depth). It does not validate what it
makes: callers that must be sure check the value against the schema.

Property names choose values: the mock's own vocabulary first (`fixtures/names.yaml`,
see `names_file`), then the engine's generic table (`naming`).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import math
import random
import re
import threading
import warnings
from _sre import MAXREPEAT  # the upper bound `re` gives `+`, `*` and `{n,}`
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any, Literal

import rstr
from faker import Faker

from ..contract.formats import OAS30_FORMATS
from ..contract.refs import merged
from .moments import iso_date, iso_datetime, sized_datetime
from .naming import number_for, string_for
from .patterns import drawable, generable, matches
from .vocabulary import EMPTY, Vocabulary

Direction = Literal["response", "request"]
SOFT_DEPTH = 3  # past this, optional properties and items are left out
HARD_DEPTH = 8  # past this, even required nesting stops
# Draws of an open repeat (`+`, `*`, `{2,}`) past its minimum. rstr allows 100, which
# nested repeats multiply: Azure's host pattern `(?:[a-zA-Z0-9-]+[.]?)+` made strings of
# thousands of characters, slow to draw and then refused by their maxLength.
OPEN_REPEATS = 8
BOUNDED_REPEATS = 100  # rstr's own cap on an explicit upper bound (`{0,1000}`)

FORMATS: dict[str, Callable[[Faker], Any]] = {
    "date-time": iso_datetime,
    "date": iso_date,
    "time": lambda f: f.time() + "Z",
    "email": lambda f: f.email(),
    "idn-email": lambda f: f.email(),
    "uri": lambda f: f.url(),
    "url": lambda f: f.url(),
    "iri": lambda f: f.url(),
    "uri-reference": lambda f: "/" + f.uri_path(),
    "uuid": lambda f: f.uuid4(),
    "ipv4": lambda f: f.ipv4(),
    "ipv6": lambda f: f.ipv6(),
    "hostname": lambda f: f.domain_name(),
    "idn-hostname": lambda f: f.domain_name(),
    "byte": lambda f: base64.b64encode(f.binary(12)).decode(),
    "binary": lambda f: f.pystr(8, 16),
    "password": lambda f: f.password(length=12),
    "duration": lambda f: f"P{f.random_int(1, 30)}D",
    "iri-reference": lambda f: "/" + f.uri_path(),
    "json-pointer": lambda f: "/" + f.word(),
    "relative-json-pointer": lambda f: f"{f.random_int(0, 3)}/{f.word()}",
    "uri-template": lambda f: f"/{f.word()}/{{id}}",
    "regex": lambda f: f"^{f.word()}[0-9]*$",
}
INT_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def make_faker(seed: int, locale: str = "en_US") -> Faker:
    fake = Faker(locale)
    fake.seed_instance(seed)
    return fake


_idle = threading.local()  # per thread, per locale: Fakers no one is using


@contextlib.contextmanager
def seeded_faker(seed: int, locale: str = "en_US") -> Iterator[Faker]:
    """A Faker seeded with `seed`, lent from this thread's idle ones. Building one loads
    every provider (about a millisecond, paid for every body made); seeding one replaces
    its random state whole, so a lent Faker gives what a new one would."""
    idle: list[Faker] = _idle.__dict__.setdefault(locale, [])
    fake = idle.pop() if idle else Faker(locale)
    fake.seed_instance(seed)
    try:
        yield fake
    finally:
        idle.append(fake)


def types_of(schema: dict[str, Any]) -> list[str]:
    """The schema's types, non-null first; inferred from keywords when `type` is absent."""
    declared = schema.get("type")
    if isinstance(declared, list):
        types = [str(t) for t in declared]
    elif isinstance(declared, str):
        types = [declared]
    elif "properties" in schema or "additionalProperties" in schema:
        types = ["object"]
    elif "items" in schema:
        types = ["array"]
    else:
        types = []
    return sorted(types, key=lambda t: t == "null")


class SchemaFaker:
    def __init__(
        self,
        document: dict[str, Any],
        fake: Faker,
        use_examples: bool = True,
        *,
        kind: str = "",
        vocabulary: Vocabulary = EMPTY,
    ) -> None:
        self.document = document
        self.fake = fake
        self.use_examples = use_examples
        self.vocabulary = vocabulary
        # The name of the object being made, innermost last: a vocabulary rule may ask
        # for it (`name` within `mentors`). It is the object's schema's name where a
        # `$ref` names it (`Mentor`), else its property's; at the top, `kind`: what the
        # value is (the collection a record belongs to), when the caller knows.
        self._within = [kind]
        self._random = random.Random(fake.random.random())
        self._xeger = rstr.Rstr(self._random)
        # rstr lists every character of a range for each one it draws: `[\u0020-\uFFFF]*`
        # took seconds per string. Draw from the range's printable ASCII part instead.
        cases = self._xeger._cases
        if isinstance(cases, dict):
            cases["range"] = narrow_range
            cases["max_repeat"] = cases["min_repeat"] = self.repeat

    def repeat(self, state: tuple[int, int, Any]) -> str:
        """A regex repeat (min, max, items), with open ones drawn short (OPEN_REPEATS)."""
        low, high, items = state
        high = low + OPEN_REPEATS if high >= MAXREPEAT else min(high, max(low, BOUNDED_REPEATS))
        times = self._random.randint(low, max(low, high))
        handle = self._xeger._handle_state
        return "".join("".join(handle(item) for item in items) for _ in range(times))

    def value(
        self,
        schema: Any,
        name: str | None = None,
        direction: Direction = "response",
        depth: int = 0,
    ) -> Any:
        written, schema = schema, self.resolve(schema)
        if not isinstance(schema, dict):
            return self.fake.word()
        if "const" in schema:
            return schema["const"]
        if self.use_examples:
            example = example_of(schema)
            if example is not NO_EXAMPLE and of_declared_type(example, schema):
                return example
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return self.fake.random_element(schema["enum"])
        for keyword in ("oneOf", "anyOf"):
            if isinstance(schema.get(keyword), list) and schema[keyword]:
                return self.choice(schema, keyword, name, direction, depth)
        kind = (types_of(schema) or ["string"])[0]
        if kind == "object":  # what holds its properties: a schema's name says it best
            name = schema_name(written) or name
        maker = getattr(self, f"make_{kind}", None)
        return None if maker is None else maker(schema, name, direction, depth)

    def resolve(self, schema: Any) -> Any:
        """Dereference, and merge `allOf` into one schema."""
        return merged(self.document, schema)

    def choice(
        self,
        schema: dict[str, Any],
        keyword: str,
        name: str | None,
        direction: Direction,
        depth: int,
    ) -> Any:
        options = schema[keyword]
        index = self.fake.random_int(0, len(options) - 1) if depth else 0
        chosen = options[index]
        base = {k: v for k, v in schema.items() if k not in (keyword, "discriminator")}
        value = self.value({"allOf": [base, chosen]} if base else chosen, name, direction, depth)
        discriminator = schema.get("discriminator")
        if isinstance(discriminator, dict) and isinstance(value, dict):
            name = discriminator["propertyName"]
            tag = self.tag_for(discriminator, chosen)
            if self.takes(chosen, name, tag):
                value[name] = tag
        return value

    def takes(self, option: Any, name: str, tag: str) -> bool:
        """Whether the option's own property takes the tag: an option whose `type` is an
        enum of other words (`Resource` tagged by its schema name, `type: [resource]`)
        keeps its made value, which JSON Schema, and so every client, accepts."""
        found = self.resolve(option)
        properties = found.get("properties") if isinstance(found, dict) else None
        field = self.resolve(properties.get(name)) if isinstance(properties, dict) else None
        if not isinstance(field, dict):
            return True
        if "const" in field and field["const"] != tag:
            return False
        return not (isinstance(field.get("enum"), list) and tag not in field["enum"])

    @staticmethod
    def tag_for(discriminator: dict[str, Any], chosen: Any) -> str:
        ref = chosen.get("$ref", "") if isinstance(chosen, dict) else ""
        for tag, target in (discriminator.get("mapping") or {}).items():
            if target == ref or target == ref.rsplit("/", 1)[-1]:
                return str(tag)
        return ref.rsplit("/", 1)[-1] or "unknown"

    def hinted_string(self, name: str | None) -> str | None:
        """What the property's name calls for: the mock's vocabulary, then the engine's."""
        found = self.vocabulary.string(name, self._within[-1], self.fake)
        return found if found is not None else string_for(name, self.fake)

    def hinted_number(self, name: str | None) -> float | None:
        found = self.vocabulary.number(name, self._within[-1], self.fake)
        return found if found is not None else number_for(name, self.fake)

    def make_null(self, *_: Any) -> None:
        return None

    def make_boolean(self, *_: Any) -> bool:
        return self.fake.pybool()

    def make_object(
        self, schema: dict[str, Any], name: str | None, direction: Direction, depth: int
    ) -> dict[str, Any]:
        self._within.append(name or self._within[-1])  # unnamed (a oneOf option): as held
        try:
            return self.object_of(schema, direction, depth)
        finally:
            self._within.pop()

    def object_of(self, schema: dict[str, Any], direction: Direction, depth: int) -> dict[str, Any]:
        required = set(schema.get("required") or [])
        result: dict[str, Any] = {}
        for prop, sub in (schema.get("properties") or {}).items():
            sub_schema = self.resolve(sub)
            if sub_schema is False:
                continue  # a 3.1 `false` schema: no value may be there
            # A read-only property is not sent, nor a write-only one answered, even where
            # required: OpenAPI binds `required` to the direction the property travels.
            skip = "writeOnly" if direction == "response" else "readOnly"
            if isinstance(sub_schema, dict) and sub_schema.get(skip):
                continue
            if prop not in required and depth >= SOFT_DEPTH:
                continue
            if depth >= HARD_DEPTH:
                break
            result[prop] = self.value(sub_schema, prop, direction, depth + 1)
        extra = schema.get("additionalProperties")
        wanted = int(schema.get("minProperties", 0))
        if isinstance(extra, dict) and not schema.get("properties") and depth < SOFT_DEPTH:
            wanted = max(wanted, 2)
        for index in range(max(0, wanted - len(result))):
            sub = extra if isinstance(extra, dict) else {"type": "string"}
            result[f"{self.fake.word()}_{index}"] = self.value(sub, None, direction, depth + 1)
        tagged_as_mapped(schema, result)
        return result

    def make_array(
        self, schema: dict[str, Any], name: str | None, direction: Direction, depth: int
    ) -> list[Any]:
        low = int(schema.get("minItems", 0))
        high = int(schema.get("maxItems", max(low, 3)))
        top = max(low, min(high, 3))  # `maxItems: 0` (or below minItems): `low` it is
        count = low if depth >= SOFT_DEPTH or top <= low else self.fake.random_int(max(low, 1), top)
        items = schema.get("items", {})
        values: list[Any] = []
        for _ in range(count * 4):  # uniqueItems may need a few retries
            if len(values) == count:
                break
            item = self.value(items, name, direction, depth + 1)
            if not schema.get("uniqueItems") or item not in values:
                values.append(item)
        return values

    def make_integer(self, schema: dict[str, Any], name: str | None, *_: Any) -> int:
        low, high = self.bounds(schema, integer=True)
        hinted = self.hinted_number(name)
        step = schema.get("multipleOf")
        if hinted is not None and low <= int(hinted) <= high and not step:
            return int(hinted)
        if isinstance(step, int | float) and step > 0:
            first, last = math.ceil(low / step), math.floor(high / step)
            return int(self.fake.random_int(first, max(first, last)) * step)
        return self.fake.random_int(low, high)

    def make_number(self, schema: dict[str, Any], name: str | None, *_: Any) -> float:
        low, high = self.bounds(schema, integer=False)
        hinted = self.hinted_number(name)
        step = schema.get("multipleOf")
        if isinstance(step, int | float) and step > 0:
            first, last = math.ceil(low / step), math.floor(high / step)
            made = self.fake.random_int(first, max(first, last)) * Fraction(repr(step))
            return float(made)  # from the exact multiple: 2573942 * 0.01 is 25739.42
        if hinted is not None and low <= hinted <= high:
            return float(hinted)
        return round(self._random.uniform(low, high), 2) if high - low > 0.02 else float(low)

    def bounds(self, schema: dict[str, Any], integer: bool) -> tuple[Any, Any]:
        low: float
        high: float
        low, high = INT_FORMATS.get(str(schema.get("format")), (0, 10_000))
        low = schema.get("minimum", low if "maximum" not in schema else schema["maximum"] - 10_000)
        high = schema.get("maximum", high if "minimum" not in schema else low + 10_000)
        nudge = 1 if integer else 0.01
        ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        if ex_low is True or (not isinstance(ex_low, bool) and isinstance(ex_low, int | float)):
            low = (ex_low if not isinstance(ex_low, bool) else low) + nudge
        if ex_high is True or (not isinstance(ex_high, bool) and isinstance(ex_high, int | float)):
            high = (ex_high if not isinstance(ex_high, bool) else high) - nudge
        if integer:
            low, high = math.ceil(low), math.floor(high)
        return low, max(low, high)

    def make_string(self, schema: dict[str, Any], name: str | None, *_: Any) -> str:
        low = int(schema.get("minLength", 0))
        high = int(schema.get("maxLength", max(low, 255)))
        if high <= 0:
            return ""
        text = self.string_candidate(schema, name, low, high)
        if schema.get("format") == "date-time" and not low <= len(text) <= high:
            text = sized_datetime(text, low, high) or text  # padding would break the format
        if len(text) < low:
            # Repeating the last character keeps most patterns (`^[a-f0-9]+$`) matched.
            text += (text[-1:] or "x") * (low - len(text))
        return text[:high]

    def string_candidate(
        self, schema: dict[str, Any], name: str | None, low: int, high: int
    ) -> str:
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            # A named value that matches (a slug `calculus-tutor` for `^[-a-z0-9]+$`)
            # reads better than one drawn from the pattern.
            hinted = self.hinted_string(name) if name else None
            if hinted is not None and self.takes_text(hinted, pattern, schema, low, high):
                return hinted
            return self.patterned(pattern, low, high, schema.get("format"))
        made = FORMATS.get(str(schema.get("format")))
        if made is not None:
            return str(made(self.fake))
        hinted = self.hinted_string(name)
        if hinted is not None and low <= len(hinted) <= high:
            return hinted
        if high < 12:
            return self.fake.pystr(max(low, 1), max(low, 1, min(high, 12)))
        return self.fake.word()

    @staticmethod
    def takes_text(text: str, pattern: str, schema: dict[str, Any], low: int, high: int) -> bool:
        """Whether a string schema with a pattern takes `text` as it is."""
        if not low <= len(text) <= high or not matches(pattern, text):
            return False
        return in_format(text, schema.get("format"))

    def patterned(self, pattern: str, low: int, high: int, format_: Any = None) -> str:
        """Text drawn from `pattern`, of a length in `low`..`high`, that matches it and its
        format: drawn from the pattern as written, then from its simpler form (`drawable`),
        then made for the format, as made or in either case (`^[0-9A-F-]{36}$` with `uuid`,
        whose pattern allows braces the format refuses)."""

        def fits(text: str) -> bool:
            return low <= len(text) <= high and matches(pattern, text) and in_format(text, format_)

        text = ""
        for source in dict.fromkeys((pattern, drawable(pattern))):
            for _ in range(10):
                try:
                    with warnings.catch_warnings():  # `[[` read as a set union some day
                        warnings.simplefilter("ignore", FutureWarning)
                        text = self._xeger.xeger(generable(source))
                except (re.error, RecursionError, ValueError, IndexError, KeyError):
                    break  # a pattern Python cannot read: the schema's own check says so
                if fits(text):
                    return text
        made = FORMATS.get(str(format_))
        if made is not None:
            formatted = str(made(self.fake))
            for candidate in (formatted, formatted.upper(), formatted.lower()):
                if fits(candidate):
                    return candidate
        return text


def schema_name(schema: Any) -> str | None:
    """`Mentor` for a `$ref` to `#/components/schemas/Mentor`; None for a schema in place."""
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if not isinstance(ref, str):
        return None
    return ref.rsplit("/", 1)[-1] or None


def tagged_as_mapped(schema: dict[str, Any], value: dict[str, Any]) -> None:
    """An object whose schema is the base of a hierarchy (a discriminator, a mapping, no
    `oneOf`: the subtypes `allOf` it) tagged with a value its mapping names, as clients
    (schemathesis among them) expect; the first, when the value holds none."""
    discriminator = schema.get("discriminator")
    if not isinstance(discriminator, dict) or "oneOf" in schema or "anyOf" in schema:
        return
    name, mapping = discriminator.get("propertyName"), discriminator.get("mapping")
    if not (isinstance(name, str) and isinstance(mapping, dict) and mapping):
        return
    if value.get(name) not in mapping:  # a tag the mapping names is kept
        value[name] = next(iter(mapping))


def in_format(text: str, format_: Any) -> bool:
    """Whether `text` is in `format_` as OpenAPI's checker reads it (no format: yes)."""
    if not isinstance(format_, str):
        return True
    try:
        return bool(OAS30_FORMATS.conforms(text, format_))
    except Exception:
        return True


def narrow_range(bounds: tuple[int, int]) -> tuple[str, ...]:
    """The characters to draw from a regex range: its printable ASCII part, else its first
    256 (a range wholly outside ASCII)."""
    return range_characters(*bounds)


@functools.lru_cache(maxsize=512)
def range_characters(low: int, high: int) -> tuple[str, ...]:
    """Cached: rstr asks for the range again for every character it draws from it."""
    ascii_low, ascii_high = max(low, 32), min(high, 126)
    if ascii_low <= ascii_high:
        return tuple(chr(i) for i in range(ascii_low, ascii_high + 1))
    return tuple(chr(i) for i in range(low, min(high, low + 255) + 1))


NO_EXAMPLE = object()
JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def example_of(schema: dict[str, Any]) -> Any:
    """The schema's own example (3.0 `example`, 3.1 `examples`), or NO_EXAMPLE."""
    if "example" in schema:
        return schema["example"]
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return schema["examples"][0]
    return NO_EXAMPLE


def of_declared_type(value: Any, schema: dict[str, Any]) -> bool:
    """Whether an example is at least of a type the schema declares (real documents give
    `-65.8` for a string): one of the wrong type is not worth serving."""
    declared = types_of(schema)
    if value is None:
        return not declared or "null" in declared or bool(schema.get("nullable"))
    if not declared:
        return True
    if isinstance(value, bool):
        return "boolean" in declared
    if isinstance(value, float) and not value.is_integer() and declared == ["integer"]:
        return False
    return any(isinstance(value, JSON_TYPES.get(kind, object)) for kind in declared)
