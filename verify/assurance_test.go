package verify_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/verify"
)

// *liveness.Result reports its consent and its review findings to Decide.
var (
	_ verify.ConsentEvidence = (*liveness.Result)(nil)
	_ verify.ReviewEvidence  = (*liveness.Result)(nil)
	_ verify.DeviceEvidence  = (*liveness.Result)(nil)
)

// consentedRP is real-person evidence that names the consent it was collected under.
type consentedRP struct {
	fakeRealPerson
	consent string
}

func (c consentedRP) ConsentID() string { return c.consent }

// TestIALRev4 checks the SP 800-63A-4 mapping: the quiz never raises the IAL (§2.5.1), the
// real-name level supports none, the face match is the biometric pathway (§4.2.6), and a
// decision sealed and opened keeps its pathway.
func TestIALRev4(t *testing.T) {
	reg := loadFixture(t)
	c := newChecker(t, reg, testNow, verify.Policy{})
	pass, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"})
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		Level   verify.Level
		Pathway verify.Pathway
		IAL     verify.IAL
	}
	tests := []struct {
		name   string
		policy verify.Policy
		rp     verify.RealPersonEvidence
		mem    verify.MemoryEvidence
		want   got
	}{
		{"real-name only", verify.Policy{}, nil, nil, got{verify.LevelRealName, verify.PathwayNone, verify.IALNone}},
		{"quiz alone", verify.Policy{}, nil, memFor(pass, true), got{verify.LevelRealName, verify.PathwayNone, verify.IALNone}},
		{"quiz alone, high required", verify.Policy{Required: verify.LevelHigh}, nil, memFor(pass, true), got{verify.LevelRealName, verify.PathwayNone, verify.IALNone}},
		{"face match", verify.Policy{}, rpFor(pass, true, true), nil, got{verify.LevelRealPerson, verify.PathwayBiometric, verify.IAL1}},
		{"face match and quiz", verify.Policy{}, rpFor(pass, true, true), memFor(pass, true), got{verify.LevelHigh, verify.PathwayBiometric, verify.IAL1}},
		{"liveness without face match", verify.Policy{FaceMatchOptional: true}, rpFor(pass, true, false), memFor(pass, true), got{verify.LevelHigh, verify.PathwayNone, verify.IALNone}},
		{"face match failed, quiz passed", verify.Policy{}, rpFor(pass, true, false), memFor(pass, true), got{verify.LevelRealName, verify.PathwayNone, verify.IALNone}},
		{"evidence of another check", verify.Policy{}, func() verify.RealPersonEvidence { f := rpFor(pass, true, true); f.check = "other"; return f }(), nil,
			got{verify.LevelNone, verify.PathwayNone, verify.IALNone}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.policy.Decide(pass, tt.rp, tt.mem, testNow)
			if diff := cmp.Diff(tt.want, got{d.Level, d.Pathway, d.IAL()}); diff != "" {
				t.Errorf("Decide mismatch (-want +got):\n%s", diff)
			}
			// The quiz never changes the IAL: the same decision without it supports as much.
			if tt.mem != nil {
				without := tt.policy.Decide(pass, tt.rp, nil, testNow)
				if without.IAL() != d.IAL() && without.Outcome == verify.OutcomePass {
					t.Errorf("IAL with quiz %v, without %v", d.IAL(), without.IAL())
				}
			}
		})
	}

	// A decision under review or failed supports no IAL whatever its level.
	d := verify.Policy{}.Decide(pass, rpFor(pass, true, true), nil, testNow)
	d.Outcome = verify.OutcomeReview
	if d.IAL() != verify.IALNone {
		t.Errorf("review decision: IAL %v, want none", d.IAL())
	}

	// Sealed and opened, the pathway and the consent survive.
	sealed := c.Decide(pass, consentedRP{rpFor(pass, true, true), "consent-7"}, nil)
	opened, err := c.Decisions().Open(sealed.Token)
	if err != nil {
		t.Fatal(err)
	}
	if opened.Pathway != verify.PathwayBiometric || opened.IAL() != verify.IAL1 {
		t.Errorf("opened decision: pathway %q IAL %v, want biometric IAL1", opened.Pathway, opened.IAL())
	}
	var consents []string
	for _, e := range opened.Evidence {
		consents = append(consents, string(e.Factor)+":"+e.Consent)
	}
	if diff := cmp.Diff([]string{"document:", "real_person:consent-7"}, consents); diff != "" {
		t.Errorf("evidence consents mismatch (-want +got):\n%s", diff)
	}
}

type reviewRP struct{ fakeRealPerson }

func (reviewRP) NeedsReview() bool { return true }

// TestDeviceRiskReview: real-person evidence that passed on a risky device makes the
// decision a review, not a pass.
func TestDeviceRiskReview(t *testing.T) {
	c := newChecker(t, loadFixture(t), testNow, verify.Policy{})
	pass, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"})
	if err != nil {
		t.Fatal(err)
	}
	d := verify.Policy{Required: verify.LevelRealPerson}.Decide(pass, reviewRP{rpFor(pass, true, true)}, nil, testNow)
	want := decisionWant{verify.OutcomeReview, verify.LevelRealPerson,
		[]verify.Reason{verify.ReasonRealNameVerified, verify.ReasonRealPersonVerified, verify.ReasonDeviceRiskReview}}
	if diff := cmp.Diff(want, decisionWant{d.Outcome, d.Level, d.Reasons}); diff != "" || d.IAL() != verify.IALNone {
		t.Errorf("IAL %v; Decide mismatch (-want +got):\n%s", d.IAL(), diff)
	}
}
