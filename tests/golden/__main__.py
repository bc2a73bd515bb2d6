"""``python -m tests.golden``: regenerate the expected packages of the golden cases."""

from tests.golden import update

update()
