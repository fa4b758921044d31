package review_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
)

// Synthetic people of the journey tests (valid GB 11643 check characters, fictitious).
const (
	numAyguli = "650102199506120027" // registry name 阿依古丽·买买提
	numWang   = "11010519491231002X" // registry name 王小明
	numNobody = "110105199003071247" // not in the registry
)

var (
	verifyKeys  = []store.Key{{ID: 1, Secret: []byte("verify decision key, 32 bytes...")}}
	journeyKeys = []store.Key{{ID: 7, Secret: []byte("review journey key, 32 bytes....")}}
)

// realPerson stands in for *liveness.Result: passed, bound to the document check.
type realPerson struct{ doc *verify.DocumentResult }

func (r realPerson) Subject() string        { return r.doc.Subject }
func (r realPerson) CheckID() string        { return r.doc.CheckID }
func (r realPerson) PhotoRef() string       { return r.doc.PhotoRef }
func (r realPerson) CompletedAt() time.Time { return r.doc.CheckedAt }
func (r realPerson) LivenessPassed() bool   { return true }
func (r realPerson) FaceMatchPassed() bool  { return true }

// journeyEnv is a desk whose applications carry decisions of a verify.Checker that
// shares its clock.
type journeyEnv struct {
	*env
	checker *verify.Checker
	// seen is the journey decision the AutoChecker was last given.
	seen *verify.Decision
	// numbers maps a journey token to the number its document check was for, so an
	// application claims the journey's own person.
	numbers map[string]string
}

func newJourneyEnv(t *testing.T, mod func(*review.Config)) *journeyEnv {
	t.Helper()
	reg, err := verify.NewMemoryRegistry(
		verify.Record{Kind: verify.KindIDCard, Number: numAyguli, Name: "阿依古丽·买买提",
			ValidFrom: verify.Date{Year: 2016, Month: 6, Day: 12}, LongTerm: true, Status: verify.StatusValid, PhotoRef: "photo/a"},
		verify.Record{Kind: verify.KindIDCard, Number: numWang, Name: "王小明",
			ValidFrom: verify.Date{Year: 2010, Month: 1, Day: 1}, LongTerm: true, Status: verify.StatusValid, PhotoRef: "photo/w"})
	if err != nil {
		t.Fatal(err)
	}
	je := &journeyEnv{numbers: map[string]string{}}
	je.env = newEnv(t, func(cfg *review.Config) {
		c, err := verify.New(verify.Config{Registry: reg, Now: cfg.Now, SubjectKey: []byte("subject key for the tests, 32 b."),
			Keys: verifyKeys, Policy: verify.Policy{Required: verify.LevelRealPerson}})
		if err != nil {
			t.Fatal(err)
		}
		je.checker = c
		cfg.Decisions, cfg.Keys = c.Decisions(), journeyKeys
		cfg.Checker = review.AutoCheckFunc(func(_ context.Context, _ *review.Application, j *verify.Decision) (verify.Decision, error) {
			je.seen = j
			return verify.Decision{Outcome: verify.OutcomeReview, Level: verify.LevelRealName}, nil
		})
		if mod != nil {
			mod(cfg)
		}
	})
	return je
}

