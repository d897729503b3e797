"""Model selection: evaluate strategies, compare them with single models, cascade and route.

* ``evaluation`` — run a strategy on tasks through the pipeline, every attempt billed;
* ``frontier`` — the single-model Pareto frontier and where a strategy lies against it;
* ``metrics`` — RouteLLM's PGR, APGR, CPT with random and oracle baselines;
* ``scorers``, ``cascade``, ``calibration`` — confidence cascades and their thresholds;
* ``router`` — a learned router (scikit-learn) in the router slot, with explanations;
* ``specialized`` — a small local intent classifier against a general LLM;
* ``edge`` — edge vs cloud cost model and break-even; ``privacy`` — routing rules;
* ``repricing`` — re-optimize a strategy when prices change on a date.

Nothing here knows the course's tasks: scoring functions and tasks are arguments.
Names load lazily, so ``import course_lib.cascade`` does not import scikit-learn.
"""

from course_lib._lazy import exports

_EXPORTS = {
    "Evaluation": "evaluation", "TaskOutcome": "evaluation", "evaluate": "evaluation",
    "pgr": "metrics", "RoutingCurve": "metrics", "routing_curve": "metrics",
    "random_curve": "metrics", "oracle_curve": "metrics", "oracle_scores": "metrics",
    "MetricError": "metrics",
    "logprob_confidence": "scorers", "Agreement": "scorers", "Verifier": "scorers",
    "Cascade": "cascade", "replay": "cascade", "rung": "cascade", "CascadeConfigError": "cascade",
    "Point": "frontier", "pareto_frontier": "frontier", "dominating": "frontier",
    "beats_frontier": "frontier", "cheapest_at_least": "frontier", "measure_models": "frontier",
    "runs_of": "frontier",
    "calibrate": "calibration", "outcome": "calibration", "report": "calibration",
    "threshold_for_share": "calibration", "CalibrationError": "calibration",
    "LearnedRouter": "router", "RouterNotFitted": "router",
    "IntentModel": "specialized", "is_intent_request": "specialized", "message_of": "specialized",
    "main_request": "specialized",
    "EdgeCost": "edge", "break_even": "edge", "cloud_monthly": "edge", "edge_price": "edge",
    "PrivacyRule": "privacy", "PrivacyRefused": "privacy", "personal_data": "privacy",
    "is_sensitive_topic": "privacy",
    "reprice": "repricing", "best_cascade": "repricing", "Repricing": "repricing",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = exports(__name__, _EXPORTS, globals())
