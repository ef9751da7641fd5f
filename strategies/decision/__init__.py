"""Decision support: the overlap finder, budget reach and readiness-gap coverage (issue 7).

Pure computations on plain data live in ``overlaps``, ``budget`` and ``gaps``; ``selectors`` loads from
the database in a fixed number of queries and calls them; ``services`` records the secretariat's and
advisors' decisions on overlaps. The web pages, the ``find_overlaps`` command and the briefings all go
through ``selectors``, so they report the same thing.
"""
