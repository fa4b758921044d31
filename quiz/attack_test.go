package quiz_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/trustid/trustid/internal/seal"
	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/quiz/quiztest"
	"github.com/trustid/trustid/store"
)

// Brute force: attempts are counted at Begin, across sessions, and reset only by a pass or
// by the cool-off ending.
func TestAttackBruteForceAcrossSessions(t *testing.T) {
	ctx := context.Background()
	rule := store.AttemptRule{Limit: 2, Window: 24 * time.Hour, Cooloff: 24 * time.Hour}
	h := newHarness(t, func(c *quiz.Config) {
		c.Policy.Attempts = rule
		c.Policy.RememberFor = 24 * time.Hour
		// Only attempt counting is under test. With the real asked store, the three
		// quizzes begun at one instant at the end must find unshown distractors for
		// every question, which random draws sometimes leave too few of
		// (ErrTooFewDistractors, about 1 run in 150).
		c.Asked = forgetfulAsked{}
	})
	h.facts = richFacts()
	fail := func(subject, device string) {
		t.Helper()
		ch, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: subject, Device: device, Facts: h.facts})
		if err != nil {
			t.Fatalf("Begin(%s): %v", subject, err)
		}
		res, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: wrongAnswers(ch, quiztest.CorrectAnswers(ch, h.facts))})
		if err != nil || res.QuizPassed() {
			t.Fatalf("Finish(wrong) = %v, %v", res, err)
		}
	}
	fail("victim", "dev-1")
	h.clock.Advance(time.Minute)
	fail("victim", "dev-2")

	// Locked out: from any device, with a new session, even with correct answers in hand.
	for _, dev := range []string{"dev-1", "dev-3", ""} {
		_, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: "victim", Device: dev, Facts: h.facts})
		var qe *quiz.Error
		var locked *store.LockedOutError
		if !errors.As(err, &qe) || qe.Reason != quiz.ReasonLockedOut || !errors.Is(err, store.ErrLockedOut) || !errors.As(err, &locked) {
			t.Fatalf("Begin after %d failures on %q = %v, want a *quiz.Error wrapping a *store.LockedOutError", rule.Limit, dev, err)
		}
		if want := t0.Add(time.Minute + rule.Cooloff); !locked.RetryAt.Equal(want) {
			t.Errorf("RetryAt = %v, want %v", locked.RetryAt, want)
		}
	}
	// Abandoning sessions does not help either: the lock holds until the cool-off ends.
	h.clock.Advance(rule.Cooloff - time.Second)
	if _, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: "victim", Facts: h.facts}); !errors.Is(err, store.ErrLockedOut) {
		t.Fatalf("Begin 1s before the cool-off ends = %v, want ErrLockedOut", err)
	}
	h.clock.Advance(time.Second)
	ch, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: "victim", Facts: h.facts})
	if err != nil {
		t.Fatalf("Begin after the cool-off: %v", err)
	}
	// A pass resets the count: two more attempts are allowed at once.
	res, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: quiztest.CorrectAnswers(ch, h.facts)})
	if err != nil || !res.QuizPassed() {
		t.Fatalf("Finish(right) = %v, %v", res, err)
	}
	for i := range rule.Limit {
		if _, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: "victim", Facts: h.facts}); err != nil {
			t.Fatalf("Begin %d after a pass: %v", i+1, err)
		}
	}
}

func TestAttackOneDeviceManySubjects(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, func(c *quiz.Config) {
		c.Policy.DeviceAttempts = store.AttemptRule{Limit: 3, Window: time.Hour, Cooloff: time.Hour}
	})
	for i := range 3 {
		ch, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: fmt.Sprint("subject-", i), Device: "attacker-phone", Facts: h.facts})
		if err != nil {
			t.Fatalf("Begin %d: %v", i, err)
		}
		if i == 2 {
			// A pass of the attacker's own identity does not reset the device.
			if _, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: quiztest.CorrectAnswers(ch, h.facts)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: "subject-9", Device: "attacker-phone", Facts: h.facts}); !errors.Is(err, store.ErrLockedOut) {
		t.Errorf("Begin on a spent device = %v, want ErrLockedOut", err)
	}
	// The locked device did not use up the new subject's attempts.
	for range 2 {
		if _, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: "subject-9", Device: "other-phone", Facts: h.facts}); err != nil {
			t.Errorf("Begin for subject-9 on another device: %v", err)
		}
	}
}

