"""``spamguard train``: fit a classifier on labelled files and save it with a model card."""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from datetime import datetime, timezone
from typing import Any

from spamguard._version import __version__
from spamguard.cli._common import Streams, UsageError, need, parse_assignments
from spamguard.cli._labelled import add_label_options, read_labelled

_ESTIMATORS = {"sms": "SmsClassifier", "posts": "PostsClassifier"}


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train a model on labelled files and save it with a model card",
                       description="Train a classifier on labelled CSV/TSV/JSONL files; save the model and its "
                                   "model card (data used with checksums, parameters, versions).")
    p.add_argument("data", nargs="*", metavar="DATA", help="labelled files")
    p.add_argument("--task", choices=sorted(_ESTIMATORS), required=True, help="which classifier to train")
    p.add_argument("-o", "--output", metavar="MODEL", help="where to save the model")
    p.add_argument("--shipped", action="store_true",
                   help="retrain the shipped model of --task with its own data recipe and seed (no DATA; "
                        "default output models/<task>.sgm); same as `python -m spamguard.training <task>`")
    p.add_argument("--text-col", metavar="NAME", help="column with the text")
    p.add_argument("--sender-col", metavar="NAME", help="column with the SMS sender")
    p.add_argument("--col", action="append", metavar="FIELD=NAME", help="map a model field to a column")
    add_label_options(p)
    p.add_argument("--param", action="append", metavar="NAME=VALUE", help="estimator parameter (JSON value or "
                   "string), e.g. --param random_state=0")
    p.add_argument("--description", default="", help="a sentence for the model card")
    p.set_defaults(run=run)


def _value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)
    return value


def run(args: argparse.Namespace, streams: Streams) -> int:
    if args.shipped:
        if args.data:
            raise UsageError("--shipped trains on the shipped model's own data recipe: give no DATA files")
        training = need("spamguard.training")
        return training.main([args.task] + (["-o", args.output] if args.output else []))
    if not args.data or not args.output:
        raise UsageError("train needs DATA files and -o MODEL (or --shipped)")
    classifiers = need("spamguard.classifiers")
    save_model = need("spamguard.persist").save_model

    params = {k: _value(v) for k, v in parse_assignments(args.param, "--param").items()}
    estimator = getattr(classifiers, _ESTIMATORS[args.task])()
    unknown = sorted(set(params) - set(estimator.get_params()))
    if unknown:
        raise UsageError(f"--param: {_ESTIMATORS[args.task]} has no parameter {', '.join(unknown)}; it has: "
                         f"{', '.join(sorted(estimator.get_params()))}")
    estimator.set_params(**params)
    data = read_labelled(args, streams, args.task)
    streams.note(f"training {_ESTIMATORS[args.task]} on {len(data.y):,} rows "
                 f"({', '.join(f'{k} {v:,}' for k, v in sorted(Counter(data.y).items()))})")
    started = time.perf_counter()
    estimator.fit(data.X, data.y)
    seconds = time.perf_counter() - started
    card = {
        "task": args.task,
        "description": args.description,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "spamguard_version": __version__,
        "command": "spamguard train " + " ".join(_quote(a) for a in args.argv),
        "data": data.files,
        "classes": [str(c) for c in getattr(estimator, "classes_", [])],
        "params": {k: _jsonable(v) for k, v in estimator.get_params(deep=False).items()},
        "training_seconds": round(seconds, 1),
    }
    save_model(estimator, args.output, card=card)
    streams.note(f"trained in {seconds:.1f} s; saved to {args.output}")
    return 0


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)
