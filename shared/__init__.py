"""Newswire's shared package: contracts, topics, settings, logging, codec, errors, broker helpers."""
