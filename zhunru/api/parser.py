"""Every API body is read once, here: it must be a JSON object, and it is cleaned of what no text
column can store (zhunru/text.py). Queries are cleaned the same way."""

from ninja.parser import Parser

from zhunru.errors import RuleViolation
from zhunru.text import clean_tree


class CleanParser(Parser):
    def parse_body(self, request):
        data = super().parse_body(request)
        # pydantic would read null, [] or 42 as "no fields given"; every body of this API is an object.
        if not isinstance(data, dict):
            raise RuleViolation("请求体应为 JSON 对象", [{"rule": None, "field": None, "message": "请求体应为 JSON 对象"}])
        return clean_tree(data)

    def parse_querydict(self, data, list_fields, request):
        return clean_tree(super().parse_querydict(data, list_fields, request))
