"""The parts of ``manage.py seed_scale``: a district-scale data set built with bulk writes.

``base`` (the writer, the clock, the context), ``names`` (identities), ``trail`` (audit rows
and inbox messages as the workflow engine writes them), ``review`` (an application through
the two-stage workflow), ``payments`` (the ledger and the bank's batches), then one module per
part of the portal: ``people``, ``programs``, ``claims``, ``hardship``, ``courses``,
``reports``. ``progress`` prints what is being done.
"""
