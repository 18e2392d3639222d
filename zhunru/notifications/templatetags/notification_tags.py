from django import template

from zhunru.notifications.queries import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return unread_count(user) if user is not None else 0
