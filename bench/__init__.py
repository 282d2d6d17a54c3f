"""diplograph's benchmarks (not tests): ``python -m bench --size small`` (``make bench``)."""
