"""The survey builder in the Wagtail admin (menu "Surveys"): settings, pages, questions with
options, matrix rows and scale points, conditions, Handlungsfeld tags, order, and the
structure overview. The lock rule lives in surveys.structure."""
