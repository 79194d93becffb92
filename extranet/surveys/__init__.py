"""Surveys: sales administrators build questionnaires for an audience of retailers, who answer
once on the extranet; the results are aggregated on the intranet."""
