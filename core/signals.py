from django.dispatch import Signal

# Sent by writes that model signals do not see (bulk_create, bulk_update, QuerySet.update), so that
# what is computed from the data and cached (reports) is computed again. Lower apps send it and
# never need to know who listens.
data_changed = Signal()
