"""The admin API and what outlives a rebuild: journal, behaviours, state, reload, access log."""
