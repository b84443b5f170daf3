"""EU member States inherit what the EU Guidelines themselves foresee, and nothing else the EU does."""

from __future__ import annotations

from pathlib import Path

from amparo.guidelines import load_dataset
from tests.guidelines.test_loader_errors import assert_reported, replace

EU_GUIDELINES = "eu-guidelines-hrd"


def test_a_member_state_inherits_only_provisions_of_the_eu_guidelines(dataset):
    followed = {g.id for g in dataset.issuers["EU"].guidelines if g.member_states_follow}
    assert followed == {EU_GUIDELINES}
    for provision in dataset.provisions:
        if provision.status == "inherited":
            origin = dataset.provision("EU", provision.support_type_id)
            assert origin is not None and origin.guideline_id == EU_GUIDELINES, provision
            assert provision.guideline_id == EU_GUIDELINES


def test_programmes_and_one_delegations_practice_are_not_inherited(dataset):
    # What the EU has only from ProtectDefenders.eu (funds, shelter, training) or from the
    # Delegation in Mexico (press releases) stays the EU's own.
    for support_type_id in ("public-statement", "emergency-funds", "shelter-city-programme", "capacity-building"):
        assert dataset.status("EU", support_type_id) == "explicit"
        assert dataset.provision("EU", support_type_id).guideline_id is None
        assert dataset.status("BG", support_type_id) != "inherited", support_type_id
    assert dataset.status("BG", "trial-observation") == "inherited"


def test_an_eu_provision_without_the_guidelines_is_not_inherited(data_copy: Path):
    path = data_copy / "issuers/EU.yaml"
    # Trial observation, taken out of the guidelines: then the EU has it from elsewhere only.
    replace(
        path,
        "  - support_type: trial-observation\n    status: explicit\n    guideline: eu-guidelines-hrd\n",
        "  - support_type: trial-observation\n    status: explicit\n",
    )
    dataset = load_dataset(data_copy)
    assert dataset.status("EU", "trial-observation") == "explicit"
    assert dataset.status("BG", "trial-observation") == "unknown"


def test_only_the_eu_has_guidelines_that_member_states_follow(data_copy: Path):
    line = replace(
        data_copy / "issuers/CA.yaml", "    public: true\n", "    public: true\n    member_states_follow: true\n"
    )
    assert_reported(data_copy, "issuers/CA.yaml", line + 1, "only the EU's guidelines")
