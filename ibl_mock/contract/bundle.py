"""One self-contained document from a root file and the neighbouring files it `$ref`s.

References to other files (`./schemas/order.yaml#/Order`, `common.yaml`) are replaced by
copies of their targets; references inside those files resolve against those files. A
target that refers back to itself (a recursive schema) is placed once under
`components/schemas` and referred to locally.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .docwalk import Context, child_context, reference
from .docwalk import walk as walk_document
from .refs import RefError, pointer_get


class BundleError(Exception):
    """A reference to another file that cannot be followed; the message says which."""


Target = tuple[Path, str]  # (file, "#/json/pointer")


class Bundler:
    def __init__(self, root_path: Path, root: dict[str, Any], reader: Any) -> None:
        self.root_path = root_path.resolve()
        self.root = root
        self.read = reader
        self.files: dict[Path, Any] = {self.root_path: root}
        self.hoisted: dict[Target, str] = {}
        self.schemas: dict[str, Any] = {}  # hoisted targets, by their new name
        self.expanding: list[Target] = []

    def document(self, path: Path) -> Any:
        path = path.resolve()
        if path not in self.files:
            if not path.is_file():
                raise BundleError(f"{path}: referenced file does not exist")
            self.files[path] = self.read(path)
        return self.files[path]

    def walk(self, node: Any, here: Path, context: Context = "object") -> Any:
        if isinstance(node, list):
            return [self.walk(item, here, context) for item in node]
        if not isinstance(node, dict):
            return node
        ref = reference(node, context)
        if ref is not None and (here != self.root_path or not ref.startswith("#")):
            return self.follow(ref, here, context)
        return {key: self.walk_child(key, value, here, context) for key, value in node.items()}

    def walk_child(self, key: Any, value: Any, here: Path, context: Context) -> Any:
        inner = child_context(context, str(key), value)
        return value if inner is None else self.walk(value, here, inner)

    def follow(self, ref: str, here: Path, context: Context) -> Any:
        file_part, _, fragment = ref.partition("#")
        target_file = (here.parent / file_part).resolve() if file_part else here
        target: Target = (target_file, "#" + fragment)
        if target_file == self.root_path:
            return {"$ref": target[1]}
        if target in self.expanding or target in self.hoisted:
            return {"$ref": "#/components/schemas/" + self.hoist(target)}
        try:
            found = pointer_get(self.document(target_file), target[1])
        except RefError as exc:
            raise BundleError(f"{here}: $ref {ref!r}: {exc}") from exc
        self.expanding.append(target)
        try:
            return self.walk(found, target_file, context)
        finally:
            self.expanding.pop()

    def hoist(self, target: Target) -> str:
        if target not in self.hoisted:
            stem = re.sub(r"\W+", "_", target[0].stem + target[1].replace("/", "_")).strip("_")
            name = stem
            taken = self.root.get("components", {}).get("schemas", {})
            while name in taken or name in self.schemas:
                name += "_"
            self.hoisted[target] = name
            self.schemas[name] = {}  # reserve the name before filling: the target recurses
            found = pointer_get(self.document(target[0]), target[1])
            self.schemas[name] = self.walk(found, target[0], "schema")
        return self.hoisted[target]


def has_external_refs(node: Any) -> bool:
    for _, child, context in walk_document(node):
        ref = reference(child, context)
        if ref is not None and not ref.startswith("#"):
            return True
    return False


# A `$ref` key whose value may not start with "#"; a text without one (and without the
# key spelt with escapes) refers only within itself, and is not walked to find out.
MAYBE_ELSEWHERE = re.compile(r"""\$ref["']?\s*:\s*["']?[^"'#\s]""")
ESCAPED_KEY = re.compile(r"\\u00(24|72|65|66)", re.IGNORECASE)


INTO_PATHS = re.compile(r"""\$ref["']?\s*:\s*["']?#/paths/""")


def refers_only_within(text: str) -> bool:
    return MAYBE_ELSEWHERE.search(text) is None and ESCAPED_KEY.search(text) is None


def refers_into_paths(text: str) -> bool:
    """Whether a reference in `text` may name something under `#/paths/`."""
    return INTO_PATHS.search(text) is not None or ESCAPED_KEY.search(text) is not None


def bundle(
    root: dict[str, Any], path: Path, reader: Any, text: str | None = None
) -> dict[str, Any]:
    """`root` with every reference to another file inlined (unchanged if it has none);
    `text`, the text `root` was read from, can tell that at once (a walk of the whole ibl
    API takes a quarter of a second)."""
    if (text is not None and refers_only_within(text)) or not has_external_refs(root):
        return root
    bundler = Bundler(path, root, reader)
    bundled: dict[str, Any] = bundler.walk(root, bundler.root_path)
    if bundler.schemas:
        bundled.setdefault("components", {}).setdefault("schemas", {}).update(bundler.schemas)
    return bundled
