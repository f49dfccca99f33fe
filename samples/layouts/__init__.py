"""Renderers of the sample documents: one module for drawing primitives, one per family of forms."""
