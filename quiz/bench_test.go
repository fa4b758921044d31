package quiz_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/quiz/quiztest"
)

// BenchmarkBegin builds 4-question quizzes from 15 facts on the in-memory stores and
// distractor source; each iteration is a new subject (so none is locked out).
func BenchmarkBegin(b *testing.B) {
	h := newHarness(b, nil)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: "subject-" + strconv.Itoa(i), Facts: h.facts}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkFinish scores one quiz again and again; the replay guard is a fake that never
// remembers, so the figure excludes the guard's own cost.
func BenchmarkFinish(b *testing.B) {
	h := newHarness(b, func(c *quiz.Config) { c.ReplayGuard = alwaysFirst{} })
	ch := h.begin(b, "subject")
	ans := quiztest.CorrectAnswers(ch, h.facts)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: ans})
		if err != nil || !res.QuizPassed() {
			b.Fatal(res, err)
		}
	}
}

// BenchmarkResultToken measures sealing and opening a quiz result for a journey that spans
// servers, and reports the token's length.
func BenchmarkResultToken(b *testing.B) {
	h := newHarness(b, nil)
	ch, err := h.ex.Begin(context.Background(), quiz.BeginRequest{Subject: "sub1:0123456789abcdefghijklmnopqrstuv",
		CheckID: "AAAAAAAAAAAAAAAAAAAAAA", Facts: h.facts})
	if err != nil {
		b.Fatal(err)
	}
	r, err := h.ex.Finish(context.Background(), quiz.FinishRequest{Token: ch.Token, Answers: quiztest.CorrectAnswers(ch, h.facts)})
	if err != nil {
		b.Fatal(err)
	}
	tok, err := h.ex.SealResult(r)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Seal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := h.ex.SealResult(r); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(tok)), "token-bytes")
	})
	b.Run("Open", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := h.ex.OpenResult(tok); err != nil {
				b.Fatal(err)
			}
		}
	})
}
