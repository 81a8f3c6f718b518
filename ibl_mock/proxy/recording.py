"""`ibl-mock proxy --record DIR`: what the upstream answered, turned into fixture files
of a world the mock serves statefully (`ibl-mock serve --spec S --fixtures DIR`), not
into stubs: the records of each resource the contract's paths make (its lists and its
items), checked against the record schema (a record that breaks it is left out and
counted), credentials-like fields masked, duplicates merged by id (the last answer wins).

One file per collection, `DIR/recorded-<name>.yaml`, naming it, its id field and schema:
a resource nested under another's item has a collection per parent, as the mock keeps it
(`/owners/{ownerId}/pets?ownerId=7`).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import yaml

from ..checks.examples import Checkers
from ..contract.path_index import path_values
from ..contract.resources import Action, Resource, recognise
from ..contract.spec import Operation, Spec
from ..control.masking import masked


def collection_name(resource: Resource, values: dict[str, str]) -> str:
    """The collection the mock keeps `resource`'s records in, for these path values."""
    if not resource.scope:
        return resource.key
    return resource.key + "?" + "&".join(f"{k}={values.get(k)}" for k in resource.scope)


def file_name(key: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", key).strip("-")
    return f"recorded-{slug or 'root'}.yaml"


class Recorder:
    def __init__(self, folder: Path, spec: Spec) -> None:
        self.folder = folder
        self.spec = spec
        self.actions: dict[str, Action] = {
            op: action
            for op, action in recognise(spec).items()
            if action.kind in ("list", "retrieve")
            and action.resource.id_field
            and action.view is None
        }
        version = "3.1" if str(spec.document.get("openapi", "")).startswith("3.1") else "3.0"
        self.checkers = Checkers(spec.document, version)
        self.records: dict[str, dict[str, Any]] = {}  # collection -> id (as text) -> record
        self.resources: dict[str, Resource] = {}  # collection -> its resource
        self.left_out = 0  # records that broke their schema
        self._lock = threading.Lock()

    def observe(self, operation: Operation, path: str, status: int, body: Any) -> int:
        """Keep the records of a success answer of a list or retrieve at `path` (the
        spec's, without its base); how many."""
        action = self.actions.get(operation.operation_id)
        if action is None or not 200 <= status < 300:
            return 0
        name = collection_name(action.resource, path_values(operation.path, path))
        kept = 0
        for record in self.records_in(action, body):
            if self.checkers.error("response", action.resource.record, record) is not None:
                self.left_out += 1
                continue
            with self._lock:
                self.resources[name] = action.resource
                by_id = self.records.setdefault(name, {})
                by_id[repr(record[str(action.resource.id_field)])] = masked(record)
            kept += 1
        return kept

    def records_in(self, action: Action, body: Any) -> list[dict[str, Any]]:
        if action.kind == "retrieve":
            found = body.get(action.wrap) if action.wrap and isinstance(body, dict) else body
            items = [found]
        elif isinstance(body, list):
            items = body
        elif isinstance(body, dict):
            listed = next((v for v in body.values() if isinstance(v, list)), [])
            items = body.get("results", listed) if isinstance(body.get("results"), list) else listed
        else:
            items = []
        id_field = str(action.resource.id_field)
        return [item for item in items if isinstance(item, dict) and id_field in item]

    def write(self) -> list[Path]:
        """The fixture files of everything recorded so far (rewritten whole)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        written = []
        with self._lock:
            recorded = {key: list(by_id.values()) for key, by_id in self.records.items()}
        for key, records in sorted(recorded.items()):
            resource = self.resources[key]
            content = {
                "collection": key,
                "id_field": resource.id_field,
                "schema": resource.record,
                "records": records,
            }
            path = self.folder / file_name(key)
            path.write_text(
                yaml.safe_dump(content, sort_keys=False, allow_unicode=True), encoding="utf-8"
            )
            written.append(path)
        return written