// Option order: over many quizzes the correct option's position among the shown values,
// and its rank when option IDs are sorted, must be uniform. Pearson's chi-square with the
// critical value for p = 1e-6 (df 3: 30.66, df 4: 33.38; computed by bisection on the
// closed-form survival functions of the chi-square distribution with 3 and 4 degrees of
// freedom), so a correct implementation fails with probability below 1e-6 per statistic.
func TestAttackOptionPositionUniform(t *testing.T) {
	const quizzes = 1200
	h := newHarness(t, nil)
	opts := h.ex.Policy().Options
	pos := make([]int, opts)    // position of the answer among the shown values
	rank := make([]int, opts+1) // rank of the correct option ID among sorted IDs, incl. NOTA
	notaPerQuiz := make([]int, 5)
	notaQuestions, questions := 0, 0
	for i := range quizzes {
		ch := h.begin(t, fmt.Sprint("s", i))
		right := quiztest.CorrectAnswers(ch, h.facts)
		nota := 0
		for qi, q := range ch.Questions {
			questions++
			idx := slices.IndexFunc(q.Options, func(o quiz.Option) bool { return o.ID == right[qi].OptionID })
			if q.Options[idx].NoneOfTheAbove {
				nota++
			} else {
				pos[idx]++
			}
			ids := make([]string, len(q.Options))
			for j, o := range q.Options {
				ids[j] = o.ID
			}
			slices.Sort(ids)
			rank[slices.Index(ids, right[qi].OptionID)]++
		}
		notaPerQuiz[nota]++
		notaQuestions += nota
	}
	if x := chiSquare(pos); x > 30.66 {
		t.Errorf("answer positions %v: chi-square %.2f > 30.66 (df 3, p=1e-6)", pos, x)
	}
	if x := chiSquare(rank); x > 33.38 {
		t.Errorf("answer ID ranks %v: chi-square %.2f > 33.38 (df 4, p=1e-6)", rank, x)
	}
	t.Logf("positions %v, ID ranks %v, quizzes by NOTA answers %v", pos, rank, notaPerQuiz)

	// "None of the above" is the answer of at most NoneOfTheAboveMax (1) of 4 questions in
	// every quiz (a majority is impossible by construction), drawn 0 or 1 with
	// probability 1/2 each: the count of quizzes with one is Binomial(1200, 1/2), mean 600,
	// sd 17.3; ±6 sd bounds fail a correct implementation with probability ~2e-9.
	max := h.ex.Policy().NoneOfTheAboveMax
	for n := max + 1; n < len(notaPerQuiz); n++ {
		if notaPerQuiz[n] != 0 {
			t.Errorf("%d quizzes had %d NOTA answers, more than NoneOfTheAboveMax %d", notaPerQuiz[n], n, max)
		}
	}
	if notaPerQuiz[1] < 600-104 || notaPerQuiz[1] > 600+104 {
		t.Errorf("%d of %d quizzes had a NOTA answer, want 600±104", notaPerQuiz[1], quizzes)
	}
	if rate := float64(notaQuestions) / float64(questions); rate >= 0.5 {
		t.Errorf("NOTA answer rate %.3f, want below 1/2", rate)
	}
}

func chiSquare(counts []int) float64 {
	total := 0
	for _, c := range counts {
		total += c
	}
	exp := float64(total) / float64(len(counts))
	x := 0.0
	for _, c := range counts {
		d := float64(c) - exp
		x += d * d / exp
	}
	return x
}

// scriptedSource returns fixed distractors per category, to attack Begin's filters.
type scriptedSource map[quiz.Category][]string

func (s scriptedSource) Distractors(_ context.Context, c quiz.Category, _ string, n int) ([]string, error) {
	return slices.Clone(s[c]), nil
}

