"""Site views for the documents capability (offline); filled in by the documents work."""

urlpatterns: list = []
