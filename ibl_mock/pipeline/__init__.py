"""The stages of one request: routing help, security, validation, negotiation, statuses, errors."""