// decide runs a journey for the claim: the document check and, when liveness is set, a
// passed real-person check.
func (je *journeyEnv) decide(t *testing.T, number, name string, liveness bool) verify.Decision {
	t.Helper()
	doc, err := je.checker.CheckDocument(context.Background(), verify.Claim{Kind: verify.KindIDCard, Number: number, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	var rp verify.RealPersonEvidence
	if liveness {
		rp = realPerson{doc}
	}
	d := je.checker.Decide(doc, rp, nil)
	je.numbers[d.Token] = number
	if d.Token == "" {
		t.Fatalf("journey decision %v not sealed", d)
	}
	return d
}

func (je *journeyEnv) apply(t *testing.T, ref string, d verify.Decision) *review.Case {
	t.Helper()
	app := application(ref)
	app.Decision = d.Token
	if n, ok := je.numbers[d.Token]; ok {
		app.Claimed.Number = n
	}
	c, err := je.desk.Apply(context.Background(), app)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if c.State != review.StateInReview {
		t.Fatalf("Apply: state %v, want in_review", c.State)
	}
	return c
}

// openApproval opens the approval's token with a sealer holding the verify keys, as the
// wallet's side would.
func (je *journeyEnv) openApproval(t *testing.T, c *review.Case) verify.Decision {
	t.Helper()
	if c.Approval == nil {
		t.Fatal("approved case without Approval")
	}
	s, err := verify.NewDecisionSealer(je.clock.Now, verifyKeys...)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Open(c.Approval.Token)
	if err != nil {
		t.Fatalf("opening the approval's decision: %v", err)
	}
	return d
}

var ignoreHidden = cmp.Options{cmpopts.IgnoreUnexported(verify.Decision{}), cmpopts.IgnoreFields(verify.Decision{}, "Token")}

// A journey sent to review becomes, after 72 hours and a reviewer's approval, a sealed
// pass decision of a trusted referee for the same person, at the journey's level.
func TestJourneyReviewApproval(t *testing.T) {
	ctx := context.Background()
	je := newJourneyEnv(t, nil)
	j := je.decide(t, numAyguli, "阿依古丽买买提", true) // lenient name match: review
	if j.Outcome != verify.OutcomeReview || j.Level != verify.LevelRealPerson {
		t.Fatalf("journey = %v, want review at real-person", j)
	}
	c := je.apply(t, "acct-1", j)

	// The AutoChecker and the case show the journey decision as authenticated.
	shown := verify.Decision{Outcome: j.Outcome, Level: j.Level, Required: j.Required, Reasons: j.Reasons, Kind: j.Kind,
		Subject: j.Subject, CheckID: j.CheckID, DecidedAt: j.DecidedAt, ValidUntil: j.ValidUntil, Evidence: j.Evidence}
	if je.seen == nil || je.seen.Token != j.Token {
		t.Fatalf("AutoChecker got journey %v, want the application's token", je.seen)
	}
	if diff := cmp.Diff(shown, *je.seen, ignoreHidden, cmpopts.EquateApproxTime(0)); diff != "" {
		t.Errorf("AutoChecker's journey mismatch (-want +got):\n%s", diff)
	}
	shown.Subject = "" // the subject binding stays sealed in the case
	if diff := cmp.Diff(&shown, c.Journey.Decision(), ignoreHidden, cmpopts.EquateApproxTime(0)); diff != "" {
		t.Errorf("Case.Journey mismatch (-want +got):\n%s", diff)
	}

	decidedAt := je.clock.Advance(72 * time.Hour) // the journey decision expired long ago
	rationale := []verify.Reason{"name_confirmed_by_reviewer"}
	c, err := je.desk.Approve(ctx, c.Reviewer, c.ID, rationale)
	if err != nil {
		t.Fatalf("Approve: %v", err)
	}
	got := je.openApproval(t, c)
	until := decidedAt.Add(review.DefaultDecisionValidity)
	ref := &verify.Referee{Reviewer: c.Reviewer, Case: c.ID, Rationale: rationale, DecidedAt: decidedAt}
	want := verify.Decision{Outcome: verify.OutcomePass, Level: verify.LevelRealPerson, Required: verify.LevelRealPerson,
		Reasons: append(append([]verify.Reason(nil), j.Reasons...), rationale...), Kind: verify.KindIDCard,
		Subject: j.Subject, CheckID: j.CheckID, DecidedAt: decidedAt, ValidUntil: until,
		Evidence: append(append([]verify.EvidenceRef(nil), j.Evidence...),
			verify.EvidenceRef{Factor: verify.FactorReview, CompletedAt: decidedAt, ValidUntil: until}),
		Pathway: j.Pathway, Fraud: j.Fraud, Referee: ref}
	if diff := cmp.Diff(want, got, ignoreHidden, cmpopts.EquateApproxTime(0)); diff != "" {
		t.Errorf("approval decision mismatch (-want +got):\n%s", diff)
	}
	if !got.IsPerson(numAyguli) || got.IsPerson(numWang) {
		t.Errorf("IsPerson: the approval's decision is not about the journey's person")
	}
	if diff := cmp.Diff(review.Approval{Token: c.Approval.Token, Level: verify.LevelRealPerson, DecidedAt: decidedAt, ValidUntil: until},
		*c.Approval, cmpopts.EquateApproxTime(0)); diff != "" {
		t.Errorf("Case.Approval mismatch (-want +got):\n%s", diff)
	}

	// The approval notice carries the token for the host.
	var approved []review.Notice
	for _, n := range je.notifier.Notices() {
		if n.Kind == review.NoticeApproved {
			approved = append(approved, n)
		}
	}
	if len(approved) != 1 || approved[0].Decision != c.Approval.Token {
		t.Errorf("approval notices = %d, token carried = %t; want 1 carrying Case.Approval.Token",
			len(approved), len(approved) == 1 && approved[0].Decision == c.Approval.Token)
	}

	// The referee in the audit chain (NIST SP 800-63A-4 §3.15): identity, decision,
	// rationale.
	last := c.History[len(c.History)-1]
	if diff := cmp.Diff(review.AuditRecord{Actor: "reviewer:" + c.Reviewer, Action: "approve", Case: c.ID,
		State: review.StateApproved, Reasons: rationale, Level: verify.LevelRealPerson},
		last, cmpopts.IgnoreFields(review.AuditRecord{}, "Seq", "Prev", "Time", "Materials", "Hash")); diff != "" {
		t.Errorf("approval audit record mismatch (-want +got):\n%s", diff)
	}
	if err := review.VerifyChain(c.History); err != nil {
		t.Errorf("VerifyChain: %v", err)
	}
	// The level is covered by the hash.
	h := append([]review.AuditRecord(nil), c.History...)
	h[len(h)-1].Level = verify.LevelHigh
	if err := review.VerifyChain(h); !errors.Is(err, review.ErrChainBroken) {
		t.Errorf("VerifyChain with the approval's level raised = %v, want ErrChainBroken", err)
	}
}

// A journey that failed only because liveness was not performed is approved at the
// level its evidence reached (real-name), never at the required one.
func TestJourneyApprovalNeverRaisesLevel(t *testing.T) {
	je := newJourneyEnv(t, nil)
	j := je.decide(t, numWang, "王小明", false)
	if j.Outcome != verify.OutcomeFail || j.Level != verify.LevelRealName {
		t.Fatalf("journey = %v, want fail at real-name", j)
	}
	c := je.apply(t, "acct-1", j)
	je.clock.Advance(time.Hour)
	c, err := je.desk.Approve(context.Background(), c.Reviewer, c.ID, []verify.Reason{"liveness_waived_disability"})
	if err != nil {
		t.Fatalf("Approve: %v", err)
	}
	got := je.openApproval(t, c)
	if got.Outcome != verify.OutcomePass || got.Level != verify.LevelRealName || got.Required != verify.LevelRealName ||
		c.Approval.Level != verify.LevelRealName || c.History[len(c.History)-1].Level != verify.LevelRealName {
		t.Errorf("approval = %v (case level %v), want pass at real-name", got, c.Approval.Level)
	}
	if !got.IsPerson(numWang) {
		t.Errorf("IsPerson(%s) = false", numWang[:6])
	}
}

// The approval of a case with a journey states a rationale; one without a journey
// yields no decision.
func TestApproveRationale(t *testing.T) {
	ctx := context.Background()
	je := newJourneyEnv(t, nil)
	c := je.apply(t, "acct-1", je.decide(t, numAyguli, "阿依古丽买买提", true))
	if _, err := je.desk.Approve(ctx, c.Reviewer, c.ID, nil); !errors.Is(err, review.ErrInvalidArgument) {
		t.Errorf("Approve without rationale = %v, want ErrInvalidArgument", err)
	}
	if _, err := je.desk.Approve(ctx, c.Reviewer, c.ID, []verify.Reason{"Not A Code"}); !errors.Is(err, review.ErrInvalidArgument) {
		t.Errorf("Approve with a malformed rationale = %v, want ErrInvalidArgument", err)
	}
	plain, err := je.desk.Apply(ctx, application("acct-2"))
	if err != nil {
		t.Fatal(err)
	}
	plain, err = je.desk.Approve(ctx, plain.Reviewer, plain.ID, nil)
	if err != nil {
		t.Fatalf("Approve without journey: %v", err)
	}
	if plain.Approval != nil || plain.History[len(plain.History)-1].Level != verify.LevelNone {
		t.Errorf("an approval without journey yielded a decision")
	}
}

// Apply refuses a decision token that is forged, edited, expired or not reviewable, and
// leaves nothing behind.
func TestApplyRefusesDecision(t *testing.T) {
	ctx := context.Background()
	je := newJourneyEnv(t, nil)
	good := je.decide(t, numAyguli, "阿依古丽买买提", true)
	hardFail := je.decide(t, numNobody, "某人", true) // not in the registry: fail at level none

	edited := []byte(good.Token)
	edited[len(edited)/2] ^= 0x01
	// A forger's sealer: the same format under a key the desk does not hold.
	forger, err := verify.NewDecisionSealer(je.clock.Now, store.Key{ID: 1, Secret: []byte("a forger's key, 32 bytes long...")})
	if err != nil {
		t.Fatal(err)
	}
	forged, err := forger.Seal(verify.Decision{Outcome: verify.OutcomeReview, Level: verify.LevelHigh, Subject: good.Subject,
		CheckID: good.CheckID, ValidUntil: good.ValidUntil})
	if err != nil {
		t.Fatal(err)
	}
	// A referee's decision does not open a case.
	s, _ := verify.NewDecisionSealer(je.clock.Now, verifyKeys...)
	refereed, err := s.SealRefereed(good.Token, je.clock.Now(), verify.Referee{Reviewer: "x", Case: "rv-x",
		Rationale: []verify.Reason{"ok"}, DecidedAt: je.clock.Now()}, je.clock.Now().Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name    string
		token   string
		advance time.Duration
		want    error
		reason  review.Reason
	}{
		{"edited", string(edited), 0, review.ErrNotAuthentic, review.ReasonNotAuthentic},
		{"forged", forged, 0, review.ErrNotAuthentic, review.ReasonNotAuthentic},
		{"not a token", "hello", 0, review.ErrNotAuthentic, review.ReasonNotAuthentic},
		{"hard fail", hardFail.Token, 0, review.ErrInvalidArgument, review.ReasonInvalidArgument},
		{"refereed", refereed.Token, 0, review.ErrInvalidArgument, review.ReasonInvalidArgument},
		{"expired", good.Token, 11 * time.Minute, review.ErrExpired, review.ReasonExpired},
	} {
		t.Run(tt.name, func(t *testing.T) {
			je.clock.Advance(tt.advance)
			defer je.clock.Advance(-tt.advance)
			app := application("acct-" + tt.name)
			app.Decision = tt.token
			_, err := je.desk.Apply(ctx, app)
			var e *review.Error
			if !errors.Is(err, tt.want) || !errors.As(err, &e) || e.Reason != tt.reason || e.Field != "Decision" {
				t.Fatalf("Apply = %v, want %v (field Decision)", err, tt.want)
			}
			if _, err := je.desk.Draft(ctx, app); !errors.Is(err, tt.want) {
				t.Errorf("Draft = %v, want %v", err, tt.want)
			}
		})
	}
	if cases, err := je.store.List(ctx, review.Query{}); err != nil || len(cases) != 0 {
		t.Errorf("refused applications left %d cases (err %v)", len(cases), err)
	}

	// A desk without Config.Decisions cannot open one.
	plain := newEnv(t, nil)
	app := application("acct-1")
	app.Decision = good.Token
	if _, err := plain.desk.Apply(ctx, app); !errors.Is(err, review.ErrInvalidArgument) {
		t.Errorf("Apply on a desk without Decisions = %v, want ErrInvalidArgument", err)
	}
}

func TestNewRequiresJourneyKeys(t *testing.T) {
	s, err := verify.NewDecisionSealer(nil, verifyKeys...)
	if err != nil {
		t.Fatal(err)
	}
	for _, keys := range [][]store.Key{nil, {{ID: 1, Secret: []byte("short")}}} {
		if _, err := review.New(review.Config{Decisions: s, Keys: keys}); !errors.Is(err, review.ErrInvalidArgument) {
			t.Errorf("New with Decisions and %d keys = %v, want ErrInvalidArgument", len(keys), err)
		}
	}
	if _, err := review.New(review.Config{DecisionValidity: -time.Second}); !errors.Is(err, review.ErrInvalidArgument) {
		t.Errorf("New with a negative DecisionValidity = %v, want ErrInvalidArgument", err)
	}
}

// The Store is the host's: a case edited there (its journey's level, subject or check,
// another case's journey, the application's token) never yields a higher or other
// decision. Edits of the journey refuse the approval; the token in the application is
// not what the approval rests on.
func TestEditedJourneyInStore(t *testing.T) {
	ctx := context.Background()
	type edit func(t *testing.T, je *journeyEnv, c, other *review.Case)
	for _, tt := range []struct {
		name string
		edit edit
		want error // nil: approved, for the original person at the original level
	}{
		{"level raised", func(_ *testing.T, _ *journeyEnv, c, _ *review.Case) { c.Journey.Level = verify.LevelHigh }, review.ErrNotAuthentic},
		{"outcome changed", func(_ *testing.T, _ *journeyEnv, c, _ *review.Case) { c.Journey.Outcome = verify.OutcomePass }, review.ErrNotAuthentic},
		{"check changed", func(_ *testing.T, _ *journeyEnv, c, other *review.Case) { c.Journey.CheckID = other.Journey.CheckID }, review.ErrNotAuthentic},
		{"seal edited", func(_ *testing.T, _ *journeyEnv, c, _ *review.Case) {
			b := []byte(c.Journey.Seal)
			b[len(b)/2] ^= 1
			c.Journey.Seal = string(b)
		}, review.ErrNotAuthentic},
		{"another case's journey", func(_ *testing.T, _ *journeyEnv, c, other *review.Case) { c.Journey = other.Journey }, review.ErrNotAuthentic},
		{"another attempt", func(_ *testing.T, _ *journeyEnv, c, _ *review.Case) { c.Attempt++ }, review.ErrNotAuthentic},
		{"application token swapped", func(_ *testing.T, _ *journeyEnv, c, other *review.Case) {
			c.Application.Decision = other.Application.Decision
		}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			je := newJourneyEnv(t, nil)
			c := je.apply(t, "acct-1", je.decide(t, numWang, "王小明", false)) // real-name
			other := je.apply(t, "acct-2", je.decide(t, numAyguli, "阿依古丽买买提", true))
			je.clock.Advance(time.Hour)
			stored, err := je.store.Get(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			tt.edit(t, je, stored, other)
			if _, err := je.store.Put(ctx, stored); err != nil {
				t.Fatal(err)
			}
			got, err := je.desk.Approve(ctx, c.Reviewer, c.ID, []verify.Reason{"documents_checked"})
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("Approve = %v, want %v", err, tt.want)
				}
				now, err := je.store.Get(ctx, c.ID)
				if err != nil || now.State != review.StateInReview || now.Approval != nil {
					t.Errorf("refused approval changed the case: state %v, approval %v", now.State, now.Approval != nil)
				}
				return
			}
			if err != nil {
				t.Fatalf("Approve: %v", err)
			}
			d := je.openApproval(t, got)
			if d.Level != verify.LevelRealName || !d.IsPerson(numWang) || d.IsPerson(numAyguli) {
				t.Errorf("approval = %v, IsPerson(original) %t; want real-name for the original person", d, d.IsPerson(numWang))
			}
		})
	}
}

