"""Does the shipped cache policy template build working caches, and are typos refused?"""

import json

import numpy as np
import pytest

from course_lib.cache.config import PolicyError, caches_from_policy, content_type_of
from course_lib.clock import Clock
from course_lib.paths import REPO_ROOT

TEMPLATE = REPO_ROOT / "templates" / "cost-optimization" / "cache_policy.json"


def test_does_the_template_give_an_order_status_minutes_and_a_policy_days():
    clock = Clock(start=0.0, frozen=True)
    exact, semantic = caches_from_policy(TEMPLATE, embed=lambda t: np.ones((len(t), 3)), clock=clock)
    policy = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    req = {"model": "m", "temperature": 0, "messages": [{"role": "user", "content": "¿Dónde está mi pedido?"}]}
    ok = {"choices": [{"index": 0, "finish_reason": "stop", "message": {"content": "En reparto."}}]}
    exact.store(req, ok, namespace="pedidos", content_type=content_type_of(policy, "pedidos"))
    exact.store(req, ok, namespace="faq", content_type=content_type_of(policy, "faq"))
    clock.advance(301)
    assert exact.lookup(req, namespace="pedidos") is None
    assert exact.lookup(req, namespace="faq") is not None
    assert semantic.threshold == pytest.approx(0.90) and exact.version == policy["version"]


def test_is_a_typo_in_the_policy_refused():
    with pytest.raises(PolicyError, match="umbrall"):
        caches_from_policy({"umbrall": 0.9})
