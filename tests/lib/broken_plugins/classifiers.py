"""Classifiers that break the decision contract, one each, and a good one of a label of its own."""

from openledger import hookimpl
from openledger.records import Label


class Fixed:
    version = "0.1"

    def __init__(self, name, label, value, confidence=0.9, values=None):
        self.name, self.label, self.value, self.confidence = name, label, value, confidence
        if values is not None:
            self.values = values

    def classify(self, item):
        return Label(self.value, self.confidence)


RANT = Fixed("rant-kind", "kind", "rant")  # outside the taxonomy of kind
WEATHER = Fixed("weather-category", "category", "weather")  # no such category in the taxonomy
OVERCONFIDENT = Fixed("overconfident", "urgency", "high", confidence=1.7)
REGULATOR_NO_VALUES = Fixed("regulator", "regulator", "yes")  # a label of its own, no value set
REGULATOR = Fixed("regulator", "regulator", "maybe", values=("yes", "no"))  # outside its own value set


class One:
    """A plugin registering one of the classifiers above."""

    def __init__(self, classifier):
        self.classifier = classifier

    @hookimpl
    def register_classifiers(self, register):
        register(self.classifier)


RANT_KIND = One(RANT)
WEATHER_CATEGORY = One(WEATHER)
OVERCONFIDENT_URGENCY = One(OVERCONFIDENT)
OWN_LABEL_WITHOUT_VALUES = One(REGULATOR_NO_VALUES)
OUTSIDE_OWN_VALUES = One(REGULATOR)
