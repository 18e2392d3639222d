"""Every API body and query is cleaned once, here, of what no text column can store (zhunru/text.py)."""

from ninja.parser import Parser

from zhunru.text import clean_tree


class CleanParser(Parser):
    def parse_body(self, request):
        return clean_tree(super().parse_body(request))

    def parse_querydict(self, data, list_fields, request):
        return clean_tree(super().parse_querydict(data, list_fields, request))
