"""Django's messages (the admin's "saved" notices), with their storage made only when used."""

from django.contrib.messages import middleware
from django.contrib.messages.storage import default_storage
from django.utils.functional import SimpleLazyObject, empty


class MessageMiddleware(middleware.MessageMiddleware):
    """Django's, making a request's message storage (a cookie storage and a session storage)
    when something reads or adds a message, not for every request: the API never does, and
    making it was about 2% of a claim's detail. An unused storage has nothing to save, as
    Django's own would not."""

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)
