"""Date and number formats of the languages whose Django defaults the tool does not keep."""
