"""Renderers: each turns the same plain values into a terminal table, JSON or a workbook."""
