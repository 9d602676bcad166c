#!/usr/bin/env python3
"""Combines ida-bench --human-model learned runs (JSON files given as arguments) into one table over seeds:
the arm trained on Amp(H′, teacher) against the arm trained on Amp(H, teacher), H's transcripts against the
supervised arm's labels, and H′'s share of reproduced transcripts. Prints Markdown."""
import json, statistics, sys

runs = [run for path in sys.argv[1:] for run in json.load(open(path))["runs"]]
tasks = []
for run in runs:
    if (run["task"], run["size"]) not in tasks:
        tasks.append((run["task"], run["size"]))

def spread(values):
    mean = statistics.mean(values)
    deviation = statistics.stdev(values) if len(values) > 1 else 0
    return f"{mean * 100:.1f}% ± {deviation * 100:.1f} ({min(values) * 100:.1f}–{max(values) * 100:.1f})"

print("| task | size | seeds | supervised | with H | with H′ | H′ − H (points) | H transcripts | labels (sup.) "
      "| transcripts / labels | invalid actions | H′ reproduced / answered as H, last interval with any | final rate |")
print("|---|---:|---|---|---|---|---:|---:|---:|---:|---:|---|---|")
for task, size in tasks:
    group = [run for run in runs if run["task"] == task and run["size"] == size]
    supervised = [run["supervised"]["heldOutAccuracy"] for run in group]
    expert = [run["amplification"]["heldOutAccuracy"] for run in group]
    learned = [run["humanModelAmplification"]["heldOutAccuracy"] for run in group]
    transcripts = statistics.mean(run["humanModelAmplification"]["hTranscripts"] for run in group)
    labels = statistics.mean(run["supervised"]["labels"] for run in group)
    invalid = statistics.mean(run["humanModelAmplification"]["humanModelInvalidActions"] for run in group)
    reproduced = []
    for run in group:
        curve = run["humanModelAmplification"]["curve"]
        points = [p["humanModelReproduced"] for p in curve if p.get("humanModelReproduced") is not None]
        agreements = [p["humanModelAgreement"] for p in curve if p.get("humanModelAgreement") is not None]
        reproduced.append((f"{points[-1] * 100:.0f}%" if points else "-") + " / "
                          + (f"{agreements[-1] * 100:.0f}%" if agreements else "-"))
    rates = [str(run["humanModelAmplification"]["humanModelRate"]) for run in group]
    difference = (statistics.mean(learned) - statistics.mean(expert)) * 100
    print(f"| {task} | {size} | {', '.join(str(run['seed']) for run in group)} | {spread(supervised)} | "
          f"{spread(expert)} | {spread(learned)} | {difference:+.1f} | {transcripts:,.0f} | {labels:,.0f} | "
          f"{transcripts / labels * 100:.2f}% | {invalid:,.0f} | {', '.join(reproduced)} | {', '.join(rates)} |")
