from haystack.backends.whoosh_backend import WhooshEngine


class ChineseWhooshEngine(WhooshEngine):
    pass
