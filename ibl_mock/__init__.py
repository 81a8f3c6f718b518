"""ibl-mock: a contract-first, stateful mock server for OpenAPI documents.

The default mock is the ibl.ai data-manager API kept in this repository's `spec/`,
`handlers/` and `fixtures/` folders.
"""

__version__ = "0.1.0"
