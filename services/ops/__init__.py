"""Operator tools over the topics: dead-letter inspection and redrive, pipeline status."""
