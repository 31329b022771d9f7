"""The program's top floor: the ``counter-app`` command line and the wiring.

Everything else is below this package: ``ui`` (the Qt windows), ``counter_app``
(the services), ``drivers`` and ``records`` (devices, the case database) and
``decoding`` (the payload and the form catalogue). Here the settings become
keys, stores, services and windows (:mod:`app.compose`); nothing below names
this package, by import or by string.
"""
