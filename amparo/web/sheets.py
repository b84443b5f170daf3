"""Site views for the documents capability (sheets); filled in by the documents work."""

urlpatterns: list = []
