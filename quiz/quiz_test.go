package quiz_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/quiz/quiztest"
	"github.com/trustid/trustid/store"
)

func TestBeginFinish(t *testing.T) {
	tests := []struct {
		name       string
		answers    func(ch *quiz.Challenge, right []quiz.Answer) []quiz.Answer
		wantPassed bool
	}{
		{"all right", func(_ *quiz.Challenge, r []quiz.Answer) []quiz.Answer { return r }, true},
		{"all right, reversed order", func(_ *quiz.Challenge, r []quiz.Answer) []quiz.Answer {
			r = slices.Clone(r)
			slices.Reverse(r)
			return r
		}, true},
		{"one wrong", wrongAnswers, false},
		{"one missing", func(_ *quiz.Challenge, r []quiz.Answer) []quiz.Answer { return r[1:] }, false},
		{"none", func(*quiz.Challenge, []quiz.Answer) []quiz.Answer { return nil }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			ch := h.begin(t, "subject-1")
			if len(ch.Questions) != 4 {
				t.Fatalf("Begin gave %d questions, want 4", len(ch.Questions))
			}
			cats := map[quiz.Category]bool{}
			for _, q := range ch.Questions {
				if cats[q.Category] {
					t.Errorf("category %s asked twice in one quiz", q.Category)
				}
				cats[q.Category] = true
				if len(q.Options) != 5 || !q.Options[4].NoneOfTheAbove {
					t.Errorf("question %s: %d options, last NOTA=%v; want 5 with NOTA last", q.Category, len(q.Options), q.Options[len(q.Options)-1].NoneOfTheAbove)
				}
				if q.Prompt == "" {
					t.Errorf("question %s has no prompt", q.Category)
				}
			}
			if want := time.Unix(t0.Add(8*time.Minute).Unix(), 0); !ch.Expires.Equal(want) {
				t.Errorf("Expires = %v, want %v", ch.Expires, want)
			}
			h.clock.Advance(time.Minute)
			res, err := h.ex.Finish(context.Background(), quiz.FinishRequest{Token: ch.Token, Answers: tt.answers(ch, quiztest.CorrectAnswers(ch, h.facts))})
			if err != nil {
				t.Fatalf("Finish: %v", err)
			}
			if res.QuizPassed() != tt.wantPassed {
				t.Errorf("QuizPassed() = %v, want %v", res.QuizPassed(), tt.wantPassed)
			}
			if res.Subject() != "subject-1" {
				t.Errorf("Subject() = %q, want %q", res.Subject(), "subject-1")
			}
			if !res.FinishedAt().Equal(t0.Add(time.Minute)) {
				t.Errorf("FinishedAt() = %v", res.FinishedAt())
			}
		})
	}
}

// The memory-evidence interface of package verify (contracts.md), restated here because
// quiz must not import verify.
type memoryEvidence interface {
	Subject() string
	QuizPassed() bool
}

var _ memoryEvidence = (*quiz.Result)(nil)

func TestTokenHoldsNoAnswer(t *testing.T) {
	h := newHarness(t, nil)
	ch := h.begin(t, "subject-1")
	for _, q := range ch.Questions {
		for _, o := range q.Options {
			if strings.Contains(ch.Token, o.ID) {
				t.Errorf("token contains option ID %s", o.ID)
			}
		}
	}
	// The token is encrypted; what it holds in the clear is checked by the state tests in
	// package quiz (no option text, no option ID, only MACs).
}

func TestKOfN(t *testing.T) {
	tests := []struct {
		wrong      int
		wantPassed bool
	}{{0, true}, {1, true}, {2, false}, {4, false}}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.wrong, " wrong"), func(t *testing.T) {
			h := newHarness(t, func(c *quiz.Config) { c.Policy.MaxMissedWeight = 1 })
			ch := h.begin(t, "s")
			ans := quiztest.CorrectAnswers(ch, h.facts)
			for i := range tt.wrong {
				for _, o := range ch.Questions[i].Options {
					if o.ID != ans[i].OptionID {
						ans[i].OptionID = o.ID
						break
					}
				}
			}
			res, err := h.ex.Finish(context.Background(), quiz.FinishRequest{Token: ch.Token, Answers: ans})
			if err != nil {
				t.Fatal(err)
			}
			if res.QuizPassed() != tt.wantPassed {
				t.Errorf("%d wrong of 4 with MaxMissedWeight 1: passed = %v, want %v", tt.wrong, res.QuizPassed(), tt.wantPassed)
			}
		})
	}
}

