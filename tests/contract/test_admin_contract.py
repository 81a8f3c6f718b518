"""schemathesis over the admin API's own document, in-process, with its token: every
answer it gives is one admin.yaml documents, and nothing is a server error."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from ibl_mock.app import create_app
from ibl_mock.settings import Settings

from ..conftest import SEED_SPEC

TOKEN = "admin-contract-token"
SERVER = create_app(Settings.build(spec_path=SEED_SPEC, admin_token=TOKEN))
# admin.yaml types records as any object: whether a record fits its collection (or a
# snapshot fits this mock) is known only at run time, so such a request, valid by the
# document, may rightly get a 400 naming the record; positive_data_acceptance is off.
CONFIG = SchemathesisConfig.from_dict(
    {
        "headers": {"X-Mock-Admin-Token": TOKEN},
        "checks": {"positive_data_acceptance": {"enabled": False}},
    }
)
SCHEMA = schemathesis.openapi.from_asgi("/__mock__/openapi.json", SERVER, config=CONFIG)


@SCHEMA.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_admin_api_keeps_to_its_document(case: Any) -> None:
    case.call_and_validate()
