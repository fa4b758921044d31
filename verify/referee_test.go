package verify_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trustid/trustid/verify"
)

// journey runs a document check for number and decides with passing real-person
// evidence under p, at testNow.
func journey(t *testing.T, number, name string, p verify.Policy) verify.Decision {
	t.Helper()
	c := newChecker(t, loadFixture(t), testNow, p)
	doc, err := c.CheckDocument(context.Background(), verify.Claim{Kind: verify.KindIDCard, Number: number, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	d := c.Decide(doc, rpFor(doc, true, true), nil)
	if d.Token == "" {
		t.Fatalf("Decide(%v) was not sealed", d)
	}
	return d
}

func TestSealRefereed(t *testing.T) {
	// 阿依古丽买买提 without the middle dot: a lenient match, sent to review at real-person.
	j := journey(t, numAyguli, "阿依古丽买买提", verify.Policy{Required: verify.LevelRealPerson})
	if j.Outcome != verify.OutcomeReview {
		t.Fatalf("journey outcome = %v, want review", j.Outcome)
	}
	heldAt := testNow.Add(time.Minute)
	decided := testNow.Add(72 * time.Hour) // long after the journey decision expired
	until := decided.Add(30 * time.Minute)
	s, err := verify.NewDecisionSealer(fixedClock(decided), testSealKeys...)
	if err != nil {
		t.Fatal(err)
	}
	ref := verify.Referee{Reviewer: "staff-7", Case: "rv-1", Rationale: []verify.Reason{"name_confirmed_by_document"}, DecidedAt: decided}
	got, err := s.SealRefereed(j.Token, heldAt, ref, until)
	if err != nil {
		t.Fatalf("SealRefereed: %v", err)
	}
	want := verify.Decision{Outcome: verify.OutcomePass, Level: verify.LevelRealPerson, Required: verify.LevelRealPerson,
		Reasons: append(append([]verify.Reason(nil), j.Reasons...), "name_confirmed_by_document"),
		Kind:    verify.KindIDCard, Subject: j.Subject, CheckID: j.CheckID, DecidedAt: decided, ValidUntil: until,
		Evidence: append(append([]verify.EvidenceRef(nil), j.Evidence...),
			verify.EvidenceRef{Factor: verify.FactorReview, CompletedAt: decided, ValidUntil: until}),
		Pathway: verify.PathwayBiometric, Fraud: j.Fraud, Referee: &ref}
	opts := cmp.Options{cmpopts.IgnoreUnexported(verify.Decision{}), cmpopts.IgnoreFields(verify.Decision{}, "Token")}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("SealRefereed mismatch (-want +got):\n%s", diff)
	}
	opened, err := s.Open(got.Token)
	if err != nil {
		t.Fatalf("Open(refereed token): %v", err)
	}
	if diff := cmp.Diff(want, opened, opts); diff != "" {
		t.Errorf("opened refereed decision mismatch (-want +got):\n%s", diff)
	}
	if !opened.IsPerson(numAyguli) || opened.IsPerson(numZhangWei) {
		t.Errorf("IsPerson: the refereed decision lost or changed the journey's person")
	}
}

func TestSealRefereedRefuses(t *testing.T) {
	review := journey(t, numAyguli, "阿依古丽买买提", verify.Policy{Required: verify.LevelRealPerson})
	// A revoked card: a hard fail at LevelNone, which no referee can accept.
	failed := journey(t, numZhaoLei, "赵磊", verify.Policy{Required: verify.LevelRealPerson})
	decided := testNow.Add(72 * time.Hour)
	s, err := verify.NewDecisionSealer(fixedClock(decided), testSealKeys...)
	if err != nil {
		t.Fatal(err)
	}
	ref := verify.Referee{Reviewer: "staff-7", Case: "rv-1", Rationale: []verify.Reason{"ok"}, DecidedAt: decided}
	refereed, err := s.SealRefereed(review.Token, testNow, ref, decided.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	tampered := []byte(review.Token)
	tampered[len(tampered)/2] ^= 1
	until := decided.Add(30 * time.Minute)
	for _, tt := range []struct {
		name   string
		token  string
		heldAt time.Time
		mod    func(*verify.Referee)
		until  time.Time
		want   error
	}{
		{"tampered token", string(tampered), testNow, nil, until, verify.ErrNotAuthentic},
		{"held after the journey expired", review.Token, review.ValidUntil, nil, until, verify.ErrExpired},
		{"held before the journey", review.Token, testNow.Add(-time.Hour), nil, until, verify.ErrInvalidArgument},
		{"hard fail at level none", failed.Token, testNow, nil, until, verify.ErrInvalidArgument},
		{"refereed already", refereed.Token, decided, nil, until, verify.ErrInvalidArgument},
		{"no reviewer", review.Token, testNow, func(r *verify.Referee) { r.Reviewer = "" }, until, verify.ErrInvalidArgument},
		{"no rationale", review.Token, testNow, func(r *verify.Referee) { r.Rationale = nil }, until, verify.ErrInvalidArgument},
		{"decided before held", review.Token, testNow, func(r *verify.Referee) { r.DecidedAt = testNow.Add(-time.Second) }, until, verify.ErrInvalidArgument},
		{"decided in the future", review.Token, testNow, func(r *verify.Referee) { r.DecidedAt = decided.Add(time.Hour) }, until.Add(time.Hour), verify.ErrInvalidArgument},
		{"validity already ended", review.Token, testNow, nil, decided, verify.ErrInvalidArgument},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := ref
			if tt.mod != nil {
				tt.mod(&r)
			}
			d, err := s.SealRefereed(tt.token, tt.heldAt, r, tt.until)
			if !errors.Is(err, tt.want) {
				t.Fatalf("SealRefereed error = %v, want %v", err, tt.want)
			}
			if d.Token != "" {
				t.Errorf("a refused referee decision carries a token")
			}
		})
	}
}
