"""Form posts are cleaned once, before any view, of what no text column can store (zhunru/text.py).

The API has its own parser (zhunru/api/parser.py); this covers the pages. Uploaded files are untouched.
"""

from zhunru.text import clean_text


def clean_form_text(get_response):
    def middleware(request):
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            post = request.POST.copy()
            for key in list(post.keys()):
                post.setlist(key, [clean_text(v) for v in post.getlist(key)])
            post._mutable = False
            request.POST = post
        return get_response(request)

    return middleware
