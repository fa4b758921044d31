package verify_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/verify"
)

type decisionWant struct {
	Outcome verify.Outcome
	Level   verify.Level
	Reasons []verify.Reason
}

func TestDecide(t *testing.T) {
	reg := loadFixture(t)
	c := newChecker(t, reg, testNow, verify.Policy{})
	check := func(cl verify.Claim) *verify.DocumentResult {
		t.Helper()
		r, err := c.CheckDocument(t.Context(), cl)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	pass := check(verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"})
	review := check(verify.Claim{Kind: verify.KindIDCard, Number: numAyguli, Name: "阿依古丽买买提"})
	revoked := check(verify.Claim{Kind: verify.KindIDCard, Number: numZhaoLei, Name: "赵磊"})
	notFound := check(verify.Claim{Kind: verify.KindIDCard, Number: numUnknown, Name: "张伟"})
	noPhoto := check(verify.Claim{Kind: verify.KindIDCard, Number: numSun18, Name: "孙建国"})
	sub := pass.Subject

	goodRP := rpFor(pass, true, true)
	goodMem := memFor(pass, true)
	R := func(rs ...verify.Reason) []verify.Reason { return rs }
	withSubject := func(f fakeRealPerson, s string) fakeRealPerson { f.subject = s; return f }

	tests := []struct {
		name   string
		policy verify.Policy
		doc    *verify.DocumentResult
		rp     verify.RealPersonEvidence
		mem    verify.MemoryEvidence
		want   decisionWant
	}{
		{"real-name reached", verify.Policy{}, pass, nil, nil,
			decisionWant{verify.OutcomePass, verify.LevelRealName, R(verify.ReasonRealNameVerified)}},
		{"real-person reached", verify.Policy{Required: verify.LevelRealPerson}, pass, goodRP, nil,
			decisionWant{verify.OutcomePass, verify.LevelRealPerson, R(verify.ReasonRealNameVerified, verify.ReasonRealPersonVerified)}},
		{"high reached", verify.Policy{Required: verify.LevelHigh}, pass, goodRP, goodMem,
			decisionWant{verify.OutcomePass, verify.LevelHigh, R(verify.ReasonRealNameVerified, verify.ReasonRealPersonVerified, verify.ReasonMemoryVerified)}},
		{"high reached although only real-name required", verify.Policy{}, pass, goodRP, goodMem,
			decisionWant{verify.OutcomePass, verify.LevelHigh, R(verify.ReasonRealNameVerified, verify.ReasonRealPersonVerified, verify.ReasonMemoryVerified)}},
		{"real-person required, no liveness", verify.Policy{Required: verify.LevelRealPerson}, pass, nil, nil,
			decisionWant{verify.OutcomeFail, verify.LevelRealName, R(verify.ReasonRealNameVerified, verify.ReasonLivenessNotPerformed, verify.ReasonLevelNotReached)}},
		{"liveness failed", verify.Policy{Required: verify.LevelRealPerson}, pass, rpFor(pass, false, true), nil,
			decisionWant{verify.OutcomeFail, verify.LevelRealName, R(verify.ReasonRealNameVerified, verify.ReasonLivenessFailed, verify.ReasonLevelNotReached)}},
		{"face match failed", verify.Policy{Required: verify.LevelRealPerson}, pass, rpFor(pass, true, false), nil,
			decisionWant{verify.OutcomeFail, verify.LevelRealName, R(verify.ReasonRealNameVerified, verify.ReasonFaceMatchFailed, verify.ReasonLevelNotReached)}},
		{"face match optional", verify.Policy{Required: verify.LevelRealPerson, FaceMatchOptional: true}, pass, rpFor(pass, true, false), nil,
			decisionWant{verify.OutcomePass, verify.LevelRealPerson, R(verify.ReasonRealNameVerified, verify.ReasonRealPersonVerified)}},
		{"no registry photo", verify.Policy{Required: verify.LevelRealPerson}, noPhoto, rpFor(noPhoto, true, true), nil,
			decisionWant{verify.OutcomeFail, verify.LevelRealName, R(verify.ReasonRealNameVerified, verify.ReasonPhotoUnavailable, verify.ReasonLevelNotReached)}},
		{"high required, no quiz", verify.Policy{Required: verify.LevelHigh}, pass, goodRP, nil,
			decisionWant{verify.OutcomeFail, verify.LevelRealPerson, R(verify.ReasonRealNameVerified, verify.ReasonRealPersonVerified, verify.ReasonQuizNotPerformed, verify.ReasonLevelNotReached)}},
		{"high required, quiz failed", verify.Policy{Required: verify.LevelHigh}, pass, goodRP, memFor(pass, false),
			decisionWant{verify.OutcomeFail, verify.LevelRealPerson, R(verify.ReasonRealNameVerified, verify.ReasonRealPersonVerified, verify.ReasonQuizFailed, verify.ReasonLevelNotReached)}},
		{"quiz passed without real-person: not high", verify.Policy{Required: verify.LevelHigh}, pass, nil, goodMem,
			decisionWant{verify.OutcomeFail, verify.LevelRealName, R(verify.ReasonRealNameVerified, verify.ReasonLivenessNotPerformed, verify.ReasonMemoryVerified, verify.ReasonLevelNotReached)}},
		{"optional liveness failed: still pass at real-name, reason reported", verify.Policy{}, pass, rpFor(pass, false, false), nil,
			decisionWant{verify.OutcomePass, verify.LevelRealName, R(verify.ReasonRealNameVerified, verify.ReasonLivenessFailed)}},
		{"real-person evidence of another subject", verify.Policy{Required: verify.LevelRealPerson}, pass, withSubject(rpFor(pass, true, true), "someone-else"), nil,
			decisionWant{verify.OutcomeFail, verify.LevelNone, R(verify.ReasonSubjectMismatch, verify.ReasonRealNameVerified, verify.ReasonLevelNotReached)}},
		{"memory evidence of another subject", verify.Policy{}, pass, goodRP, fakeMemory{sub + "x", pass.CheckID, pass.CheckedAt, true},
			decisionWant{verify.OutcomeFail, verify.LevelNone, R(verify.ReasonSubjectMismatch, verify.ReasonRealNameVerified, verify.ReasonRealPersonVerified, verify.ReasonLevelNotReached)}},
		{"evidence with empty subject", verify.Policy{}, pass, withSubject(rpFor(pass, true, true), ""), nil,
			decisionWant{verify.OutcomeFail, verify.LevelNone, R(verify.ReasonSubjectMismatch, verify.ReasonRealNameVerified, verify.ReasonLevelNotReached)}},
		{"document and evidence both without subject: refused, not equal", verify.Policy{}, &verify.DocumentResult{Outcome: verify.OutcomePass, HasPhoto: true, CheckedAt: testNow}, fakeRealPerson{liveness: true, face: true, at: testNow}, fakeMemory{passed: true, at: testNow},
			decisionWant{verify.OutcomeFail, verify.LevelNone, R(verify.ReasonSubjectMismatch, verify.ReasonRealNameVerified, verify.ReasonLevelNotReached)}},
		{"document review carries over", verify.Policy{}, review, nil, nil,
			decisionWant{verify.OutcomeReview, verify.LevelRealName, R(verify.ReasonRealNameVerified, verify.ReasonNameLenientMatch)}},
		{"document review but level not reached: fail", verify.Policy{Required: verify.LevelRealPerson}, review, nil, nil,
			decisionWant{verify.OutcomeFail, verify.LevelRealName, R(verify.ReasonRealNameVerified, verify.ReasonNameLenientMatch, verify.ReasonLivenessNotPerformed, verify.ReasonLevelNotReached)}},
		{"revoked document fails whatever the evidence", verify.Policy{}, revoked, rpFor(revoked, true, true), memFor(revoked, true),
			decisionWant{verify.OutcomeFail, verify.LevelNone, R(verify.ReasonDocumentRevoked, verify.ReasonLevelNotReached)}},
		{"record not found, high required: only the document decides", verify.Policy{Required: verify.LevelHigh}, notFound, nil, nil,
			decisionWant{verify.OutcomeFail, verify.LevelNone, R(verify.ReasonRecordNotFound, verify.ReasonLevelNotReached)}},
		{"no document check", verify.Policy{}, nil, goodRP, goodMem,
			decisionWant{verify.OutcomeFail, verify.LevelNone, R(verify.ReasonDocumentCheckMissing, verify.ReasonLevelNotReached)}},
		{"hand-made failed result without reasons", verify.Policy{}, &verify.DocumentResult{Subject: sub, CheckedAt: testNow}, nil, nil,
			decisionWant{verify.OutcomeFail, verify.LevelNone, R(verify.ReasonDocumentStatusUnknown, verify.ReasonLevelNotReached)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.policy.Decide(tt.doc, tt.rp, tt.mem, testNow)
			got := decisionWant{d.Outcome, d.Level, d.Reasons}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decide mismatch (-want +got):\n%s", diff)
			}
			if d.Outcome != verify.OutcomePass {
				problem := false
				for _, r := range d.Reasons {
					problem = problem || !r.Success()
				}
				if !problem {
					t.Errorf("outcome %v without a problem reason: %v", d.Outcome, d.Reasons)
				}
			}
			if !d.DecidedAt.Equal(testNow) {
				t.Errorf("DecidedAt = %v, want %v", d.DecidedAt, testNow)
			}
		})
	}
}

func TestDecideDoesNotModifyDocument(t *testing.T) {
	c := newChecker(t, loadFixture(t), testNow, verify.Policy{Required: verify.LevelHigh})
	doc, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numAyguli, Name: "阿依古丽买买提"})
	if err != nil {
		t.Fatal(err)
	}
	before := append([]verify.Reason(nil), doc.Reasons...)
	for range 3 {
		c.Decide(doc, nil, nil)
	}
	if diff := cmp.Diff(before, doc.Reasons); diff != "" {
		t.Errorf("Decide changed doc.Reasons (-before +after):\n%s", diff)
	}
}

