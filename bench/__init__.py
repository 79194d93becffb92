"""The benchmark: `make bench` (`python -m bench --scale small|full`). See bench/README.md."""
