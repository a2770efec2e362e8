"""Qt glue without widgets: the sampler thread (the single database writer) and friends."""
