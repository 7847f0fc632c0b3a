"""Comparative analytics for community party-building governance cases."""
