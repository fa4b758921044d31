// Package quiztest helps hosts test their integration with package quiz.
//
// It offers the conformance suites a host's own adapters must pass (quiz.AskedStore,
// quiz.DistractorSource; the replay guard and attempt store are checked by package
// store/storetest) and a helper for tests and examples,
// [CorrectAnswers], which answers a quiz the way the person would, from their facts. It is
// a test and demo helper: never use it to answer a quiz in production.
package quiztest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/trustid/trustid/quiz"
)

// AskedStore runs the conformance suite for [quiz.AskedStore] against stores made by
// newStore (called once per subtest, so each starts empty).
func AskedStore(t *testing.T, newStore func(t *testing.T) quiz.AskedStore) {
	t.Helper()
	ctx := context.Background()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	asked := func(t *testing.T, s quiz.AskedStore, key string, now time.Time) []string {
		t.Helper()
		got, err := s.Asked(ctx, key, now)
		if err != nil {
			t.Fatalf("Asked(%q): %v", key, err)
		}
		slices.Sort(got)
		return got
	}
	claim := func(t *testing.T, s quiz.AskedStore, key string, ids []string, now, exp time.Time, want bool) {
		t.Helper()
		ok, err := s.Claim(ctx, key, ids, now, exp)
		if err != nil {
			t.Fatalf("Claim(%q, %q): %v", key, ids, err)
		}
		if ok != want {
			t.Fatalf("Claim(%q, %q) = %v, want %v", key, ids, ok, want)
		}
	}
	equal := func(t *testing.T, what string, want, got []string) {
		t.Helper()
		if len(want) == 0 && len(got) == 0 {
			return
		}
		if !slices.Equal(want, got) {
			t.Errorf("%s = %q, want %q", what, got, want)
		}
	}

	t.Run("UnknownKeyIsEmpty", func(t *testing.T) {
		s := newStore(t)
		equal(t, "Asked(unknown)", nil, asked(t, s, "nobody", t0))
	})
	t.Run("ClaimThenAsked", func(t *testing.T) {
		s := newStore(t)
		claim(t, s, "k", []string{"b", "a"}, t0, t0.Add(time.Hour), true)
		claim(t, s, "k", []string{"c"}, t0, t0.Add(time.Hour), true)
		equal(t, "Asked", []string{"a", "b", "c"}, asked(t, s, "k", t0.Add(time.Minute)))
	})
	t.Run("OverlapRefusedAndNotRecorded", func(t *testing.T) {
		s := newStore(t)
		claim(t, s, "k", []string{"a", "b"}, t0, t0.Add(time.Hour), true)
		claim(t, s, "k", []string{"c", "b"}, t0, t0.Add(time.Hour), false)
		equal(t, "Asked after refused claim", []string{"a", "b"}, asked(t, s, "k", t0))
		claim(t, s, "k", []string{"c"}, t0, t0.Add(time.Hour), true)
	})
	t.Run("KeysAreSeparate", func(t *testing.T) {
		s := newStore(t)
		claim(t, s, "k1", []string{"a"}, t0, t0.Add(time.Hour), true)
		claim(t, s, "k2", []string{"a"}, t0, t0.Add(time.Hour), true)
		equal(t, "Asked(k1)", []string{"a"}, asked(t, s, "k1", t0))
		equal(t, "Asked(k2)", []string{"a"}, asked(t, s, "k2", t0))
	})
	t.Run("Expiry", func(t *testing.T) {
		s := newStore(t)
		claim(t, s, "k", []string{"a"}, t0, t0.Add(time.Hour), true)
		claim(t, s, "k", []string{"b"}, t0, t0.Add(2*time.Hour), true)
		equal(t, "Asked just before expiry", []string{"a", "b"}, asked(t, s, "k", t0.Add(time.Hour-time.Nanosecond)))
		claim(t, s, "k", []string{"a"}, t0.Add(time.Hour-time.Nanosecond), t0.Add(3*time.Hour), false)
		equal(t, "Asked at first expiry", []string{"b"}, asked(t, s, "k", t0.Add(time.Hour)))
		claim(t, s, "k", []string{"a"}, t0.Add(time.Hour), t0.Add(3*time.Hour), true)
		equal(t, "Asked after reclaim", []string{"a", "b"}, asked(t, s, "k", t0.Add(90*time.Minute)))
		equal(t, "Asked at last expiry", nil, asked(t, s, "k", t0.Add(3*time.Hour)))
	})
	t.Run("ConcurrentOverlappingClaims", func(t *testing.T) {
		s := newStore(t)
		const n = 32
		var wg sync.WaitGroup
		oks := make(chan bool, n)
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				// Every claim shares "x" with every other; each has an ID of its own too.
				ok, err := s.Claim(ctx, "k", []string{fmt.Sprint(i), "x"}, t0, t0.Add(time.Hour))
				oks <- ok
				errs <- err
			})
		}
		wg.Wait()
		close(oks)
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent Claim: %v", err)
			}
		}
		won := 0
		for ok := range oks {
			if ok {
				won++
			}
		}
		if won != 1 {
			t.Errorf("%d of %d overlapping concurrent claims succeeded, want exactly 1", won, n)
		}
		if got := asked(t, s, "k", t0); len(got) != 2 {
			t.Errorf("after the concurrent claims, Asked holds %d IDs, want 2", len(got))
		}
	})
	t.Run("ConcurrentDisjointClaims", func(t *testing.T) {
		s := newStore(t)
		const n = 32
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				ok, err := s.Claim(ctx, "k", []string{fmt.Sprint(i)}, t0, t0.Add(time.Hour))
				if err == nil && !ok {
					err = errors.New("disjoint claim refused")
				}
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent Claim: %v", err)
			}
		}
		if got := asked(t, s, "k", t0); len(got) != n {
			t.Errorf("after %d disjoint concurrent claims, Asked holds %d IDs", n, len(got))
		}
	})
}

