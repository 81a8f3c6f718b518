"""Hand-written handlers of the ibl-data-manager mock: one module per spec tag."""