func TestAttackDistractorFilters(t *testing.T) {
	since := t0.AddDate(-2, 0, 0)
	facts := []quiz.Fact{
		{Category: quiz.CategoryVehiclePlate, Value: "京A12345", ValidFrom: since},
		{Category: quiz.CategoryVehiclePlate, Value: "京B67890", ValidFrom: since},
		{Category: quiz.CategoryPhoneCarrier, Value: "中国移动", ValidFrom: since},
		{Category: quiz.CategoryBank, Value: "中国工商银行", ValidFrom: since},
		{Category: quiz.CategoryEmployer, Value: "北京星辰科技有限公司", ValidFrom: since},
		{Category: quiz.CategoryIssuingOffice, Value: "北京市公安局东城分局", Public: true},
	}
	good := map[quiz.Category][]string{
		quiz.CategoryVehiclePlate: {"京C24680", "京E13579", "京F11223", "京G98765"},
		quiz.CategoryPhoneCarrier: {"中国电信", "中国广电", "京东通信", "小米移动"},
		quiz.CategoryBank:         {"中国建设银行", "中国光大银行", "中国民生银行", "北京农商银行"},
		quiz.CategoryEmployer:     {"上海明月电子有限公司", "深圳青松软件有限公司", "杭州远山数据有限公司", "广州白鹭传媒有限公司"},
	}
	bad := map[quiz.Category][]string{
		quiz.CategoryVehiclePlate: {
			"京A1234", "京AB1234", "京a24680", "沪A·12345", "JA12345", "京A123456", // shape
			"京Ａ１２３４５", " 京 A12345", // the answer, full-width and spaced
			"京B67890", "京Ｂ６７８９０", "京B 67890", // another true plate
			"\xff\xfe", "",
		},
		quiz.CategoryPhoneCarrier: {"中国移动通信", "移动", "China Mobile", "中国移动 "},
		quiz.CategoryBank:         {"招商银行", "中国工商银行股份有限公司", "中国工商银行"},
		quiz.CategoryEmployer:     {"北京市公安局东城分局", "北京星辰科技 有限公司", "北京星辰科技有限公司A"},
	}
	mixed := scriptedSource{}
	for c := range good {
		mixed[c] = append(slices.Clone(bad[c]), good[c]...)
	}
	// The public fact is a true fact of the right shape for an employer question (10 Han):
	// refused because it is true, not because of its shape.
	mixed[quiz.CategoryEmployer] = append(mixed[quiz.CategoryEmployer], "北京市公安局东城分局")

	h := newHarness(t, func(c *quiz.Config) { c.Distractors = mixed })
	h.facts = facts
	refused := map[string]bool{}
	for _, vs := range bad {
		for _, v := range vs {
			refused[quiz.Normalize(v)] = true
		}
	}
	for i := range 50 {
		ch := h.begin(t, fmt.Sprint("s", i))
		right := quiztest.CorrectAnswers(ch, facts)
		for qi, q := range ch.Questions {
			var answer string
			for _, f := range facts {
				if f.Category == q.Category && !f.Public {
					answer = f.Value
				}
			}
			for _, o := range q.Options {
				if o.NoneOfTheAbove || o.ID == right[qi].OptionID {
					continue
				}
				if refused[quiz.Normalize(o.Text)] {
					t.Fatalf("%s question shows refused distractor %q", q.Category, o.Text)
				}
				if !quiz.SameShape(answer, o.Text) {
					t.Fatalf("%s question shows %q, not of the answer's shape", q.Category, o.Text)
				}
			}
		}
	}

	// A source that offers only bad values gives no quiz at all.
	h = newHarness(t, func(c *quiz.Config) { c.Distractors = scriptedSource(bad) })
	if _, err := h.ex.Begin(context.Background(), quiz.BeginRequest{Subject: "s", Facts: facts}); !errors.Is(err, quiz.ErrTooFewDistractors) {
		t.Errorf("Begin with only bad distractors = %v, want ErrTooFewDistractors", err)
	}
}

// The displayed form hides width and spacing differences between the answer and its
// distractors.
func TestAttackAnswerFormatHidden(t *testing.T) {
	h := newHarness(t, nil)
	h.facts = append(slices.Clone(h.facts[:0:0]), personFacts()...)
	for i := range h.facts {
		if h.facts[i].Category == quiz.CategoryVehiclePlate {
			h.facts[i].Value = "京Ａ１２３４５ " // full-width, trailing space
		}
	}
	for i := range 30 {
		ch := h.begin(t, fmt.Sprint("s", i))
		for _, q := range ch.Questions {
			for _, o := range q.Options {
				if o.Text == "京Ａ１２３４５ " {
					t.Fatalf("answer shown in its raw form %q", o.Text)
				}
			}
		}
	}
}

