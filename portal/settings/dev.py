"""The embedded set-up of `make run`: DEBUG on, everything local."""

from .base import *  # noqa: F403

DEBUG = True
