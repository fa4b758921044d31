package quiz_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/quiz/quiztest"
	"github.com/trustid/trustid/store"
)

// resultView is what a Result tells through its methods.
type resultView struct {
	Subject, CheckID string
	Passed           bool
	FinishedAt       time.Time
}

func viewOf(r *quiz.Result) resultView {
	return resultView{r.Subject(), r.CheckID(), r.QuizPassed(), r.FinishedAt()}
}

// finishQuiz begins and finishes one quiz on h, right or wrong.
func finishQuiz(t *testing.T, h *harness, subject, checkID string, right bool) (*quiz.Challenge, *quiz.Result) {
	t.Helper()
	ctx := context.Background()
	ch, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: subject, Facts: h.facts, CheckID: checkID})
	if err != nil {
		t.Fatal(err)
	}
	ans := quiztest.CorrectAnswers(ch, h.facts)
	if !right {
		ans = wrongAnswers(ch, ans)
	}
	h.clock.Advance(time.Minute)
	res, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: ans})
	if err != nil || res.QuizPassed() != right {
		t.Fatalf("Finish = %v, %v; want passed %t", res, err, right)
	}
	return ch, res
}

// TestSealedResultAcrossInstances: a result sealed on one examiner opens on another that
// holds the key, unchanged, passed or failed; it does not open under another key, after
// ResultMaxAge, with any byte changed, or as a quiz token, and a quiz token does not open
// as a result.
func TestSealedResultAcrossInstances(t *testing.T) {
	a := newHarness(t, nil)
	ch, passed := finishQuiz(t, a, "subject-A", "check-1", true)
	_, failed := finishQuiz(t, a, "subject-B", "check-2", false)

	b := newHarness(t, nil) // another instance, same keys
	b.clock.Advance(a.clock.Now().Sub(b.clock.Now()))
	for _, r := range []*quiz.Result{passed, failed} {
		tok, err := a.ex.SealResult(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.ex.OpenResult(tok)
		if err != nil {
			t.Fatalf("OpenResult on another instance: %v", err)
		}
		if diff := cmp.Diff(viewOf(r), viewOf(got), cmp.Comparer(time.Time.Equal)); diff != "" {
			t.Errorf("opened result mismatch (-sealed +opened):\n%s", diff)
		}
	}
	if v := viewOf(passed); v.Subject != "subject-A" || v.CheckID != "check-1" || !v.Passed {
		t.Errorf("Finish gave %+v", v)
	}

	tok, err := a.ex.SealResult(passed)
	if err != nil {
		t.Fatal(err)
	}
	other := newHarness(t, func(c *quiz.Config) { c.Keys = []store.Key{testKey(9, 0x5A)} })
	if _, err := other.ex.OpenResult(tok); !errors.Is(err, quiz.ErrNotAuthentic) {
		t.Errorf("OpenResult under another key = %v, want ErrNotAuthentic", err)
	}
	rotated := newHarness(t, func(c *quiz.Config) { c.Keys = []store.Key{testKey(2, 0x33), testKey(1, 1)} })
	if _, err := rotated.ex.OpenResult(tok); err != nil {
		t.Errorf("OpenResult after rotation (old key second): %v", err)
	}
	for i := range tok {
		bad := []byte(tok)
		bad[i] ^= 0x01
		if _, err := b.ex.OpenResult(string(bad)); !errors.Is(err, quiz.ErrNotAuthentic) {
			t.Fatalf("byte %d flipped: OpenResult = %v, want ErrNotAuthentic", i, err)
		}
	}
	for name, bad := range map[string]string{
		"empty":     "",
		"truncated": tok[:len(tok)-1],
		"extended":  tok + "A",
		"too long":  strings.Repeat("A", 1<<16),
	} {
		if _, err := b.ex.OpenResult(bad); !errors.Is(err, quiz.ErrNotAuthentic) {
			t.Errorf("%s: OpenResult = %v, want ErrNotAuthentic", name, err)
		}
	}
	// A quiz token is not a result token, and the reverse.
	if _, err := b.ex.OpenResult(ch.Token); !errors.Is(err, quiz.ErrNotAuthentic) {
		t.Errorf("OpenResult(quiz token) = %v, want ErrNotAuthentic", err)
	}
	if _, err := b.ex.Finish(context.Background(), quiz.FinishRequest{Token: tok}); !errors.Is(err, quiz.ErrNotAuthentic) {
		t.Errorf("Finish(result token) = %v, want ErrNotAuthentic", err)
	}

	b.clock.Advance(passed.FinishedAt().Add(quiz.ResultMaxAge - time.Nanosecond).Sub(b.clock.Now()))
	if _, err := b.ex.OpenResult(tok); err != nil {
		t.Errorf("OpenResult just before ResultMaxAge: %v", err)
	}
	b.clock.Advance(time.Nanosecond)
	if _, err := b.ex.OpenResult(tok); !errors.Is(err, quiz.ErrExpired) {
		t.Errorf("OpenResult at ResultMaxAge = %v, want ErrExpired", err)
	}
}

// TestSealResultNil: a nil Result, typed or not, means the quiz was not performed; there
// is nothing to seal.
func TestSealResultNil(t *testing.T) {
	h := newHarness(t, nil)
	if _, err := h.ex.SealResult(nil); !errors.Is(err, quiz.ErrInvalidArgument) {
		t.Errorf("SealResult(nil) = %v, want ErrInvalidArgument", err)
	}
}