// DistractorSource checks a [quiz.DistractorSource] with one category and answer for which
// it holds at least three acceptable distractors: it returns at most n values, none equal
// to the answer after [quiz.Normalize], none twice, every one of the answer's shape
// ([quiz.SameShape]), and ctx.Err() for a cancelled context. Begin filters what a source
// returns in any case; a source that passes wastes fewer values.
func DistractorSource(t *testing.T, src quiz.DistractorSource, category quiz.Category, answer string) {
	t.Helper()
	ctx := context.Background()
	for _, n := range []int{1, 3} {
		got, err := src.Distractors(ctx, category, answer, n)
		if err != nil {
			t.Fatalf("Distractors(n=%d): %v", n, err)
		}
		if len(got) != n {
			t.Errorf("Distractors(n=%d) returned %d values, want %d (the source should hold at least 3)", n, len(got), n)
		}
		seen := map[string]bool{}
		for i, v := range got {
			nv := quiz.Normalize(v)
			switch {
			case nv == quiz.Normalize(answer):
				t.Errorf("Distractors(n=%d)[%d] equals the answer after normalisation", n, i)
			case seen[nv]:
				t.Errorf("Distractors(n=%d)[%d] repeats an earlier value", n, i)
			case !quiz.SameShape(answer, v):
				t.Errorf("Distractors(n=%d)[%d] does not have the answer's shape", n, i)
			}
			seen[nv] = true
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := src.Distractors(cctx, category, answer, 3); !errors.Is(err, context.Canceled) {
		t.Errorf("Distractors(cancelled ctx) error = %v, want context.Canceled", err)
	}
}

// CorrectAnswers answers every question of ch as the person with these facts would: the
// option whose text equals (after [quiz.Normalize]) one of their facts of the question's
// category, or "none of the above" when no option does. It is for tests and examples only.
func CorrectAnswers(ch *quiz.Challenge, facts []quiz.Fact) []quiz.Answer {
	answers := make([]quiz.Answer, 0, len(ch.Questions))
	for _, q := range ch.Questions {
		pick := ""
		for _, o := range q.Options {
			if o.NoneOfTheAbove {
				if pick == "" {
					pick = o.ID
				}
				continue
			}
			for _, f := range facts {
				if f.Category == q.Category && quiz.Normalize(f.Value) == quiz.Normalize(o.Text) {
					pick = o.ID
				}
			}
		}
		answers = append(answers, quiz.Answer{QuestionID: q.ID, OptionID: pick})
	}
	return answers
}
