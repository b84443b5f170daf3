"""The casebook as a Django app of its own, beside the public site (``amparo.web``).

Two rooms, as SecureDrop keeps its source and journalist interfaces apart: the public
site reads only the published dataset and never touches a session; everything here sits
behind the vault's unlock (:mod:`amparo.web.casebook.access`) under ``/<language>/casebook/``
and the ``casebook`` URL namespace, with its templates in ``templates/casebook/``.
"""

from django.apps import AppConfig


class CasebookConfig(AppConfig):
    name = "amparo.web.casebook"
    label = "casebook"
    verbose_name = "Casebook"
