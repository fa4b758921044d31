package main

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/liveness/livenesstest"
	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/quiz/quiztest"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
	"github.com/trustid/trustid/wallet"
)

// shared is what two instances of a deployment share: keys and stores, nothing else.
type shared struct {
	subjectKey, livenessIndex, quizIndex []byte
	verifyKeys, livenessKeys, quizKeys   []store.Key
	registry                             verify.Registry
	attempts                             store.AttemptStore
	guard                                store.ReplayGuard
	asked                                quiz.AskedStore
	consents                             liveness.ConsentStore
	clk                                  *clock
}

// instance is one server: its own Checker, Challenger and Examiner, built from the
// shared keys and stores only.
type instance struct {
	checker    *verify.Checker
	challenger *liveness.Challenger
	examiner   *quiz.Examiner
}

func newInstance(t testing.TB, s *shared) *instance {
	t.Helper()
	checker, err := verify.New(verify.Config{Registry: s.registry, SubjectKey: s.subjectKey, Keys: s.verifyKeys,
		Policy: verify.Policy{Required: verify.LevelHigh}, Now: s.clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	challenger, err := liveness.New(liveness.Config{Keys: s.livenessKeys, IndexKey: s.livenessIndex,
		AttemptStore: s.attempts, ReplayGuard: s.guard, Consents: s.consents,
		Thresholds: []liveness.Threshold{{Backend: "demo-face", ModelVersion: "1.0", MinScore: 0.62, FalseMatchRate: 1e-5}},
		Matcher:    livenesstest.FixedMatcher{Value: 0.91, Backend: "demo-face", ModelVersion: "1.0"},
		Now:        s.clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	examiner, err := quiz.New(quiz.Config{Keys: s.quizKeys, IndexKey: s.quizIndex,
		AttemptStore: s.attempts, ReplayGuard: s.guard, Asked: s.asked,
		Distractors: quiz.NewMemoryDistractors(demoDistractors), Now: s.clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &instance{checker, challenger, examiner}
}

func secret() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	return b
}

// journeyEnv is two instances of one deployment and the person they enrol.
type journeyEnv struct {
	s      *shared
	a, b   *instance
	number string
	facts  []quiz.Fact
	start  time.Time
}

func newJourneyEnv(t testing.TB) *journeyEnv {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	birth := time.Date(2006, 3, 14, 0, 0, 0, 0, time.UTC)
	number, err := idcard.Generate(rand.Reader, idcard.GenOptions{Region: "110108", Birth: birth, Gender: idcard.Female})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := verify.NewMemoryRegistry(verify.Record{Kind: verify.KindIDCard, Number: number, Name: "林小雨",
		Gender: idcard.Female, BirthDate: verify.DateOf(birth), ValidFrom: verify.DateOf(now.AddDate(-2, 0, 0)),
		ValidUntil: verify.DateOf(now.AddDate(8, 0, 0)), Status: verify.StatusValid, PhotoRef: "registry-photo:0001"})
	if err != nil {
		t.Fatal(err)
	}
	s := &shared{subjectKey: secret(), livenessIndex: secret(), quizIndex: secret(),
		verifyKeys: []store.Key{{ID: 1, Secret: secret()}}, livenessKeys: []store.Key{{ID: 1, Secret: secret()}},
		quizKeys: []store.Key{{ID: 1, Secret: secret()}}, registry: reg,
		attempts: &resettableAttempts{store.NewMemoryAttemptStore()}, guard: store.NewMemoryReplayGuard(),
		asked: &resettableAsked{quiz.NewMemoryAskedStore()}, consents: liveness.NewMemoryConsentStore(), clk: &clock{t: now}}
	return &journeyEnv{s: s, a: newInstance(t, s), b: newInstance(t, s), number: number, facts: demoFacts(now), start: now}
}

// journey runs one enrolment over the two instances: the document check on A, liveness
// and the quiz on B, the decision on A. Every hand-off is a sealed token; nothing is
// passed as a Go value between them. It returns the tokens.
func (e *journeyEnv) journey(t testing.TB) (docToken, liveToken, quizToken string, d verify.Decision, ch *liveness.Challenge) {
	ctx := context.Background()
	s, a, b, number, facts := e.s, e.a, e.b, e.number, e.facts

	// A: the document check, handed on sealed.
	doc, err := a.checker.CheckDocument(ctx, verify.Claim{Kind: verify.KindIDCard, Number: number, Name: "林小雨"})
	if err != nil || doc.Outcome != verify.OutcomePass {
		t.Fatalf("CheckDocument = %v, %v", doc, err)
	}
	docToken, err = a.checker.SealDocument(doc)
	if err != nil {
		t.Fatal(err)
	}

	// B: opens the document check, runs liveness and the quiz bound to it, seals both
	// results.
	docB, err := b.checker.OpenDocument(docToken)
	if err != nil {
		t.Fatalf("B opens A's document check: %v", err)
	}
	consent, err := s.consents.Record(ctx, liveness.Consent{Subject: docB.Subject, Purpose: liveness.PurposeBiometric,
		TextVersion: "face-2026-11", GivenAt: s.clk.Now()})
	if err != nil {
		t.Fatal(err)
	}
	ch, err = b.challenger.Begin(ctx, liveness.BeginRequest{Subject: docB.Subject, CheckID: docB.CheckID,
		Device: "phone:1", Reference: liveness.PhotoRef(docB.PhotoRef), Consent: consent})
	if err != nil {
		t.Fatal(err)
	}
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	s.clk.Set(obs[len(obs)-1].End.Add(time.Second))
	live, err := b.challenger.Finish(ctx, liveness.FinishRequest{Token: ch.Token, Observations: obs, Probe: "frame:1"})
	if err != nil || !live.Passed() {
		t.Fatalf("liveness on B = %v, %v", live, err)
	}
	liveToken, err = b.challenger.SealResult(live)
	if err != nil {
		t.Fatal(err)
	}
	qz, err := b.examiner.Begin(ctx, quiz.BeginRequest{Subject: docB.Subject, CheckID: docB.CheckID, Device: "phone:1", Facts: facts})
	if err != nil {
		t.Fatal(err)
	}
	s.clk.Add(time.Minute)
	mem, err := b.examiner.Finish(ctx, quiz.FinishRequest{Token: qz.Token, Answers: quiztest.CorrectAnswers(qz, facts)})
	if err != nil || !mem.QuizPassed() {
		t.Fatalf("quiz on B = %v, %v", mem, err)
	}
	quizToken, err = b.examiner.SealResult(mem)
	if err != nil {
		t.Fatal(err)
	}

	// A: opens the results and decides; the decision is sealed.
	liveA, err := a.challenger.OpenResult(liveToken)
	if err != nil {
		t.Fatalf("A opens B's liveness result: %v", err)
	}
	memA, err := a.examiner.OpenResult(quizToken)
	if err != nil {
		t.Fatalf("A opens B's quiz result: %v", err)
	}
	d = a.checker.Decide(doc, liveA, memA)
	if !d.Passed() || d.Level != verify.LevelHigh || d.Token == "" {
		t.Fatalf("decision on A = %v (token %t)", d, d.Token != "")
	}
	return docToken, liveToken, quizToken, d, ch
}

// TestJourneyAcrossInstances runs the journey over two servers that share only keys and
// stores, then checks that the state they share is shared and that another deployment
// opens nothing.
func TestJourneyAcrossInstances(t *testing.T) {
	ctx := context.Background()
	e := newJourneyEnv(t)
	docToken, liveToken, quizToken, d, ch := e.journey(t)
	s, a, b, number, reg := e.s, e.a, e.b, e.number, e.s.registry
	opened, err := b.checker.Decisions().Open(d.Token)
	if err != nil || !opened.IsPerson(number) || opened.Level != verify.LevelHigh {
		t.Fatalf("B opens A's decision: %v, %v", opened, err)
	}

	// A links the wallet on the decision; the wallet's store is shared, so B (a second
	// wallet instance on it) refuses the same decision again.
	src := wallet.NewMemorySource()
	src.Set(number, wallet.Credential{Kind: verify.KindIDCard, Number: number, Holder: wallet.Holder{Name: "林小雨"},
		ValidFrom: verify.DateOf(e.start.AddDate(-2, 0, 0)), ValidUntil: verify.DateOf(e.start.AddDate(8, 0, 0)),
		Status: wallet.StatusActive})
	walletStore, indexKey := wallet.NewMemoryStore(), secret()
	newWallet := func(in *instance) *wallet.Wallet {
		w, err := wallet.New(wallet.Config{Source: src, Store: walletStore, IndexKey: indexKey,
			Decisions: in.checker.Decisions(), RequiredLevel: verify.LevelHigh, Now: s.clk.Now})
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	link := wallet.LinkRequest{Decision: d.Token, Holder: wallet.HolderRef{IDNumber: number}}
	if _, err := newWallet(a).Link(ctx, link); err != nil {
		t.Fatalf("wallet on A: Link: %v", err)
	}
	if _, err := newWallet(b).Link(ctx, link); !errors.Is(err, store.ErrReplayed) {
		t.Errorf("wallet on B: the same decision linked again: %v, want store.ErrReplayed", err)
	}

	// The single-use state is shared: the liveness session finished on B cannot be
	// finished again on A.
	if _, err := a.challenger.Finish(ctx, liveness.FinishRequest{Token: ch.Token}); !errors.Is(err, store.ErrReplayed) {
		t.Errorf("liveness session finished again on A: %v, want store.ErrReplayed", err)
	}
	// A server of another deployment (other keys) opens nothing.
	other := newInstance(t, &shared{subjectKey: secret(), livenessIndex: secret(), quizIndex: secret(),
		verifyKeys: []store.Key{{ID: 1, Secret: secret()}}, livenessKeys: []store.Key{{ID: 1, Secret: secret()}},
		quizKeys: []store.Key{{ID: 1, Secret: secret()}}, registry: reg, attempts: store.NewMemoryAttemptStore(),
		guard: store.NewMemoryReplayGuard(), asked: quiz.NewMemoryAskedStore(), clk: s.clk})
	if _, err := other.checker.OpenDocument(docToken); !errors.Is(err, verify.ErrNotAuthentic) {
		t.Errorf("another deployment opened the document check: %v", err)
	}
	if _, err := other.challenger.OpenResult(liveToken); !errors.Is(err, liveness.ErrNotAuthentic) {
		t.Errorf("another deployment opened the liveness result: %v", err)
	}
	if _, err := other.examiner.OpenResult(quizToken); !errors.Is(err, quiz.ErrNotAuthentic) {
		t.Errorf("another deployment opened the quiz result: %v", err)
	}
	if _, err := other.checker.Decisions().Open(d.Token); !errors.Is(err, verify.ErrNotAuthentic) {
		t.Errorf("another deployment opened the decision: %v", err)
	}
}

// BenchmarkJourneyAcrossInstances measures the journey of TestJourneyAcrossInstances:
// document check, liveness, quiz and decision with four sealed hand-offs between two
// instances. Each iteration starts with fresh stores (the person would otherwise be locked
// out and run out of unasked facts); building them is outside the timing only in that it
// is cheap next to the journey.
func BenchmarkJourneyAcrossInstances(b *testing.B) {
	e := newJourneyEnv(b)
	b.ReportAllocs()
	for b.Loop() {
		e.s.attempts.(*resettableAttempts).reset()
		e.s.asked.(*resettableAsked).reset()
		e.s.clk.Set(e.start)
		e.journey(b)
	}
}

// resettableAttempts and resettableAsked are shared stores a benchmark can empty between
// iterations.
type resettableAttempts struct{ store.AttemptStore }

func (r *resettableAttempts) reset() { r.AttemptStore = store.NewMemoryAttemptStore() }

type resettableAsked struct{ quiz.AskedStore }

func (r *resettableAsked) reset() { r.AskedStore = quiz.NewMemoryAskedStore() }
