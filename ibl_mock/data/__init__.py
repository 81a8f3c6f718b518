"""Records and values: the store, querying and pagination, fixtures, and schema-made data."""
