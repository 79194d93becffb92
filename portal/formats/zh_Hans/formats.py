# The factory's figures are grouped by thousands (147,260.01), as in its Excel sheets and
# reports, rather than Django's zh_Hans default of no separator (grouped by 10,000). Only
# numbers formatted with grouping (portal/figures.py, intcomma) are affected; every other
# format falls back to Django's zh_Hans module.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
