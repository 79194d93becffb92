"""`{% querystring %}` for views that write many links to the same page with one parameter
changed (facets, sort orders, pages): the request's parameters are encoded once, not copied
and encoded again for every link."""

from html import escape
from urllib.parse import quote_plus


class QueryStrings:
    """The links `{% querystring key=value ... %}` writes for the query `query` (a QueryDict,
    usually `request.GET`), escaped for an HTML attribute as the tag's output is."""

    def __init__(self, query):
        self.encoding = query.encoding
        self.empty = not query
        # key -> its encoded `key=value` pairs, in the query's order.
        self.pairs = {key: self._pairs(key, values) for key, values in query.lists()}

    def _encode(self, value) -> str:
        return quote_plus(str(value).encode(self.encoding), safe="")

    def _pairs(self, key, values) -> list[str]:
        name = self._encode(key)
        return [f"{name}={self._encode(value)}" for value in values]

    def __call__(self, **changes) -> str:
        """`{% querystring **changes %}`: a value of None drops the key, any other value
        replaces the key's values (in place, or appended when the key is new)."""
        pairs = dict(self.pairs)
        for key, value in changes.items():
            if value is None:
                pairs.pop(key, None)
            elif not isinstance(value, str) and hasattr(value, "__iter__"):
                pairs[key] = self._pairs(key, value)
            else:
                pairs[key] = self._pairs(key, [value])
        if not pairs and self.empty:
            return ""
        return escape("?" + "&".join(pair for values in pairs.values() for pair in values))
