"""The command line: one thin module per command group, registered on `app.app`.

`main.main` is the entry point. Modules here parse arguments, call the stages below and pick
a report; they hold no checking logic. Imports anything below; nothing imports it.
"""
