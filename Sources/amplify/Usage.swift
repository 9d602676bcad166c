let usage = """
    usage: amplify [demo] [--limit N] [--leaf N] [--depth N] [--cap N] [--trace PATH] [--chrome-trace PATH]

    demo (the default): HCH counts the primes below a limit. The supervisor splits a range into ten parts
    and adds their counts; the assistant counts the primes of a range of at most --leaf numbers. Prints
    the answer, checked against a direct count, and what the run spent.
      --limit N          count primes below N (default 100000)
      --leaf N           the largest range the assistant counts itself (default 1000)
      --depth N          HCH depth (default: unlimited)
      --cap N            at most N assistant calls at once (default 8)
      --trace PATH       write the trace as JSON
      --chrome-trace P   write the trace as Chrome trace events (open in ui.perfetto.dev)
    """
