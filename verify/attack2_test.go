package verify_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/trustid/trustid/verify"
)

// TestAttackVehicleLicenceIsNoIdentity: a plate is public, so a vehicle licence and the
// owner's name passed a document check that bound the owner's person (through the
// record's HolderID) at real-name level — enough to sign in as the owner at a relying
// party. A vehicle licence establishes no identity: the decision fails, and its subject
// is never the owner's.
func TestAttackVehicleLicenceIsNoIdentity(t *testing.T) {
	card := verify.Record{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", Status: verify.StatusValid,
		ValidFrom: verify.Date{Year: 2015, Month: 3, Day: 7}, LongTerm: true}
	car := card
	car.Kind, car.Number, car.HolderID = verify.KindVehicleLicence, "京A12345", numZhangWei
	reg, err := verify.NewMemoryRegistry(card, car)
	if err != nil {
		t.Fatal(err)
	}
	c := newChecker(t, reg, testNow, verify.Policy{})
	own, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindVehicleLicence, Number: "京A12345", Name: "张伟"})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Subject == own.Subject {
		t.Error("a vehicle licence check is bound to its owner's person")
	}
	d := c.Decide(doc, nil, nil)
	if d.Outcome != verify.OutcomeFail || d.Level != verify.LevelNone || !d.Has(verify.ReasonNotIdentityEvidence) {
		t.Errorf("decision on a vehicle licence = %v, want fail kind_not_identity_evidence", d)
	}
	if opened, err := c.Decisions().Open(d.Token); err == nil && opened.IsPerson(numZhangWei) {
		t.Error("the vehicle licence decision names the owner as its person")
	}
}

// refuseAll is a fraud check that refuses every decision.
type refuseAll struct{}

func (refuseAll) Name() string { return "refuse-all" }
func (refuseAll) Check(context.Context, verify.FraudInput) (verify.FraudFinding, error) {
	return verify.FraudFinding{Flagged: true, Action: verify.FraudRefuse, Signal: "velocity_device"}, nil
}

// TestAttackFraudRefusalIsFinal: a fraud refusal kept the level it had reached, so a
// referee's approval could turn it into a pass at that level. It reaches no level now,
// and SealRefereed refuses it.
func TestAttackFraudRefusalIsFinal(t *testing.T) {
	c, err := verify.New(verify.Config{Registry: loadFixture(t), SubjectKey: testKey, Keys: testSealKeys,
		Now: fixedClock(testNow), FraudChecks: []verify.FraudCheck{refuseAll{}}})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"})
	if err != nil {
		t.Fatal(err)
	}
	d := c.DecideContext(t.Context(), doc, rpFor(doc, true, true), nil)
	if d.Outcome != verify.OutcomeFail || d.Level != verify.LevelNone || !d.Has(verify.ReasonFraudRefused) {
		t.Fatalf("fraud-refused decision = %v, want fail at level none", d)
	}
	ref := verify.Referee{Reviewer: "r-1", Case: "rv-1", Rationale: []verify.Reason{"documents_checked"}, DecidedAt: testNow}
	if _, err := c.Decisions().SealRefereed(d.Token, testNow, ref, testNow.Add(time.Hour)); !errors.Is(err, verify.ErrInvalidArgument) {
		t.Errorf("SealRefereed(fraud-refused) = %v, want ErrInvalidArgument", err)
	}
}