func TestScoreWeights(t *testing.T) {
	// Addresses weigh 3, the rest 1; up to 2 missed: a wrong address fails, a wrong
	// other answer passes.
	cats := quiz.DefaultCategories()
	for c, cp := range cats {
		cp.ScoreWeight = 1
		if c == quiz.CategoryPreviousAddress {
			cp.ScoreWeight = 3
			cp.PickWeight = 1000 // always asked
		}
		cats[c] = cp
	}
	h := newHarness(t, func(c *quiz.Config) {
		c.Policy.Categories = cats
		c.Policy.MaxMissedWeight = 1
	})
	for _, wrongCat := range []quiz.Category{quiz.CategoryPreviousAddress, ""} {
		ch := h.begin(t, "s"+string(wrongCat))
		ans := quiztest.CorrectAnswers(ch, h.facts)
		idx := -1
		for i, q := range ch.Questions {
			if (wrongCat == "" && q.Category != quiz.CategoryPreviousAddress) || q.Category == wrongCat {
				idx = i
				break
			}
		}
		if idx < 0 {
			t.Fatalf("no question of category %q", wrongCat)
		}
		for _, o := range ch.Questions[idx].Options {
			if o.ID != ans[idx].OptionID {
				ans[idx].OptionID = o.ID
				break
			}
		}
		res, err := h.ex.Finish(context.Background(), quiz.FinishRequest{Token: ch.Token, Answers: ans})
		if err != nil {
			t.Fatal(err)
		}
		if want := wrongCat == ""; res.QuizPassed() != want {
			t.Errorf("wrong answer to %s (weight %d): passed = %v, want %v", ch.Questions[idx].Category, cats[ch.Questions[idx].Category].ScoreWeight, res.QuizPassed(), want)
		}
	}
}

