"""motcua: electronic one-stop system for Vietnamese administrative procedures."""
