"""Thin views: they check input and permissions, call services and readers, and render."""
