"""What the schema cannot check: citation keys, cross-references, dates, uncited
sources, content lint and the safety of links and images. Problems come back as data.
"""
