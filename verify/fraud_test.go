package verify_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/verify"
)

// deviceRP is real-person evidence that names its device.
type deviceRP struct {
	fakeRealPerson
	dev string
}

func (d deviceRP) Device() string { return d.dev }

func TestVelocityCheck(t *testing.T) {
	ctx := context.Background()
	v := verify.NewVelocityCheck(verify.VelocityRule{})
	at := testNow
	check := func(subject, device string, at time.Time) verify.FraudFinding {
		t.Helper()
		f, err := v.Check(ctx, verify.FraudInput{Subject: subject, Device: device, At: at})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	flagged := func(r verify.Reason) verify.FraudFinding {
		return verify.FraudFinding{Flagged: true, Action: verify.FraudReview, Signal: r}
	}
	// Three people on one device are allowed (DefaultVelocity), the fourth is flagged;
	// the same person again is not a new person.
	for i, s := range []string{"s1", "s2", "s3", "s3", "s1"} {
		if f := check(s, "dev-1", at.Add(time.Duration(i)*time.Minute)); f != (verify.FraudFinding{}) {
			t.Errorf("sighting %d (%s) flagged: %+v", i, s, f)
		}
	}
	if diff := cmp.Diff(flagged(verify.ReasonVelocityDevice), check("s4", "dev-1", at.Add(10*time.Minute))); diff != "" {
		t.Errorf("fourth person on a device (-want +got):\n%s", diff)
	}
	// 24h 2m30s on, s2 (last seen at 1m) has left the window; s3 (3m), s1 (4m) and s4
	// (10m) remain, so a new person is the fourth again. Three days on, nobody is left.
	if f := check("s5", "dev-1", at.Add(24*time.Hour+150*time.Second)); f != flagged(verify.ReasonVelocityDevice) {
		t.Errorf("within the window: %+v", f)
	}
	if f := check("s6", "dev-1", at.Add(72*time.Hour)); f != (verify.FraudFinding{}) {
		t.Errorf("after the window: %+v", f)
	}
	// One person on four devices.
	for i, d := range []string{"a", "b", "c"} {
		if f := check("p", d, at.Add(time.Duration(i)*time.Second)); f != (verify.FraudFinding{}) {
			t.Errorf("device %s flagged: %+v", d, f)
		}
	}
	if diff := cmp.Diff(flagged(verify.ReasonVelocitySubject), check("p", "d", at.Add(time.Minute))); diff != "" {
		t.Errorf("fourth device of a person (-want +got):\n%s", diff)
	}
	// No device: not counted.
	for range 10 {
		if f := check("q", "", at); f != (verify.FraudFinding{}) {
			t.Errorf("decision without a device flagged: %+v", f)
		}
	}
}

type failingCheck struct{}

func (failingCheck) Name() string { return "broken" }
func (failingCheck) Check(context.Context, verify.FraudInput) (verify.FraudFinding, error) {
	return verify.FraudFinding{}, errors.New("store down")
}

// TestDecideFraud: the findings of every check are recorded and sealed, and their
// actions change the decision: review for a pass, fail for refuse; a check that cannot
// run sends the decision to review.
func TestDecideFraud(t *testing.T) {
	reg := loadFixture(t)
	newC := func(checks ...verify.FraudCheck) *verify.Checker {
		c, err := verify.New(verify.Config{Registry: reg, SubjectKey: testKey, Keys: testSealKeys,
			Now: fixedClock(testNow), FraudChecks: append([]verify.FraudCheck{}, checks...)})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	type got struct {
		Outcome verify.Outcome
		Reasons []verify.Reason
		Fraud   []verify.FraudFinding
	}
	ctx := t.Context()

	c := newC(verify.NewVelocityCheck(verify.VelocityRule{MaxDevicesPerSubject: 1}), verify.QuizSignal{Action: verify.FraudReview})
	doc, err := c.CheckDocument(ctx, verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"})
	if err != nil {
		t.Fatal(err)
	}
	first := c.DecideContext(ctx, doc, deviceRP{rpFor(doc, true, true), "dev-1"}, memFor(doc, true))
	want := got{verify.OutcomePass, []verify.Reason{verify.ReasonRealNameVerified, verify.ReasonRealPersonVerified, verify.ReasonMemoryVerified},
		[]verify.FraudFinding{{Check: "velocity"}, {Check: "quiz"}}}
	if diff := cmp.Diff(want, got{first.Outcome, first.Reasons, first.Fraud}); diff != "" {
		t.Errorf("first decision (-want +got):\n%s", diff)
	}
	// The same person on a second device, quiz failed: both flagged, review.
	second := c.DecideContext(ctx, doc, deviceRP{rpFor(doc, true, true), "dev-2"}, memFor(doc, false))
	want = got{verify.OutcomeReview,
		[]verify.Reason{verify.ReasonRealNameVerified, verify.ReasonRealPersonVerified, verify.ReasonQuizFailed, verify.ReasonVelocitySubject, verify.ReasonFraudReview},
		[]verify.FraudFinding{{Check: "velocity", Flagged: true, Action: verify.FraudReview, Signal: verify.ReasonVelocitySubject},
			{Check: "quiz", Flagged: true, Action: verify.FraudReview, Signal: verify.ReasonQuizFailed}}}
	if diff := cmp.Diff(want, got{second.Outcome, second.Reasons, second.Fraud}); diff != "" {
		t.Errorf("second decision (-want +got):\n%s", diff)
	}
	opened, err := c.Decisions().Open(second.Token)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(second.Fraud, opened.Fraud); diff != "" {
		t.Errorf("sealed findings (-want +got):\n%s", diff)
	}

	// Refuse.
	c = newC(verify.NewVelocityCheck(verify.VelocityRule{MaxDevicesPerSubject: 1, Action: verify.FraudRefuse}))
	c.DecideContext(ctx, doc, deviceRP{rpFor(doc, true, true), "dev-1"}, nil)
	d := c.DecideContext(ctx, doc, deviceRP{rpFor(doc, true, true), "dev-2"}, nil)
	if d.Outcome != verify.OutcomeFail || !d.Has(verify.ReasonFraudRefused) || d.IAL() != verify.IALNone {
		t.Errorf("refused: %v IAL %v", d, d.IAL())
	}

	// A check that cannot run: review, never a silent pass.
	c = newC(failingCheck{})
	d = c.DecideContext(ctx, doc, rpFor(doc, true, true), nil)
	wantF := []verify.FraudFinding{{Check: "broken", Flagged: true, Action: verify.FraudReview, Signal: verify.ReasonFraudUnavailable}}
	if diff := cmp.Diff(wantF, d.Fraud); diff != "" || d.Outcome != verify.OutcomeReview {
		t.Errorf("outcome %v; findings (-want +got):\n%s", d.Outcome, diff)
	}

	// No checks at all.
	c = newC()
	if d := c.Decide(doc, rpFor(doc, true, true), nil); d.Fraud != nil || d.Outcome != verify.OutcomePass {
		t.Errorf("no checks: %v %+v", d, d.Fraud)
	}
}
