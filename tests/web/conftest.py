"""Fixtures of the web tests: ``node_clients`` (the real npm clients, see ``_web_node.py``)."""

from _web_node import node_clients

__all__ = ["node_clients"]