func TestAttackRepeatedQuestionAfterFailure(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, func(c *quiz.Config) {
		c.Policy.DisableNoneOfTheAbove = true // so every asked fact is shown and identifiable
		c.Policy.Attempts = store.AttemptRule{Limit: 3, Window: 24 * time.Hour, Cooloff: 24 * time.Hour}
	})
	asked := func(ch *quiz.Challenge) []string {
		var out []string
		for _, q := range ch.Questions {
			for _, o := range q.Options {
				for _, f := range h.facts {
					if f.Category == q.Category && quiz.Normalize(f.Value) == quiz.Normalize(o.Text) {
						out = append(out, quiz.Normalize(f.Value))
					}
				}
			}
		}
		return out
	}
	seen := map[string]bool{}
	for attempt := range 3 {
		ch, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: "subject", Facts: h.facts})
		if attempt == 2 && errors.Is(err, quiz.ErrTooFewFacts) {
			// 13 usable facts, 8 asked: when what is left spans fewer than four
			// categories there is no third quiz rather than a repeated question.
			break
		}
		if err != nil {
			t.Fatalf("Begin %d: %v", attempt, err)
		}
		a := asked(ch)
		if len(a) != 4 {
			t.Fatalf("attempt %d: identified %d asked facts, want 4", attempt, len(a))
		}
		for _, v := range a {
			if seen[v] {
				t.Errorf("attempt %d repeats a fact asked before", attempt)
			}
			seen[v] = true
		}
		if _, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: wrongAnswers(ch, quiztest.CorrectAnswers(ch, h.facts))}); err != nil {
			t.Fatal(err)
		}
		h.clock.Advance(time.Minute)
	}
	// Once RememberFor has passed, the facts may be asked again.
	h.clock.Advance(h.ex.Policy().RememberFor)
	if _, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: "subject", Facts: h.facts}); err != nil {
		t.Errorf("Begin after RememberFor: %v", err)
	}
}

func TestAttackTimeout(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		advance time.Duration
		times   func(a []quiz.Answer, begin time.Time) // sets host-reported times
		policy  quiz.Policy
		want    error
	}{
		{name: "total time left", advance: 8*time.Minute - time.Second},
		{name: "total timeout", advance: 8 * time.Minute, want: quiz.ErrExpired},
		{name: "long after", advance: 48 * time.Hour, want: quiz.ErrExpired},
		{name: "per question within 2m", advance: 7 * time.Minute, times: func(a []quiz.Answer, b time.Time) {
			for i := range a {
				a[i].ShownAt = b.Add(time.Duration(i) * 100 * time.Second)
				a[i].AnsweredAt = a[i].ShownAt.Add(2 * time.Minute)
			}
		}},
		{name: "one question over 2m", advance: 7 * time.Minute, times: func(a []quiz.Answer, b time.Time) {
			for i := range a {
				a[i].ShownAt = b.Add(time.Duration(i) * time.Second)
				a[i].AnsweredAt = a[i].ShownAt.Add(time.Second)
			}
			a[2].AnsweredAt = a[2].ShownAt.Add(2*time.Minute + time.Second)
		}, want: quiz.ErrExpired},
		{name: "times missing when required", advance: time.Minute, policy: quiz.Policy{RequireAnswerTimes: true}, want: quiz.ErrBadAnswers},
		{name: "answered before shown", advance: time.Minute, times: func(a []quiz.Answer, b time.Time) {
			for i := range a {
				a[i].ShownAt, a[i].AnsweredAt = b.Add(10*time.Second), b.Add(5*time.Second)
			}
		}, want: quiz.ErrBadAnswers},
		{name: "shown before Begin", advance: time.Minute, times: func(a []quiz.Answer, b time.Time) {
			for i := range a {
				a[i].ShownAt, a[i].AnsweredAt = b.Add(-time.Minute), b.Add(5*time.Second)
			}
		}, want: quiz.ErrBadAnswers},
		{name: "answered after Finish", advance: time.Minute, times: func(a []quiz.Answer, b time.Time) {
			for i := range a {
				a[i].ShownAt, a[i].AnsweredAt = b, b.Add(90*time.Second)
			}
		}, want: quiz.ErrBadAnswers},
		{name: "only one time", advance: time.Minute, times: func(a []quiz.Answer, b time.Time) {
			a[0].ShownAt = b
		}, want: quiz.ErrBadAnswers},
		{name: "within clock skew", advance: time.Minute, times: func(a []quiz.Answer, b time.Time) {
			for i := range a {
				a[i].ShownAt, a[i].AnsweredAt = b.Add(-4*time.Second), b.Add(64*time.Second)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, func(c *quiz.Config) { c.Policy = tt.policy })
			ch := h.begin(t, "s")
			ans := quiztest.CorrectAnswers(ch, h.facts)
			if tt.times != nil {
				tt.times(ans, t0)
			}
			h.clock.Advance(tt.advance)
			res, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: ans})
			if !errors.Is(err, tt.want) {
				t.Fatalf("Finish = %v, %v; want error %v", res, err, tt.want)
			}
			if tt.want == nil && !res.QuizPassed() {
				t.Errorf("right answers in time did not pass")
			}
			if tt.want != nil && res != nil {
				t.Errorf("Finish returned a result with error %v", err)
			}
		})
	}
}

