package quiz_test

import (
	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"testing/cryptotest"
	"time"

	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/quiz/quiztest"
)

// fuzzQuiz builds one quiz reproducibly (crypto/rand fixed by cryptotest, fixed clock)
// on an examiner whose replay guard never remembers, so the fuzzer can finish it again
// and again. The fuzzing engine runs the target in several processes, and a crasher is
// replayed in a new one: every process must build the same quiz, or an input that refers
// to its questions and options would mean something else there.
func fuzzQuiz(t *testing.T) (*harness, *quiz.Challenge, []quiz.Answer) {
	cryptotest.SetGlobalRandom(t, 1)
	h := newHarness(t, func(c *quiz.Config) {
		c.ReplayGuard = alwaysFirst{}
		c.Distractors = orderedSource(pools())
	})
	ch := h.begin(t, "fuzz-subject")
	return h, ch, quiztest.CorrectAnswers(ch, h.facts)
}

// fuzzOnce builds the quiz in the first call of a fuzz function (cryptotest needs a
// *testing.T, which the fuzz target's setup does not have) and keeps it for the rest of
// the process.
type fuzzOnce struct {
	h     *harness
	ch    *quiz.Challenge
	right []quiz.Answer
}

func (f *fuzzOnce) get(t *testing.T) (*harness, *quiz.Challenge, []quiz.Answer) {
	if f.h == nil {
		f.h, f.ch, f.right = fuzzQuiz(t)
	}
	return f.h, f.ch, f.right
}

// orderedSource is a deterministic [quiz.DistractorSource]: the pool values of the
// answer's shape, in pool order. Begin shuffles them (crypto/rand).
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

// resolveAnswers turns fuzz input into answers to ch. Each line is "question option";
// either field may refer to the quiz instead of naming an ID: "#i" is question i (modulo
// the count), and as an option "#i.j" is option j of question i, "#j" option j of the
// line's question, "#ok" its correct option and "#wrong" its first wrong one. The seeds
// cannot name IDs: the quiz is built only inside the fuzz function.
func resolveAnswers(data string, ch *quiz.Challenge, right []quiz.Answer) []quiz.Answer {
	var as []quiz.Answer
	for line := range strings.Lines(data) {
		qf, of, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		a := quiz.Answer{QuestionID: qf, OptionID: of}
		qi := -1
		if i, err := strconv.Atoi(strings.TrimPrefix(qf, "#")); err == nil && strings.HasPrefix(qf, "#") {
			qi = ((i % len(ch.Questions)) + len(ch.Questions)) % len(ch.Questions)
			a.QuestionID = ch.Questions[qi].ID
		}
		option := func(q, j int) string {
			opts := ch.Questions[q].Options
			return opts[((j%len(opts))+len(opts))%len(opts)].ID
		}
		switch {
		case qi >= 0 && of == "#ok":
			a.OptionID = right[qi].OptionID
		case qi >= 0 && of == "#wrong":
			for _, o := range ch.Questions[qi].Options {
				if o.ID != right[qi].OptionID {
					a.OptionID = o.ID
					break
				}
			}
		case strings.HasPrefix(of, "#"):
			qs, js, dotted := strings.Cut(of[1:], ".")
			if !dotted {
				qs, js = "", qs
			}
			j, err := strconv.Atoi(js)
			q, qerr := strconv.Atoi(qs)
			switch {
			case err != nil:
			case dotted && qerr == nil:
				a.OptionID = option(((q%len(ch.Questions))+len(ch.Questions))%len(ch.Questions), j)
			case !dotted && qi >= 0:
				a.OptionID = option(qi, j)
			}
		}
		as = append(as, a)
	}
	return as
}

// FuzzFinish feeds arbitrary answers (see resolveAnswers; optional time offsets) to a
// valid token: Finish never panics, fails only with ErrBadAnswers or ErrExpired, and
// passes only when every correct answer is among the input.
func FuzzFinish(f *testing.F) {
	f.Add("#0 #ok\n#1 #ok\n#2 #ok\n#3 #ok\n", int64(0), int64(0))
	f.Add("#0 #ok\n#1 #ok\n#2 #ok\n#3 #ok\n", int64(time.Second), int64(30*time.Second))
	f.Add("#0 #wrong\n#1 #ok\n#2 #ok\n#3 #ok\n", int64(0), int64(0))
	f.Add("#0 #ok\n#1 #ok\n", int64(0), int64(0))
	f.Add("#0 #ok\n#1 #ok\n#2 #ok\n#3 #ok\n#0 #ok\n", int64(0), int64(0))
	f.Add("#0 #1.0", int64(0), int64(0))
	f.Add("x y\n\x00\xff \n", int64(-1), int64(1<<62))
	var once fuzzOnce
	f.Fuzz(func(t *testing.T, data string, shown, answered int64) {
		h, ch, right := once.get(t)
		as := resolveAnswers(data, ch, right)
		if shown != 0 || answered != 0 {
			for i := range as {
				as[i].ShownAt, as[i].AnsweredAt = t0.Add(time.Duration(shown)), t0.Add(time.Duration(answered))
			}
		}
		res, err := h.ex.Finish(context.Background(), quiz.FinishRequest{Token: ch.Token, Answers: as})
		if err != nil {
			if !errors.Is(err, quiz.ErrBadAnswers) && !errors.Is(err, quiz.ErrExpired) {
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
		want := map[quiz.Answer]bool{}
		for _, a := range right {
			want[a] = true
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

// FuzzToken feeds Finish the first keep characters of the issued token followed by tail
// (keep = 0: any text at all): it never panics and refuses every token but the issued one
// with ErrNotAuthentic.
func FuzzToken(f *testing.F) {
	f.Add(uint16(math.MaxUint16), "") // the issued token
	f.Add(uint16(100), "")
	f.Add(uint16(math.MaxUint16), "A")
	f.Add(uint16(0), "")
	f.Add(uint16(0), "AQAAAAE")
	f.Add(uint16(0), strings.Repeat("A", 400))
	f.Add(uint16(0), "%%%not base64%%%")
	var once fuzzOnce
	f.Fuzz(func(t *testing.T, keep uint16, tail string) {
		h, ch, right := once.get(t)
		tok := ch.Token[:min(int(keep), len(ch.Token))] + tail
		res, err := h.ex.Finish(context.Background(), quiz.FinishRequest{Token: tok, Answers: right})
		if tok == ch.Token {
			if err != nil || !res.QuizPassed() {
				t.Fatalf("issued token: Finish = %v, %v", res, err)
			}
			return
		}
		if !errors.Is(err, quiz.ErrNotAuthentic) || res != nil {
			t.Fatalf("Finish(%q) = %v, %v; want ErrNotAuthentic", tok, res, err)
		}
	})
}

// TestFuzzQuizReproducible: the fuzzing engine hands inputs from one process to worker
// processes that build their own quiz, and replays crashers in a new process, so fuzzQuiz
// must build the same quiz (and the same token) every time, or an input that refers to
// "question 0's correct option" would refer to another quiz's.
func TestFuzzQuizReproducible(t *testing.T) {
	_, a, _ := fuzzQuiz(t)
	_, b, _ := fuzzQuiz(t)
	if a.Token != b.Token {
		t.Errorf("fuzzQuiz built two different quizzes")
	}
}