// Reapply drops the previous attempt's journey and approval.
func TestReapplyDropsJourney(t *testing.T) {
	ctx := context.Background()
	je := newJourneyEnv(t, func(cfg *review.Config) { cfg.RejectCooloff = -1 })
	c := je.apply(t, "acct-1", je.decide(t, numWang, "王小明", false))
	c, err := je.desk.Reject(ctx, c.Reviewer, c.ID, []verify.Reason{review.ReasonMaterialUnclear}, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err = je.desk.Reapply(ctx, c.ID, application("acct-1"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Journey != nil || je.seen != nil {
		t.Errorf("re-application without a decision kept the previous journey")
	}
	app := application("acct-1")
	app.Decision = je.decide(t, numWang, "王小明", true).Token
	c, err = je.desk.Reject(ctx, c.Reviewer, c.ID, []verify.Reason{review.ReasonMaterialUnclear}, "")
	if err != nil {
		t.Fatal(err)
	}
	if c, err = je.desk.Reapply(ctx, c.ID, app); err != nil {
		t.Fatal(err)
	}
	if c.Journey == nil || c.Journey.Level != verify.LevelRealPerson || je.seen == nil {
		t.Fatalf("re-application's journey = %v", c.Journey.Decision())
	}
	c, err = je.desk.Approve(ctx, c.Reviewer, c.ID, []verify.Reason{"documents_checked"})
	if err != nil {
		t.Fatalf("Approve after re-application: %v", err)
	}
	if d := je.openApproval(t, c); d.Level != verify.LevelRealPerson {
		t.Errorf("approval level = %v, want real-person", d.Level)
	}
}

// The applicant's progress view, as JSON for their device, holds no personal data and no
// secret: not the claimed identity, the applicant reference, material references, the
// reviewer's identity, the subject binding, the document check or any token.
func TestProgressJSONHoldsNoPersonalData(t *testing.T) {
	ctx := context.Background()
	je := newJourneyEnv(t, func(cfg *review.Config) {
		cfg.Reviewers = []review.Reviewer{{ID: "staff-reviewer-alpha", Capacity: 5}}
	})
	j := je.decide(t, numAyguli, "阿依古丽买买提", true)
	const applicant = "acct-opaque-ref-42"
	c := je.apply(t, applicant, j)
	inReview, err := je.desk.Progress(ctx, applicant, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	je.clock.Advance(time.Hour)
	if _, err := je.desk.RequestSupplement(ctx, c.Reviewer, c.ID, []verify.Reason{review.ReasonMaterialUnclear}, ""); err != nil {
		t.Fatal(err)
	}
	supplement, err := je.desk.Progress(ctx, applicant, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := je.desk.Resubmit(ctx, applicant, c.ID, application(applicant).Materials); err != nil {
		t.Fatal(err)
	}
	c, err = je.desk.Approve(ctx, c.Reviewer, c.ID, []verify.Reason{"documents_checked"})
	if err != nil {
		t.Fatal(err)
	}
	approved, err := je.desk.Progress(ctx, applicant, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if approved.Level != verify.LevelRealPerson {
		t.Errorf("approved progress level = %v, want real-person", approved.Level)
	}
	app := application(applicant)
	secrets := map[string]string{
		"claimed name": app.Claimed.Name, "claimed number": app.Claimed.Number, "number digits": app.Claimed.Number[6:14],
		"applicant": applicant, "reviewer": "staff-reviewer-alpha", "material ref": app.Materials[0].Ref,
		"journey token": j.Token, "approval token": c.Approval.Token, "journey seal": c.Journey.Seal,
		"subject": j.Subject, "check ID": j.CheckID,
	}
	for name, p := range map[string]*review.Progress{"in review": inReview, "supplement": supplement, "approved": approved} {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for what, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("%s progress JSON holds the %s", name, what)
			}
		}
	}
	b, _ := json.Marshal(approved)
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	keys := slices.Sorted(maps.Keys(top))
	if diff := cmp.Diff([]string{"attempt", "case", "history", "level", "next", "state", "status", "valid_until"}, keys); diff != "" {
		t.Errorf("approved progress JSON keys mismatch (-want +got):\n%s", diff)
	}
}

// TestAttackJourneyOfAnotherPerson: an applicant attached the journey of a victim (whose
// number and name leaked, whose face did not match) to an application for themselves; the
// reviewer's approval was a pass about the victim. A personal application's journey must
// be about the claimed person.
func TestAttackJourneyOfAnotherPerson(t *testing.T) {
	je := newJourneyEnv(t, nil)
	victim := je.decide(t, numAyguli, "阿依古丽·买买提", false)
	app := application("acct-attacker")
	app.Claimed = review.Identity{Name: "王小明", Number: numWang}
	app.Decision = victim.Token
	if _, err := je.desk.Apply(context.Background(), app); !errors.Is(err, review.ErrInvalidArgument) {
		t.Fatalf("Apply with another person's journey = %v, want ErrInvalidArgument", err)
	}
	app.Claimed.Number = numAyguli // the victim's own number: the journey is theirs
	if _, err := je.desk.Apply(context.Background(), app); err != nil {
		t.Errorf("Apply claiming the journey's person: %v", err)
	}
}
