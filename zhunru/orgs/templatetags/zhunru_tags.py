from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def at(seq, index):
    try:
        return seq[int(index)]
    except (IndexError, TypeError, ValueError, KeyError):
        return None
