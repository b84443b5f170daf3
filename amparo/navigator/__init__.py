"""The navigator: from a defender's situation to a cited, risk-aware plan.

Pure Python over the dataset and the rule file (``rules.yaml`` in the dataset):
the CLI, the API, the site and the offline edition all get the same plan.
Nothing here stores or logs what a person tells it.
"""

from amparo.navigator.plan import Plan, make_plan
from amparo.navigator.rules import RuleBook, get_rules, load_rules
from amparo.navigator.situation import Situation, SituationError, parse_situation

__all__ = ["Plan", "RuleBook", "Situation", "SituationError", "get_rules", "load_rules", "make_plan", "parse_situation"]
