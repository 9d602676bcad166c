let usage = """
    usage: amplify [demo] [--limit N] [--leaf N] [--depth N] [--cap N] [--trace PATH] [--chrome-trace PATH]
           amplify ask QUESTION [--base-url URL] [--model NAME] [--depth N] [--max-subquestions N]
                       [--budget-tokens N] [--cap N] [--trace PATH] [--record DIR | --replay DIR]
           amplify audit FILE [--base-url URL] [--model NAME] [--cap N] [--trace PATH] [--record DIR | --replay DIR]
           amplify read FILE QUESTION [--base-url URL] [--model NAME] [--cap N] [--trace PATH]
                        [--record DIR | --replay DIR]
           amplify trace show FILE [--limit N]
           amplify trace html FILE -o PAGE.html
           amplify trace steps FILE -o STEPS.jsonl
           amplify human [--depth N] [--assistant human|model|none] [--session DIR] [QUESTION]
           amplify human export --session DIR [--demonstrations FILE] [--fine-tuning FILE]

    demo (the default): HCH counts the primes below a limit. The supervisor splits a range into ten parts
    and adds their counts; the assistant counts the primes of a range of at most --leaf numbers. Prints
    the answer, checked against a direct count, and what the run spent.
      --limit N          count primes below N (default 100000)
      --leaf N           the largest range the assistant counts itself (default 1000)
      --depth N          HCH depth (default: unlimited)
      --cap N            at most N assistant calls at once (default 8)
      --trace PATH       write the trace as JSON
      --chrome-trace P   write the trace as Chrome trace events (open in ui.perfetto.dev)

    ask: HCH with a model as H and as the assistant, at the OpenAI-compatible server at LLM_BASE_URL
    (model LLM_MODEL, key LLM_API_KEY; --base-url and --model override them), at temperature 0. Prints
    the answer, then the tree; on a terminal, a live line on standard error shows nodes, model calls
    and tokens.
      --depth N          HCH depth (default 2)
      --max-subquestions N   subquestions per question at most (default 4)
      --budget-tokens N  stop the run once N tokens are spent
      --cap N            at most N assistant calls at once (default 4)
      --trace PATH       write the trace as JSON
      --record DIR       keep every model reply in DIR (a request already there is answered from it)
      --replay DIR       answer every request from DIR and send nothing; a request not there is an error

    audit and read, the recipes: HCH with a program as H and the model as the assistant. audit splits a
    C-like or Swift source file into its functions, asks the model to check each for buffer overflows
    and other memory-safety errors and to summarise its data flow, all in parallel, and writes the
    report. read answers a question about a long document: each section is read on its own, copies of H
    combine the findings of groups of at most 6 sections, and no model call sees more than one section.

    trace show: a trace written by --trace as an indented tree (question → answer, role, time, cost,
    errors). trace html: the same as one self-contained HTML page (nothing loaded from the network) with
    a collapsible tree, search, and each node's details; PAGE.html#search=TEXT and PAGE.html#node=ID
    open it at a search or a node. trace steps: H's decisions at every supervisor node of a trace with
    text questions (a model's or a person's run) as chat fine-tuning records, one subquestion at a time,
    to fine-tune a model to act as H.

    human: you are H. You see one question at a time, with the answers to the subquestions you asked so
    far, and type at the h> prompt: ask QUESTION, ask Q1 | Q2 (in parallel), answer TEXT, or unknown.
    A question answered before in the session is answered from it.
      --assistant K      where subquestions go: human (further copies of you: HCH, the default), model
                         (the model at LLM_BASE_URL / LLM_MODEL / LLM_API_KEY: Amp(H, X)), or none (you
                         answer alone)
      --depth N          levels of copies below you (default: unlimited with human, 1 with model)
      --session DIR      keep every decision in DIR as it is made; run again with the same DIR (and no
                         question) to resume where you stopped, with nothing asked twice
    human export: what a session taught: --demonstrations FILE (question → answer, JSON Lines) and
    --fine-tuning FILE (each decision: the workspace → the response, as chat fine-tuning records)
    """