func TestAttackResubmit(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, nil)
	ch := h.begin(t, "s")
	right := quiztest.CorrectAnswers(ch, h.facts)
	if _, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: wrongAnswers(ch, right)}); err != nil {
		t.Fatal(err)
	}
	if res, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: right}); !errors.Is(err, store.ErrReplayed) || res != nil {
		t.Errorf("second Finish = %v, %v; want ErrReplayed", res, err)
	}
	// Another spelling of the same token must not get past the replay guard, which is
	// keyed on the token's text.
	for _, respelled := range []string{ch.Token + "\n", ch.Token + "\r\n", "\n" + ch.Token, ch.Token[:10] + "\n" + ch.Token[10:]} {
		if res, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: respelled, Answers: right}); err == nil || res != nil {
			t.Errorf("Finish(respelled token %q...) = %v, %v; want refused", respelled[:12], res, err)
		}
	}

	// Bad answers use the token up too: no probing with malformed answers first.
	ch = h.begin(t, "s2")
	if _, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: []quiz.Answer{{QuestionID: "x", OptionID: "y"}}}); !errors.Is(err, quiz.ErrBadAnswers) {
		t.Fatalf("Finish(bad) = %v", err)
	}
	if _, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: quiztest.CorrectAnswers(ch, h.facts)}); !errors.Is(err, store.ErrReplayed) {
		t.Errorf("Finish after bad answers = %v, want ErrReplayed", err)
	}
}

func TestAttackConcurrentFinish(t *testing.T) {
	h := newHarness(t, nil)
	ch := h.begin(t, "s")
	right := quiztest.CorrectAnswers(ch, h.facts)
	const n = 16
	var wg sync.WaitGroup
	results := make(chan error, n)
	for range n {
		wg.Go(func() {
			_, err := h.ex.Finish(context.Background(), quiz.FinishRequest{Token: ch.Token, Answers: right})
			results <- err
		})
	}
	wg.Wait()
	close(results)
	ok, replayed := 0, 0
	for err := range results {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, store.ErrReplayed):
			replayed++
		default:
			t.Errorf("concurrent Finish: %v", err)
		}
	}
	if ok != 1 || replayed != n-1 {
		t.Errorf("%d concurrent Finishes: %d scored, %d replayed; want 1 and %d", n, ok, replayed, n-1)
	}
}

func TestAttackAnswersFromAnotherQuiz(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, nil)
	tests := []struct {
		name string
		mix  func(a, b []quiz.Answer) []quiz.Answer
	}{
		{"all answers of B", func(_, b []quiz.Answer) []quiz.Answer { return b }},
		{"A's questions, B's options", func(a, b []quiz.Answer) []quiz.Answer {
			out := slices.Clone(a)
			out[0].OptionID = b[0].OptionID
			return out
		}},
		{"A's options swapped between questions", func(a, _ []quiz.Answer) []quiz.Answer {
			out := slices.Clone(a)
			out[0].OptionID, out[1].OptionID = out[1].OptionID, out[0].OptionID
			return out
		}},
		{"one answer of B added", func(a, b []quiz.Answer) []quiz.Answer { return append(slices.Clone(a[:3]), b[0]) }},
		{"a question answered twice", func(a, _ []quiz.Answer) []quiz.Answer { return append(slices.Clone(a), a[0]) }},
		// As many answers as questions, so only the per-question check can refuse it.
		{"a question answered twice, another not at all", func(a, _ []quiz.Answer) []quiz.Answer {
			return append(slices.Clone(a[:len(a)-1]), a[0])
		}},
		{"empty IDs", func(a, _ []quiz.Answer) []quiz.Answer { return []quiz.Answer{{}} }},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := h.begin(t, fmt.Sprint("a", i))
			b := h.begin(t, fmt.Sprint("b", i))
			ans := tt.mix(quiztest.CorrectAnswers(a, h.facts), quiztest.CorrectAnswers(b, h.facts))
			if res, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: a.Token, Answers: ans}); !errors.Is(err, quiz.ErrBadAnswers) || res != nil {
				t.Errorf("Finish = %v, %v; want ErrBadAnswers", res, err)
			}
		})
	}
}

