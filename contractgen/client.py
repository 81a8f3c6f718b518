"""Where the vendor client lives: its package, API classes, models and configuration."""

from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass
from types import ModuleType

DEFAULT_PACKAGE = "iblai"


class ClientError(RuntimeError):
    """The client does not look like an openapi-generator python client."""


@dataclass(frozen=True)
class Client:
    package: ModuleType
    api: ModuleType
    models: ModuleType
    configuration: type

    def api_classes(self) -> list[type]:
        """The `*Api` classes, by name (the package has no meaningful order of its own)."""
        found = [
            cls
            for name, cls in inspect.getmembers(self.api, inspect.isclass)
            if name.endswith("Api") and cls.__module__.startswith(self.api.__name__ + ".")
        ]
        if not found:
            raise ClientError(f"no *Api classes in {self.api.__name__}")
        return sorted(found, key=lambda cls: cls.__name__)

    def model_classes(self) -> list[type]:
        """Every model and enum class the models package defines, by name."""
        prefix = self.models.__name__ + "."
        found = [
            cls
            for _, cls in inspect.getmembers(self.models, inspect.isclass)
            if cls.__module__.startswith(prefix)
        ]
        return sorted(found, key=lambda cls: cls.__name__)

    def document_version(self) -> str:
        """The version of the OpenAPI document the client was generated from, which the
        generator writes into every module's header."""
        found = re.search(r"version of the OpenAPI document:\s*(\S+)", self.package.__doc__ or "")
        if not found:
            raise ClientError(f"{self.package.__name__} does not say its document version")
        return found.group(1)


def load_client(package: str = DEFAULT_PACKAGE) -> Client:
    root = importlib.import_module(package)
    configuration = importlib.import_module(f"{package}.configuration").Configuration
    return Client(
        package=root,
        api=importlib.import_module(f"{package}.api"),
        models=importlib.import_module(f"{package}.models"),
        configuration=configuration,
    )
