print("hch-bench: not yet implemented")