func TestAttackTamperedToken(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, func(c *quiz.Config) { c.ReplayGuard = alwaysFirst{} })
	ch := h.begin(t, "s")
	right := quiztest.CorrectAnswers(ch, h.facts)
	raw, err := base64.RawURLEncoding.DecodeString(ch.Token)
	if err != nil {
		t.Fatal(err)
	}
	for i := range len(raw) * 8 {
		b := slices.Clone(raw)
		b[i/8] ^= 1 << (i % 8)
		tok := base64.RawURLEncoding.EncodeToString(b)
		if res, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: tok, Answers: right}); !errors.Is(err, quiz.ErrNotAuthentic) || res != nil {
			t.Fatalf("bit %d flipped: Finish = %v, %v; want ErrNotAuthentic", i, res, err)
		}
	}
	other, err := seal.New("liveness", testKey(1, 1))
	if err != nil {
		t.Fatal(err)
	}
	otherPurpose, err := other.Seal([]byte("x"), t0.Add(time.Hour), rand0{})
	if err != nil {
		t.Fatal(err)
	}
	otherKey := newHarness(t, func(c *quiz.Config) { c.Keys = []store.Key{testKey(1, 9)} }).begin(t, "s").Token
	for name, tok := range map[string]string{
		"truncated":            ch.Token[:len(ch.Token)-1],
		"extended":             ch.Token + "A",
		"empty":                "",
		"not base64":           "!!!!",
		"another purpose":      otherPurpose,
		"another key, same ID": otherKey,
	} {
		if res, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: tok, Answers: right}); !errors.Is(err, quiz.ErrNotAuthentic) || res != nil {
			t.Errorf("%s: Finish = %v, %v; want ErrNotAuthentic", name, res, err)
		}
	}
	// The untouched token still passes: the flips above were rejected for the flip.
	if res, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: right}); err != nil || !res.QuizPassed() {
		t.Errorf("untouched token: Finish = %v, %v", res, err)
	}
}

type rand0 struct{}

func (rand0) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestKeyRotation(t *testing.T) {
	old := newHarness(t, nil)
	ch := old.begin(t, "s")
	rotated := newHarness(t, func(c *quiz.Config) { c.Keys = []store.Key{testKey(2, 2), testKey(1, 1)} })
	res, err := rotated.ex.Finish(context.Background(), quiz.FinishRequest{Token: ch.Token, Answers: quiztest.CorrectAnswers(ch, old.facts)})
	if err != nil || !res.QuizPassed() {
		t.Errorf("Finish under rotated keys = %v, %v", res, err)
	}
}

