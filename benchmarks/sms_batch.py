"""The batch the SMS speed benchmarks score: the distinct messages of 150-260 characters in our two corpora.

Distinct only: predict_proba analyzes repeated messages once, so a batch with copies would flatter it.
"""

from __future__ import annotations


def distinct_long_sms() -> tuple[list[str], list[str]]:
    """Texts and senders, first copy of each text, from datasets/sms_vi then datasets/sms_vi_challenge."""
    from spamguard.datasets import load_sms_challenge, load_sms_vi

    pool: dict[str, str] = {}
    for data in (load_sms_vi(), load_sms_challenge()):
        for text, sender in zip(data.texts, data.meta["sender"]):
            if 150 <= len(text) <= 260:
                pool.setdefault(text, sender)
    return list(pool), list(pool.values())
