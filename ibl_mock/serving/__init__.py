"""What answers an operation: hand-written handlers, stateful CRUD, or the documented response."""
