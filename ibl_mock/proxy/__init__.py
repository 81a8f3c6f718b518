"""`ibl-mock proxy`: between the client and the real API, checking both directions
against the contract (`conformance`), forwarding (`forwarding`), reporting (`report`);
`command` is its command line."""
