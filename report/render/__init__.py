"""The document model through Jinja2 templates into one print HTML file, with the
theme's CSS, the pinned fonts and each block kind's CSS.
"""
