"""The password hash: Argon2id at the cost OWASP recommends as its minimum.

Django's default Argon2 parameters (100 MiB of memory, 2 passes, 8 lanes) cost, measured on
this portal's 2-core machine, 184 ms of CPU and 100 MiB for every login: six workers logging
in at once take both cores and 600 MB, and a burst of logins (a program opening at 9:00)
queues every other request behind them. OWASP's Password Storage Cheat Sheet recommends
Argon2id with at least 19 MiB, 2 passes and 1 lane; that costs 20 ms. Hashes made with other
parameters still verify and are re-made with these at the worker's next login (Django's
``must_update``).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19_456  # KiB
    parallelism = 1
