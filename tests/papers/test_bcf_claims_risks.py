"""The risk register's and scheme narratives' claims (Rotherham BCF plan 2017-19, item 15,
section 17 Table 6 and sections 5.1, 7.3, 7.4), checked on the template's expenditure plan."""

from __future__ import annotations

from hwb.papers import bcf
from hwb.papers.bcf import evidence

ROT = "rotherham-2017-09-20"


def _results():
    r = evidence.check_board_claims(bcf.load_printed(ROT), ROT, "2017-09-20")
    return r.set_index("claim_id")


def test_risk_register_claims_on_the_template() -> None:
    """By hand from data/bcf/rotherham_schemes.csv: one line named "Risk Pool" (scheme 33,
    £500,000 in each of 2017/18 and 2018/19); 39 of the 44 lines "Existing", 5 "New"; the five
    "2017/18 Only" lines (schemes 40-44) are all "Sustainability & mitigation of service
    reduction" in residential, domiciliary, personalised and integrated care: none is an
    infrastructure or organisational-development investment, so risk 14's claim does not hold."""
    r = _results()
    assert r.loc["rot.risk.risk_pool_in_place", "status"] == "holds"
    assert r.loc["rot.risk.risk_pool_in_plan", "status"] == "holds"
    assert r.loc["rot.risk.schemes_already_in_place", "reason"].startswith("39 is higher")
    assert r.loc["rot.risk.non_recurrent_infrastructure", "status"] == "does not hold"


def test_untestable_claims_say_why() -> None:
    r = _results()
    for cid in ("rot.risk.new_funding_2015_16", "rot.risk.ae_framework", "rot.risk.mou_discharge",
                "rot.scheme.ackroyd_beds", "rot.scheme.ferns_beds",
                "rot.scheme.shaftesbury_six_weeks"):
        assert r.loc[cid, "status"] == "cannot be tested"
        assert r.loc[cid, "reason"].startswith("no evidence passed for ")
