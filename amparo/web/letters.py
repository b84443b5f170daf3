"""Site views for the documents capability (letters); filled in by the documents work."""

urlpatterns: list = []