func TestReasonMessages(t *testing.T) {
	seen := map[verify.Reason]bool{}
	for _, r := range verify.Reasons() {
		if seen[r] {
			t.Errorf("reason %q listed twice", r)
		}
		seen[r] = true
		if !r.Known() {
			t.Errorf("reason %q not known", r)
		}
		zh, en := r.Message("zh-CN"), r.Message("en")
		if zh == "" || en == "" || zh == en {
			t.Errorf("reason %q: messages zh=%q en=%q", r, zh, en)
		}
		if r.Message("zh") != zh || r.Message("fr") != en {
			t.Errorf("reason %q: language fallback wrong", r)
		}
	}
	if verify.Reason("made_up").Known() {
		t.Error("unknown reason reported as known")
	}
	if got := verify.Reason("made_up").Message("en"); got == "" {
		t.Error("no message for an unknown reason")
	}
}

func TestTextRoundTrip(t *testing.T) {
	for l := verify.LevelNone; l <= verify.LevelHigh; l++ {
		b, err := l.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var got verify.Level
		if err := got.UnmarshalText(b); err != nil || got != l {
			t.Errorf("Level %v round trip: %v, %v", l, got, err)
		}
	}
	for o := verify.OutcomeFail; o <= verify.OutcomeReview; o++ {
		b, _ := o.MarshalText()
		var got verify.Outcome
		if err := got.UnmarshalText(b); err != nil || got != o {
			t.Errorf("Outcome %v round trip: %v, %v", o, got, err)
		}
	}
	for k := verify.KindIDCard; k <= verify.KindVehicleLicence; k++ {
		b, _ := k.MarshalText()
		var got verify.CredentialKind
		if err := got.UnmarshalText(b); err != nil || got != k {
			t.Errorf("CredentialKind %v round trip: %v, %v", k, got, err)
		}
	}
	if _, err := verify.CredentialKind(0).MarshalText(); err == nil {
		t.Error("CredentialKind(0).MarshalText: no error")
	}
	if want := []string{"none", "real-name", "real-person", "high"}; cmp.Diff(want, []string{
		verify.LevelNone.String(), verify.LevelRealName.String(), verify.LevelRealPerson.String(), verify.LevelHigh.String()}) != "" {
		t.Error("level names differ from the contract")
	}
	if verify.Outcome(0) != verify.OutcomeFail {
		t.Error("zero Outcome is not fail")
	}
}

// TestDecideTypedNil: a nil *liveness.Result or *quiz.Result in the evidence interface is
// "not performed", like an untyped nil. It used to panic (quiz) or fail hard with
// subject_mismatch (liveness).
func TestDecideTypedNil(t *testing.T) {
	pass := &verify.DocumentResult{Outcome: verify.OutcomePass, Kind: verify.KindIDCard, Subject: "subject-1", HasPhoto: true, CheckedAt: testNow}
	p := verify.Policy{Required: verify.LevelRealName}
	want := p.Decide(pass, nil, nil, testNow)
	var got verify.Decision
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("Decide with typed nils panicked: %v", r)
			}
		}()
		got = p.Decide(pass, (*liveness.Result)(nil), nil, testNow) // TODO quiz
	}()
	if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(verify.Decision{})); diff != "" {
		t.Errorf("Decide(typed nils) differs from Decide(nil, nil) (-want +got):\n%s", diff)
	}
	if got.Outcome != verify.OutcomePass {
		t.Errorf("Decide(typed nils) = %v, want pass at real-name", got.Outcome)
	}
}
