"""State changes for this app go here (do_<verb>_<noun>(..., actor=...)); none yet."""
