"""Batch: plan, input hashes, cache, workers, manifest, report and the build itself."""
