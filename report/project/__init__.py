"""The project's files read (YAML with positions), validated against the models,
walked, and the build's options resolved once.
"""
