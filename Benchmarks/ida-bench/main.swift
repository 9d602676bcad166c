print("ida-bench: not yet implemented")
