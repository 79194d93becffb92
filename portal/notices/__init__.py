"""Mass notices: compose, choose recipients, send in the background, archive and inbox."""
