"""The newswires' terms: rule files found, validated (their pydantic schema, inheritance,
errors with positions), cached in plain form and loaded; which rule set a page falls under
(detection); and the terms shown, explained and exported (ODRL).

May import: `compliance.model`, `compliance.errors`, `compliance.common`, `compliance.read`,
`compliance.checks` (for the documentation of check types).
"""