// TestAttackKeyRotationKeepsLockOut: rotating the seal keys (the new key first, the old
// one second) must not wipe the attempt counts and the memory of asked facts, which are
// stored under HMACs of the index key. An index key derived from the seal key would hand a
// locked-out attacker fresh attempts, and fresh questions, at every rotation.
func TestAttackKeyRotationKeepsLockOut(t *testing.T) {
	ctx := context.Background()
	attempts, asked := store.NewMemoryAttemptStore(), quiz.NewMemoryAskedStore()
	clk := newClock()
	examiner := func(keys ...store.Key) *quiz.Examiner {
		ex, err := quiz.New(quiz.Config{
			Keys:         keys,
			IndexKey:     testIndexKey,
			Distractors:  quiz.NewMemoryDistractors(pools()),
			AttemptStore: attempts,
			Asked:        asked,
			Now:          clk.Now,
			Policy:       quiz.Policy{Attempts: store.AttemptRule{Limit: 1, Window: 24 * time.Hour, Cooloff: 24 * time.Hour}},
		})
		if err != nil {
			t.Fatal(err)
		}
		return ex
	}
	before := examiner(testKey(1, 1))
	facts := richFacts()
	first, err := before.Begin(ctx, quiz.BeginRequest{Subject: "victim", Facts: facts})
	if err != nil {
		t.Fatal(err)
	}
	right := quiztest.CorrectAnswers(first, facts)
	if res, err := before.Finish(ctx, quiz.FinishRequest{Token: first.Token, Answers: wrongAnswers(first, right)}); err != nil || res.QuizPassed() {
		t.Fatalf("Finish(wrong) = %v, %v", res, err)
	}
	if _, err := before.Begin(ctx, quiz.BeginRequest{Subject: "victim", Facts: facts}); !errors.Is(err, store.ErrLockedOut) {
		t.Fatalf("Begin after a failure with Limit 1 = %v, want locked out", err)
	}

	rotated := examiner(testKey(2, 2), testKey(1, 1))
	_, err = rotated.Begin(ctx, quiz.BeginRequest{Subject: "victim", Facts: facts})
	var locked *store.LockedOutError
	if !errors.As(err, &locked) || !locked.RetryAt.Equal(t0.Add(24*time.Hour)) {
		t.Fatalf("Begin after rotating the seal keys = %v, want still locked out until %v", err, t0.Add(24*time.Hour))
	}

	// Once the lock-out ends, the rotated examiner still remembers what the first quiz
	// asked and showed: no value of it is shown again.
	clk.Advance(24 * time.Hour)
	second, err := rotated.Begin(ctx, quiz.BeginRequest{Subject: "victim", Facts: facts})
	if err != nil {
		t.Fatalf("Begin after the cool-off: %v", err)
	}
	shown := map[string]bool{}
	for _, q := range first.Questions {
		for _, o := range q.Options {
			if !o.NoneOfTheAbove {
				shown[quiz.Normalize(o.Text)] = true
			}
		}
	}
	for _, q := range second.Questions {
		for _, o := range q.Options {
			if shown[quiz.Normalize(o.Text)] {
				t.Errorf("after rotating the seal keys, option %v of the first quiz is shown again", o)
			}
		}
	}
}

// A value shown in one quiz is not shown again to the same subject within RememberFor:
// otherwise its reappearance would tell the taker it is not the later quiz's answer (true
// facts are never distractors, asked facts are not asked again), and over several
// attempts the person's facts would emerge by elimination (NIST SP 800-63A-3 §5.3.2 5h).
func TestAttackNoValueShownTwice(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, func(c *quiz.Config) {
		c.Policy.Attempts = store.AttemptRule{Limit: 3, Window: 24 * time.Hour, Cooloff: 24 * time.Hour}
	})
	h.facts = richFacts()
	shown := map[string]int{}
	for attempt := range 3 {
		ch, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: "subject", Facts: h.facts})
		if err != nil {
			t.Fatalf("Begin %d: %v", attempt, err)
		}
		for _, q := range ch.Questions {
			for _, o := range q.Options {
				if o.NoneOfTheAbove {
					continue
				}
				n := quiz.Normalize(o.Text)
				if prev, ok := shown[n]; ok {
					t.Errorf("attempt %d shows a value already shown in attempt %d", attempt, prev)
				}
				shown[n] = attempt
			}
		}
		if _, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: wrongAnswers(ch, quiztest.CorrectAnswers(ch, h.facts))}); err != nil {
			t.Fatal(err)
		}
	}
	// Another subject may see the same values.
	if _, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: "someone else", Facts: h.facts}); err != nil {
		t.Errorf("Begin for another subject: %v", err)
	}
}

