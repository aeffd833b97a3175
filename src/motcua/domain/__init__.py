"""Pure domain logic: no Django, no clock, no I/O. `now` is always an argument."""
