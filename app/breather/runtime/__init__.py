"""What runs while Breather runs: the sampling loop, the boundaries, and their Qt glue.

`recorder` (the loop from desktop to database) and `coordinator` (breaks, limits and prompts
from each sample) are Qt-free and run `breather track` as they are. `sampler` (the worker
thread, the single database writer) and `boundaries` wrap them for the app with QtCore only,
never widgets. Imports the domain, `notify` and `data` beneath it; never `ui` or `cli`.
"""
