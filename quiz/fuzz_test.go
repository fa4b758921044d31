package quiz_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/quiz/quiztest"
)

// fuzzQuiz builds one quiz reproducibly (seeded randomness, fixed clock) on an examiner
// whose replay guard never remembers, so the fuzzer can finish it again and again.
func fuzzQuiz(f testing.TB) (*harness, *quiz.Challenge, []quiz.Answer) {
	h := newHarness(f, func(c *quiz.Config) {
		c.Rand = newSeededReader(1)
		c.ReplayGuard = alwaysFirst{}
		c.Distractors = orderedSource(pools()) // MemoryDistractors draws with crypto/rand
	})
	ch := h.begin(f, "fuzz-subject")
	return h, ch, quiztest.CorrectAnswers(ch, h.facts)
}

// orderedSource is a deterministic [quiz.DistractorSource]: the pool values of the
// answer's shape, in pool order. Begin shuffles them with Config.Rand.
type orderedSource map[quiz.Category][]string

func (s orderedSource) Distractors(_ context.Context, c quiz.Category, answer string, n int) ([]string, error) {
	var out []string
	for _, v := range s[c] {
		if len(out) == n {
			break
		}
		if quiz.SameShape(answer, v) && quiz.Normalize(v) != quiz.Normalize(answer) {
			out = append(out, v)
		}
	}
	return out, nil
}

func encodeAnswers(as []quiz.Answer) string {
	var b strings.Builder
	for _, a := range as {
		b.WriteString(a.QuestionID + " " + a.OptionID + "\n")
	}
	return b.String()
}

// FuzzFinish feeds arbitrary answers ("questionID optionID" lines, optional time offsets)
// to a valid token: Finish never panics, fails only with ErrBadAnswers or ErrTimeout, and
// passes only when every correct answer is among the input.
func FuzzFinish(f *testing.F) {
	h, ch, right := fuzzQuiz(f)
	f.Add(encodeAnswers(right), int64(0), int64(0))
	f.Add(encodeAnswers(right), int64(time.Second), int64(30*time.Second))
	f.Add(encodeAnswers(wrongAnswers(ch, right)), int64(0), int64(0))
	f.Add(encodeAnswers(right[:2]), int64(0), int64(0))
	f.Add(encodeAnswers(right)+encodeAnswers(right[:1]), int64(0), int64(0))
	f.Add(right[0].QuestionID+" "+ch.Questions[1].Options[0].ID, int64(0), int64(0))
	f.Add("x y\n\x00\xff \n", int64(-1), int64(1<<62))
	want := map[quiz.Answer]bool{}
	for _, a := range right {
		want[a] = true
	}
	f.Fuzz(func(t *testing.T, data string, shown, answered int64) {
		var as []quiz.Answer
		for line := range strings.Lines(data) {
			q, o, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
			a := quiz.Answer{QuestionID: q, OptionID: o}
			if shown != 0 || answered != 0 {
				a.ShownAt, a.AnsweredAt = t0.Add(time.Duration(shown)), t0.Add(time.Duration(answered))
			}
			as = append(as, a)
		}
		res, err := h.ex.Finish(context.Background(), ch.Token, as)
		if err != nil {
			if !errors.Is(err, quiz.ErrBadAnswers) && !errors.Is(err, quiz.ErrTimeout) {
				t.Fatalf("Finish: unexpected error %v", err)
			}
			if res != nil {
				t.Fatalf("Finish returned a result with error %v", err)
			}
			return
		}
		if !res.QuizPassed() {
			return
		}
		found := 0
		for _, a := range as {
			if want[quiz.Answer{QuestionID: a.QuestionID, OptionID: a.OptionID}] {
				found++
			}
		}
		if found != len(right) {
			t.Fatalf("passed with %d of %d correct answers: %q", found, len(right), data)
		}
	})
}

// FuzzToken feeds arbitrary token text to Finish: it never panics and refuses every token
// but the one Begin issued with ErrInvalidToken.
func FuzzToken(f *testing.F) {
	h, ch, right := fuzzQuiz(f)
	f.Add(ch.Token)
	f.Add(ch.Token[:len(ch.Token)/2])
	f.Add(ch.Token + "A")
	f.Add("")
	f.Add("AQAAAAE")
	f.Add(strings.Repeat("A", 400))
	f.Add("%%%not base64%%%")
	f.Fuzz(func(t *testing.T, tok string) {
		res, err := h.ex.Finish(context.Background(), tok, right)
		if tok == ch.Token {
			if err != nil || !res.QuizPassed() {
				t.Fatalf("issued token: Finish = %v, %v", res, err)
			}
			return
		}
		if !errors.Is(err, quiz.ErrInvalidToken) || res != nil {
			t.Fatalf("Finish(%q) = %v, %v; want ErrInvalidToken", tok, res, err)
		}
	})
}

// TestFuzzQuizReproducible: the fuzzing engine hands the seed corpus of one process to
// worker processes that build their own quiz, so fuzzQuiz must build the same quiz (and
// the same token) every time, or FuzzToken's seed "the issued token" is another quiz's
// token in a worker and fails its property.
func TestFuzzQuizReproducible(t *testing.T) {
	_, a, _ := fuzzQuiz(t)
	_, b, _ := fuzzQuiz(t)
	if a.Token != b.Token {
		t.Errorf("fuzzQuiz built two different quizzes")
	}
}
