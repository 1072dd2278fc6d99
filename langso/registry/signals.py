from django.dispatch import Signal

# Sent after a change to the registry is committed, with `unit`: the hamlet or group
# whose households changed. Figures kept elsewhere (the reports' summaries) listen.
registry_changed = Signal()