// Case, spacing and width variants of a true fact are the same fact: a Latin-script quiz
// shows none of them as a distractor.
func TestAttackCaseAndSpacingVariants(t *testing.T) {
	facts := []quiz.Fact{
		{Category: quiz.CategoryPreviousAddress, Value: "Flat 3, Xinyuan Street"},
		{Category: quiz.CategoryPreviousAddress, Value: "Flat 7, Jinyuan Street"},
		{Category: quiz.CategoryEmployer, Value: "Northwind Trading"},
		{Category: quiz.CategoryBank, Value: "Harbour Bank"},
		{Category: quiz.CategoryVehiclePlate, Value: "AB12CDE"},
	}
	src := scriptedSource{
		quiz.CategoryPreviousAddress: {
			"Flat 7, Jinyuan  Street", "Flat 7,\u3000Jinyuan Street", "Ｆｌａｔ 7, Jinyuan Street", "flat 7, jinyuan street",
			"Flat 5, Huayuan Street", "Flat 2, Kaiyuan Street", "Flat 9, Taiyuan Street", "Flat 4, Baiyuan Street",
		},
		quiz.CategoryEmployer:     {"Northwind  Trading", "NORTHWIND TRADING", "Southwind Trading", "Greenwind Trading", "Whirlwind Trading", "Northwood Trading"},
		quiz.CategoryBank:         {"Harbour\u00a0Bank", "Ｈａｒｂｏｕｒ Bank", "Harbor Banks", "Seaside Bank", "Country Bank", "Granite Bank", "Orchard Bank"},
		quiz.CategoryVehiclePlate: {"AB12 CDE", "ＡＢ１２ＣＤＥ", "XY34FGH", "KL56MNP", "QR78STU", "VW90XYZ"},
	}
	variants := map[string]bool{}
	for _, f := range facts {
		variants[quiz.Normalize(f.Value)] = true
	}
	h := newHarness(t, func(c *quiz.Config) { c.Distractors = src })
	h.facts = facts
	for i := range 30 {
		ch := h.begin(t, fmt.Sprint("s", i))
		right := quiztest.CorrectAnswers(ch, facts)
		for qi, q := range ch.Questions {
			for _, o := range q.Options {
				if o.ID != right[qi].OptionID && variants[quiz.Normalize(o.Text)] {
					t.Fatalf("%s question shows %q, a variant of a true fact, as a wrong option", q.Category, o.Text)
				}
			}
		}
		res, err := h.ex.Finish(context.Background(), quiz.FinishRequest{Token: ch.Token, Answers: right})
		if err != nil || !res.QuizPassed() {
			t.Fatalf("Finish = %v, %v", res, err)
		}
	}
}

// forgetfulAsked is a fake AskedStore that never remembers: every Claim succeeds.
type forgetfulAsked struct{}

func (forgetfulAsked) Asked(context.Context, string, time.Time) ([]string, error) { return nil, nil }

func (forgetfulAsked) Claim(context.Context, string, []string, time.Time, time.Time) (bool, error) {
	return true, nil
}

// staleAsked hides what is held, as a concurrent Begin that has not claimed yet would see
// it; claims still go to the real store.
type staleAsked struct{ quiz.AskedStore }

func (staleAsked) Asked(context.Context, string, time.Time) ([]string, error) { return nil, nil }

// Two quizzes begun at the same moment for one subject must not both ask a fact: the same
// question with two sets of distractors would give its answer away by intersection.
func TestAttackConcurrentBeginsSameSubject(t *testing.T) {
	ctx := context.Background()
	t.Run("interleaved", func(t *testing.T) {
		h := newHarness(t, func(c *quiz.Config) { c.Asked = staleAsked{quiz.NewMemoryAskedStore()} })
		h.facts = h.facts[:0]
		for _, f := range personFacts() {
			switch f.Value {
			case "北京市朝阳区建国路88号", "京A12345", "中国移动", "中国工商银行":
				h.facts = append(h.facts, f)
			}
		}
		h.begin(t, "subject")
		if _, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: "subject", Facts: h.facts}); !errors.Is(err, quiz.ErrConcurrentQuiz) {
			t.Errorf("second Begin on the same facts = %v, want ErrConcurrentQuiz", err)
		}
	})
	t.Run("goroutines", func(t *testing.T) {
		h := newHarness(t, func(c *quiz.Config) {
			c.Policy.Attempts = store.AttemptRule{Limit: 3, Window: time.Hour, Cooloff: time.Hour}
		})
		h.facts = richFacts()
		const n = 8
		var wg sync.WaitGroup
		chs := make(chan *quiz.Challenge, n)
		for range n {
			wg.Go(func() {
				ch, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: "subject", Facts: h.facts})
				switch {
				case err == nil:
					chs <- ch
				case errors.Is(err, store.ErrLockedOut), errors.Is(err, quiz.ErrConcurrentQuiz),
					errors.Is(err, quiz.ErrTooFewFacts), errors.Is(err, quiz.ErrTooFewDistractors):
				default:
					t.Errorf("Begin: %v", err)
				}
			})
		}
		wg.Wait()
		close(chs)
		shown := map[string]bool{}
		got := 0
		for ch := range chs {
			got++
			for _, q := range ch.Questions {
				for _, o := range q.Options {
					if o.NoneOfTheAbove {
						continue
					}
					if n := quiz.Normalize(o.Text); shown[n] {
						t.Errorf("two concurrent quizzes both show %q", o.Text)
					} else {
						shown[n] = true
					}
				}
			}
		}
		if got == 0 || got > 3 {
			t.Errorf("%d concurrent Begins gave %d quizzes, want 1 to 3 (Attempts.Limit)", n, got)
		}
	})
}
