"""makemessages without msgmerge's fuzzy matching: a new string starts empty (and the
catalogue test says so) instead of silently borrowing a similar string's translation."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
