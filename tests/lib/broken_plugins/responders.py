"""Responders that break the decision contract, one each."""

from openledger import hookimpl
from openledger.records import Draft, RemedyProposal


class Fixed:
    version = "0.1"

    def __init__(self, name, tier=1, remedy=None, amount=0.0):
        self.name, self.tier, self.remedy, self.amount = name, tier, remedy, amount

    def draft(self, case):
        return Draft(reply="We are on it.", tier=self.tier, first_response_hours=4)

    def propose_remedy(self, case):
        return RemedyProposal(self.remedy, self.amount, "test") if self.remedy else None


TIER_NINE = Fixed("tier-nine", tier=9)
NEGATIVE_REFUND = Fixed("negative-refund", remedy="refund", amount=-50.0)
HUGE_PROPOSAL = Fixed("huge-proposal", remedy="credit", amount=99_999.0)
VOUCHER = Fixed("voucher", remedy="voucher", amount=10.0)  # not a remedy of the policy


class One:
    """A plugin registering one of the responders above."""

    def __init__(self, responder):
        self.responder = responder

    @hookimpl
    def register_responders(self, register):
        register(self.responder)


TIER_NINE_PLUGIN = One(TIER_NINE)
NEGATIVE_REFUND_PLUGIN = One(NEGATIVE_REFUND)
HUGE_PROPOSAL_PLUGIN = One(HUGE_PROPOSAL)
VOUCHER_PLUGIN = One(VOUCHER)
