"""The forum's pages, one module per kind of work: `reading`, `writing`, `moderation`,
`pseudonyms` and `identity` (the identity auditors'). Thin: parse input, call a selector or a
service, render."""