func TestTooFewFacts(t *testing.T) {
	since := t0.AddDate(-1, 0, 0)
	good := []quiz.Fact{
		{Category: quiz.CategoryPreviousAddress, Value: "北京市朝阳区建国路88号", ValidFrom: since},
		{Category: quiz.CategoryVehiclePlate, Value: "京A12345", ValidFrom: since},
		{Category: quiz.CategoryIssuingOffice, Value: "北京市公安局朝阳分局", ValidFrom: since},
	}
	with := func(f quiz.Fact) []quiz.Fact { return append(slices.Clone(good), f) }
	fourth := quiz.Fact{Category: quiz.CategoryBank, Value: "中国工商银行", ValidFrom: since}
	tests := []struct {
		name  string
		facts []quiz.Fact
		want  error
	}{
		{"none", nil, quiz.ErrTooFewFacts},
		{"three categories", good, quiz.ErrTooFewFacts},
		{"fourth is static", with(quiz.Fact{Category: quiz.CategoryBank, Value: "中国工商银行", Static: true}), quiz.ErrTooFewFacts},
		{"fourth is public", with(quiz.Fact{Category: quiz.CategoryBank, Value: "中国工商银行", Public: true}), quiz.ErrTooFewFacts},
		{"fourth starts in the future", with(quiz.Fact{Category: quiz.CategoryBank, Value: "中国工商银行", ValidFrom: t0.Add(time.Hour)}), quiz.ErrTooFewFacts},
		{"fourth ended 11 years ago", with(quiz.Fact{Category: quiz.CategoryBank, Value: "中国工商银行", ValidUntil: t0.AddDate(-11, 0, 0)}), quiz.ErrTooFewFacts},
		{"fourth in a disabled category", with(quiz.Fact{Category: "school", Value: "北京市第四中学"}), quiz.ErrTooFewFacts},
		{"fourth is only spaces", with(quiz.Fact{Category: quiz.CategoryBank, Value: " \u3000 "}), quiz.ErrTooFewFacts},
		{"fourth is a second address", with(quiz.Fact{Category: quiz.CategoryPreviousAddress, Value: "北京市海淀区学院路35号"}), quiz.ErrTooFewFacts},
		{"four categories", with(fourth), nil},
		{"fourth ended 9 years ago", with(quiz.Fact{Category: quiz.CategoryBank, Value: "中国工商银行", ValidUntil: t0.AddDate(-9, 0, 0)}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			_, err := h.ex.Begin(context.Background(), quiz.BeginRequest{Subject: "s", Facts: tt.facts})
			if !errors.Is(err, tt.want) {
				t.Errorf("Begin error = %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("no attempt counted", func(t *testing.T) {
		h := newHarness(t, func(c *quiz.Config) {
			c.Policy.Attempts = store.AttemptRule{Limit: 1, Window: time.Hour, Cooloff: time.Hour}
		})
		for range 3 {
			if _, err := h.ex.Begin(context.Background(), quiz.BeginRequest{Subject: "s", Facts: good}); !errors.Is(err, quiz.ErrTooFewFacts) {
				t.Fatalf("Begin = %v, want ErrTooFewFacts", err)
			}
		}
		if _, err := h.ex.Begin(context.Background(), quiz.BeginRequest{Subject: "s", Facts: with(fourth)}); err != nil {
			t.Errorf("Begin after refused quizzes: %v", err)
		}
	})
}

func TestInvalidInput(t *testing.T) {
	long := strings.Repeat("x", 600)
	tests := []struct {
		name            string
		subject, device string
		facts           []quiz.Fact
	}{
		{"empty subject", "", "", personFacts()},
		{"long subject", long, "", personFacts()},
		{"long device", "s", long, personFacts()},
		{"long fact", "s", "", append(personFacts(), quiz.Fact{Category: quiz.CategoryBank, Value: long})},
		{"invalid UTF-8 fact", "s", "", append(personFacts(), quiz.Fact{Category: quiz.CategoryBank, Value: "\xff\xfe"})},
		{"too many facts", "s", "", make([]quiz.Fact, 1001)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			_, err := h.ex.Begin(context.Background(), quiz.BeginRequest{Subject: tt.subject, Device: tt.device, Facts: tt.facts})
			if !errors.Is(err, quiz.ErrInvalidArgument) {
				t.Errorf("Begin error = %v, want ErrInvalidArgument", err)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"京A12345", "京a12345"},
		{"京Ａ１２３４５", "京a12345"},          // full-width letters and digits
		{" 京 A 12345 ", "京a12345"},      // spaces
		{"京\u3000A12345", "京a12345"},    // ideographic space
		{"京\tA\n12345", "京a12345"},      // other white space
		{"BEIJING Road", "beijingroad"}, // case
		{"ﾍﾟｷﾝ", "ペキン"},                 // half-width katakana, composed
		{"Straße", "strasse"},           // full case folding
		{"ＫＩＬＯ", "kilo"},                // full-width upper case
		{"e\u0301", "é"},                // composition
		{"北京市朝阳区建国路８８号", "北京市朝阳区建国路88号"}, // mixed
		{"", ""},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, quiz.Normalize(tt.in)); diff != "" {
			t.Errorf("Normalize(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestSameShape(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"京A12345", "京B67890", true},
		{"京A12345", "京Ｂ６７８９０", true},   // compared in displayed form
		{"京A12345", "京A1234", false},   // digit count
		{"京A12345", "京AB1234", false},  // digit count
		{"京A12345", "京a12345", false},  // lower case letter
		{"京A12345", "沪A·12345", false}, // punctuation
		{"京A12345", "JA12345", false},  // script
		{"中国移动", "中国联通", true},
		{"中国移动", "中国移动通信", false},                                  // length
		{"中国工商银行", "招商银行", false},                                  // length
		{"中国移动", "中国移\U00020000", false},                           // a 4-byte Han character: byte length
		{"北京市朝阳区建国路88号", "北京市朝阳区建国路8号", false},                     // digits
		{"北京市朝阳区建国路88号", "北京市朝阳区东四路47号", true},                     // 12 runes, Han, digits, Han
		{"北京市朝阳区建国路88号", "北京市朝阳区东三环中路88号", false},                  // 12 vs 14 runes: any difference shows
		{"北京市朝阳区建国路88号", "北京市朝阳区建国路８８号", true},                     // compared in displayed form
		{"北京市朝阳区建国路88号", "88号北京市朝阳区建国路", false},                    // order of classes
		{"北京市朝阳区建国路88号", "北京市 朝阳区 建国路88号", false},                  // spaces are seen
		{"京A12345", "京12345A", false},                              // order of classes
		{"Flat 12", "Flat ١٢", false},                              // other digits: byte length
		{"Room 12, Jianguo Road", "Room 12,  Jianguo\tRoad", true}, // white space shown as one space
		{"Room 12, Jianguo Road", "Flat 34, Xinyuan Road", true},   // same classes
		{"Room 12, Jianguo Road", "room 12, jianguo road", false},
	}
	for _, tt := range tests {
		if got := quiz.SameShape(tt.a, tt.b); got != tt.want {
			t.Errorf("SameShape(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestPolicyValidate(t *testing.T) {
	rule := func(l int) store.AttemptRule {
		return store.AttemptRule{Limit: l, Window: time.Hour, Cooloff: time.Hour}
	}
	tests := []struct {
		name string
		p    quiz.Policy
		ok   bool
	}{
		{"defaults", quiz.Policy{}, true},
		{"3 questions", quiz.Policy{Questions: 3}, false},
		{"3 options", quiz.Policy{Options: 3}, false},
		{"11 options", quiz.Policy{Options: 11}, false},
		{"NOTA max 2 of 4 (half)", quiz.Policy{NoneOfTheAboveMax: 2}, false},
		{"NOTA max 2 of 5", quiz.Policy{Questions: 5, NoneOfTheAboveMax: 2}, true},
		{"NOTA max 3 of 6 (half)", quiz.Policy{Questions: 6, NoneOfTheAboveMax: 3}, false},
		{"NOTA disabled with max", quiz.Policy{DisableNoneOfTheAbove: true, NoneOfTheAboveMax: 1}, false},
		{"NOTA disabled", quiz.Policy{DisableNoneOfTheAbove: true}, true},
		{"3 attempts", quiz.Policy{Attempts: rule(3)}, true},
		{"4 attempts", quiz.Policy{Attempts: rule(4)}, false},
		{"attempt rule without window", quiz.Policy{Attempts: store.AttemptRule{Limit: 2}}, false},
		{"question timeout 2m1s", quiz.Policy{QuestionTimeout: 2*time.Minute + time.Second}, false},
		{"question timeout 1m", quiz.Policy{QuestionTimeout: time.Minute}, true},
		{"total timeout above questions × timeout", quiz.Policy{TotalTimeout: 9 * time.Minute}, false},
		{"negative missed weight", quiz.Policy{MaxMissedWeight: -1}, false},
		{"missed weight 1 of 4", quiz.Policy{MaxMissedWeight: 1}, true},
		{"missed weight 2 of 4 (half)", quiz.Policy{MaxMissedWeight: 2}, false},
		{"remember shorter than window", quiz.Policy{RememberFor: time.Hour}, false},
		{"clock skew 2m", quiz.Policy{ClockSkew: 2 * time.Minute}, false},
		{"too few categories", quiz.Policy{Categories: map[quiz.Category]quiz.CategoryPolicy{"a": {Prompt: "?"}}}, false},
		{"category without prompt", quiz.Policy{Categories: map[quiz.Category]quiz.CategoryPolicy{"a": {}, "b": {Prompt: "?"}, "c": {Prompt: "?"}, "d": {Prompt: "?"}}}, false},
		{"negative weight", quiz.Policy{Categories: map[quiz.Category]quiz.CategoryPolicy{"a": {Prompt: "?", PickWeight: -1}, "b": {Prompt: "?"}, "c": {Prompt: "?"}, "d": {Prompt: "?"}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestNew(t *testing.T) {
	ds := quiz.NewMemoryDistractors(pools())
	tests := []struct {
		name string
		cfg  quiz.Config
	}{
		{"no keys", quiz.Config{Distractors: ds}},
		{"short key", quiz.Config{Keys: []store.Key{{ID: 1, Secret: make([]byte, 16)}}, Distractors: ds}},
		{"no distractors", quiz.Config{Keys: []store.Key{testKey(1, 1)}}},
		{"short index key", quiz.Config{Keys: []store.Key{testKey(1, 1)}, Distractors: ds, IndexKey: make([]byte, 31)}},
		{"empty index key", quiz.Config{Keys: []store.Key{testKey(1, 1)}, Distractors: ds, IndexKey: []byte{}}},
		{"bad policy", quiz.Config{Keys: []store.Key{testKey(1, 1)}, Distractors: ds, Policy: quiz.Policy{Questions: 2}}},
		// A host-supplied store outlives the examiner or is shared: its keys must not
		// depend on a per-instance random key or on the rotating seal key.
		{"attempt store without index key", quiz.Config{Keys: []store.Key{testKey(1, 1)}, Distractors: ds, AttemptStore: store.NewMemoryAttemptStore()}},
		{"asked store without index key", quiz.Config{Keys: []store.Key{testKey(1, 1)}, Distractors: ds, Asked: quiz.NewMemoryAskedStore()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := quiz.New(tt.cfg)
			if !errors.Is(err, quiz.ErrInvalidArgument) || ex != nil {
				t.Errorf("New = %v, %v; want nil and ErrInvalidArgument", ex, err)
			}
		})
	}
	for name, cfg := range map[string]quiz.Config{
		"in-memory defaults, no index key": {Keys: []store.Key{testKey(1, 1)}, Distractors: ds},
		"host replay guard, no index key":  {Keys: []store.Key{testKey(1, 1)}, Distractors: ds, ReplayGuard: store.NewMemoryReplayGuard()},
		"host stores with index key":       {Keys: []store.Key{testKey(1, 1)}, Distractors: ds, IndexKey: testIndexKey, AttemptStore: store.NewMemoryAttemptStore(), Asked: quiz.NewMemoryAskedStore()},
	} {
		if _, err := quiz.New(cfg); err != nil {
			t.Errorf("New(%s) = %v, want success", name, err)
		}
	}
	ex, err := quiz.New(quiz.Config{Keys: []store.Key{testKey(1, 1)}, Distractors: ds})
	if err != nil {
		t.Fatal(err)
	}
	p := ex.Policy()
	got := []any{p.Questions, p.Options, p.NoneOfTheAboveMax, p.MaxMissedWeight, p.QuestionTimeout, p.TotalTimeout, p.Attempts, p.RememberFor}
	want := []any{4, 4, 1, 0, 2 * time.Minute, 8 * time.Minute, store.AttemptRule{Limit: 2, Window: 24 * time.Hour, Cooloff: 24 * time.Hour}, 7 * 24 * time.Hour}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("default policy mismatch (-want +got):\n%s", diff)
	}
}

func TestMasking(t *testing.T) {
	f := quiz.Fact{Category: quiz.CategoryPreviousAddress, Value: "北京市朝阳区建国路88号"}
	h := newHarness(t, nil)
	ch := h.begin(t, "110105194912310021")
	res, err := h.ex.Finish(context.Background(), quiz.FinishRequest{Token: ch.Token, Answers: quiztest.CorrectAnswers(ch, h.facts)})
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	slog.New(slog.NewTextHandler(&logs, nil)).Info("test", "fact", f, "result", res, "option", ch.Questions[0].Options[0])
	outs := []string{
		fmt.Sprint(f), fmt.Sprintf("%+v", f), fmt.Sprintf("%#v", f), fmt.Sprint([]quiz.Fact{f}),
		fmt.Sprint(res), fmt.Sprintf("%v", ch.Questions[0].Options[0]), fmt.Sprintf("%+v", ch.Questions),
		logs.String(),
	}
	for _, out := range outs {
		for _, secret := range []string{"建国路", "88号", "110105194912310021", "19491231", ch.Questions[0].Options[0].Text} {
			if strings.Contains(out, secret) {
				t.Errorf("output %q contains %q", out, secret)
			}
		}
	}
	if got, want := fmt.Sprint(res), "quiz.Result{1101************** pass}"; got != want {
		t.Errorf("Result.String() = %q, want %q", got, want)
	}
}

type failingSource struct{ err error }

func (s failingSource) Distractors(context.Context, quiz.Category, string, int) ([]string, error) {
	return nil, s.err
}

type failingAttempts struct{ err error }

func (s failingAttempts) Take(context.Context, string, time.Time, store.AttemptRule) (store.AttemptResult, error) {
	return store.AttemptResult{}, s.err
}
func (s failingAttempts) Reset(context.Context, string) error { return s.err }

type failingAsked struct{ err error }

func (s failingAsked) Claim(context.Context, string, []string, time.Time, time.Time) (bool, error) {
	return false, s.err
}
func (s failingAsked) Asked(context.Context, string, time.Time) ([]string, error) {
	return nil, s.err
}

type failingGuard struct{ err error }

func (g failingGuard) Claim(context.Context, string, time.Time, time.Time) (bool, error) {
	return false, g.err
}

func TestHostFailures(t *testing.T) {
	hostErr := errors.New("host down")
	tests := []struct {
		name string
		edit func(*quiz.Config)
	}{
		{"distractor source", func(c *quiz.Config) { c.Distractors = failingSource{hostErr} }},
		{"attempt store", func(c *quiz.Config) { c.AttemptStore = failingAttempts{hostErr} }},
		{"asked store", func(c *quiz.Config) { c.Asked = failingAsked{hostErr} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.edit)
			_, err := h.ex.Begin(context.Background(), quiz.BeginRequest{Subject: "s", Device: "d", Facts: h.facts})
			if !errors.Is(err, hostErr) || !errors.Is(err, quiz.ErrUnavailable) {
				t.Errorf("Begin error = %v, want ErrUnavailable wrapping the host error", err)
			}
		})
	}
	t.Run("replay guard", func(t *testing.T) {
		h := newHarness(t, func(c *quiz.Config) { c.ReplayGuard = failingGuard{hostErr} })
		ch := h.begin(t, "s")
		res, err := h.ex.Finish(context.Background(), quiz.FinishRequest{Token: ch.Token, Answers: quiztest.CorrectAnswers(ch, h.facts)})
		if !errors.Is(err, hostErr) || !errors.Is(err, quiz.ErrUnavailable) || res != nil {
			t.Errorf("Finish = %v, %v; want nil and ErrUnavailable wrapping the host error", res, err)
		}
	})
	t.Run("reset after pass", func(t *testing.T) {
		// A pass stands when the attempt count cannot be reset.
		h2 := newHarness(t, func(c *quiz.Config) {
			c.AttemptStore = resetFails{store.NewMemoryAttemptStore(), hostErr}
		})
		ch := h2.begin(t, "s")
		res, err := h2.ex.Finish(context.Background(), quiz.FinishRequest{Token: ch.Token, Answers: quiztest.CorrectAnswers(ch, h2.facts)})
		if err != nil || !res.QuizPassed() {
			t.Errorf("Finish = %v, %v; want a pass", res, err)
		}
	})
}

type resetFails struct {
	store.AttemptStore
	err error
}

func (r resetFails) Reset(context.Context, string) error { return r.err }

func TestErrorsMatch(t *testing.T) {
	retry := t0.Add(time.Hour)
	locked := fmt.Errorf("host: %w", &quiz.Error{Reason: quiz.ReasonLockedOut, Field: "BeginRequest.Subject", Err: &store.LockedOutError{RetryAt: retry}})
	var lo *store.LockedOutError
	if !errors.Is(locked, store.ErrLockedOut) || !errors.As(locked, &lo) || !lo.RetryAt.Equal(retry) {
		t.Errorf("a locked-out *quiz.Error does not lead to store.ErrLockedOut and its RetryAt: %v", locked)
	}
	replayed := &quiz.Error{Reason: quiz.ReasonReplayed, Err: store.ErrReplayed}
	if !errors.Is(replayed, store.ErrReplayed) {
		t.Error("a replayed *quiz.Error does not match store.ErrReplayed")
	}

	sentinels := map[quiz.Reason]error{
		quiz.ReasonInvalidArgument:   quiz.ErrInvalidArgument,
		quiz.ReasonTooFewFacts:       quiz.ErrTooFewFacts,
		quiz.ReasonTooFewDistractors: quiz.ErrTooFewDistractors,
		quiz.ReasonConcurrentQuiz:    quiz.ErrConcurrentQuiz,
		quiz.ReasonNotAuthentic:      quiz.ErrNotAuthentic,
		quiz.ReasonExpired:           quiz.ErrExpired,
		quiz.ReasonBadAnswers:        quiz.ErrBadAnswers,
		quiz.ReasonUnavailable:       quiz.ErrUnavailable,
	}
	for reason, want := range sentinels {
		err := fmt.Errorf("wrapped: %w", &quiz.Error{Reason: reason})
		for _, other := range sentinels {
			if got := errors.Is(err, other); got != (other == want) {
				t.Errorf("errors.Is(*Error{%s}, %v) = %v", reason, other, got)
			}
		}
		// Sentinels are plain errors, not *Error values an importer could change.
		if qe := new(*quiz.Error); errors.As(want, qe) {
			t.Errorf("sentinel %v is a *quiz.Error", want)
		}
		if !strings.HasPrefix(want.Error(), "quiz: ") {
			t.Errorf("sentinel text %q lacks the package prefix", want)
		}
	}

	var nilErr *quiz.Error
	if nilErr.Error() == "" || nilErr.Unwrap() != nil || nilErr.Is(quiz.ErrExpired) {
		t.Error("methods of a nil *quiz.Error misbehave")
	}
}

func TestConformance(t *testing.T) {
	t.Run("AskedStore", func(t *testing.T) {
		quiztest.AskedStore(t, func(*testing.T) quiz.AskedStore { return quiz.NewMemoryAskedStore() })
	})
	t.Run("DistractorSource", func(t *testing.T) {
		quiztest.DistractorSource(t, quiz.NewMemoryDistractors(pools()), quiz.CategoryVehiclePlate, "京A12345")
	})
}
