"""Page benchmark behind `make bench` (DESIGN.md §8): python -m bench.run."""
