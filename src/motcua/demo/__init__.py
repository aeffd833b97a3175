"""Demo data: a province after the 2025 reorganisation, its officers and a procedure
catalogue, loaded by `motcua demo` so that `make run` starts with something to look at."""
