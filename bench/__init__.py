"""`make bench`: the build measured on the real report and on synthetic ones of 50–500 pages.

`python -m bench` from the repository runs it (bench/__main__.py); synthetic.py writes the
projects, measure.py runs and measures one child process, summary.py prints the table and
the targets.
"""
