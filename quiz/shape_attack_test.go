package quiz_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/quiz/quiztest"
	"github.com/trustid/trustid/store"
)

// hanText returns n random CJK Unified Ideographs: test data of a given length that
// describes no one.
func hanText(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteRune(rune(0x4e00 + r.IntN(0x5000)))
	}
	return b.String()
}

// lengthWorld is a made-up population whose facts vary widely in length, as real
// addresses and names of employers do (6 to 30 characters): the worst case for the
// answer's length. Category "han" and "skewed" hold Han text, "skewed" with a pool of
// mostly short values while answers are of any length (so the length alone of an option
// says something about it), "numbered" holds Han text with 1 to 3 digits and "号", as in
// a street address.
type lengthWorld struct {
	r     *rand.Rand
	pools map[quiz.Category][]string
}

var lengthCategories = []quiz.Category{"han", "skewed", "numbered", "han2"}

func newLengthWorld(seed uint64) *lengthWorld {
	w := &lengthWorld{r: rand.New(rand.NewPCG(seed, 14)), pools: map[quiz.Category][]string{}}
	const perShape = 8
	for n := 6; n <= 30; n++ {
		for range perShape {
			w.pools["han"] = append(w.pools["han"], hanText(w.r, n))
			w.pools["han2"] = append(w.pools["han2"], hanText(w.r, n))
		}
		// Short values are five times as common in the skewed pool as long ones.
		for range perShape + 4*perShape*(30-n)/24 {
			w.pools["skewed"] = append(w.pools["skewed"], hanText(w.r, n))
		}
		for digits := 1; digits <= 3 && n-digits-1 >= 4; digits++ {
			for range perShape {
				w.pools["numbered"] = append(w.pools["numbered"], w.numbered(n, digits))
			}
		}
	}
	return w
}

func (w *lengthWorld) numbered(n, digits int) string {
	num := fmt.Sprint(int(math.Pow10(digits-1)) + w.r.IntN(9*int(math.Pow10(digits-1))))
	return hanText(w.r, n-digits-1) + num + "号"
}

// person draws one fact per category, of a uniform length in 6..30.
func (w *lengthWorld) person() []quiz.Fact {
	var facts []quiz.Fact
	for _, c := range lengthCategories {
		n := 6 + w.r.IntN(25)
		v := hanText(w.r, n)
		if c == "numbered" {
			v = w.numbered(n, 1+w.r.IntN(min(3, n-5))) // as in the pool: at least 4 Han
		}
		facts = append(facts, quiz.Fact{Category: c, Value: v})
	}
	return facts
}

// observable is what an attacker can see of an option without knowing the facts: its
// lengths and its mix of scripts and digits.
type observable struct{ runes, bytes, digits, han, space int }

func observe(s string) observable {
	o := observable{runes: utf8.RuneCountInString(s), bytes: len(s)}
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			o.digits++
		case unicode.Is(unicode.Han, r):
			o.han++
		case r == ' ':
			o.space++
		}
	}
	return o
}

// lengthOracle picks the option whose length is closest to the mean of the shown
// lengths: under a rule that accepts distractors within a band around the answer's
// length, the answer sits at the centre of the band.
func lengthOracle(shown []observable) int {
	sum := 0
	for _, o := range shown {
		sum += o.runes
	}
	best, bestD := 0, math.MaxInt
	for i, o := range shown {
		if d := abs(len(shown)*o.runes - sum); d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// bayesLearner learns from quizzes it has seen answered (the attacker's own, or a leak of
// answered quizzes) how answers and distractors are distributed: P(answer's observable)
// and P(distractor's observable | answer's observable), and picks the option that is the
// answer with the highest posterior, the distractors being independent given the answer.
// It is the Bayes-optimal guesser for this model of the option set.
type bayesLearner struct {
	answers     map[observable]int
	answerTotal int
	pairs       map[[2]observable]int
	pairTotal   map[observable]int
}

func newBayesLearner() *bayesLearner {
	return &bayesLearner{answers: map[observable]int{}, pairs: map[[2]observable]int{}, pairTotal: map[observable]int{}}
}

// vocabulary and smoothing of the learner's Laplace estimates: any positive values give a
// proper distribution.
const (
	learnerVocab = 1024
	learnerAlpha = 0.5
)

func (l *bayesLearner) guess(shown []observable) int {
	best, bestScore := 0, math.Inf(-1)
	for i, a := range shown {
		score := math.Log(float64(l.answers[a])+learnerAlpha) - math.Log(float64(l.answerTotal)+learnerAlpha*learnerVocab)
		for j, d := range shown {
			if j != i {
				score += math.Log(float64(l.pairs[[2]observable{a, d}])+learnerAlpha) - math.Log(float64(l.pairTotal[a])+learnerAlpha*learnerVocab)
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return best
}

func (l *bayesLearner) learn(shown []observable, answer int) {
	a := shown[answer]
	l.answers[a]++
	l.answerTotal++
	for j, d := range shown {
		if j != answer {
			l.pairs[[2]observable{a, d}]++
			l.pairTotal[a]++
		}
	}
}

// blindBound is the highest per-question success rate over n questions that a guesser
// who is right with probability p on each question, whatever it learned from the
// questions before (a martingale), exceeds with probability at most delta
// (Azuma–Hoeffding: P(rate ≥ p + t) ≤ exp(−2nt²)).
func blindBound(p float64, n int, delta float64) float64 {
	return p + math.Sqrt(math.Log(1/delta)/(2*float64(n)))
}

// TestAttackOptionLengths: an attacker who sees only the lengths and the script and digit
// mix of the shown options must not pick the answer more often than a blind guess. Facts
// and distractor pools of 6 to 30 characters; two attackers, on every question whose
// answer is among the shown values: a length oracle (the option nearest the mean length)
// and a Bayesian learner that first watches 400 answered quizzes and keeps learning from
// every quiz after its guess. Each is right with probability 1/Options per question when
// the options cannot be told apart, whatever it learned before, so its rate over n
// questions exceeds blindBound(1/4, n, 5e-7) with probability below 5e-7: below 1e-6 for
// the two together.
//
// A rule that accepted distractors within 20% of the answer's rune count let the oracle
// pick the answer on 42% of these questions and the learner on 49%.
func TestAttackOptionLengths(t *testing.T) {
	const (
		warmUp  = 400
		quizzes = 3000
		delta   = 5e-7
	)
	w := newLengthWorld(1)
	cats := map[quiz.Category]quiz.CategoryPolicy{}
	for _, c := range lengthCategories {
		cats[c] = quiz.CategoryPolicy{Prompt: "Which of these is yours?"}
	}
	h := newHarness(t, func(c *quiz.Config) {
		c.Distractors = quiz.NewMemoryDistractors(w.pools)
		c.Policy.Categories = cats
		c.AttemptStore = store.NewMemoryAttemptStore()
	})
	options := h.ex.Policy().Options
	learner := newBayesLearner()
	var questions, oracleRight, learnerRight int
	for i := range quizzes {
		facts := w.person()
		h.facts = facts
		ch := h.begin(t, fmt.Sprint("length-", i))
		right := quiztest.CorrectAnswers(ch, facts)
		for qi, q := range ch.Questions {
			var shown []observable
			answer := -1
			for _, o := range q.Options {
				if o.NoneOfTheAbove {
					continue
				}
				if o.ID == right[qi].OptionID {
					answer = len(shown)
				}
				shown = append(shown, observe(o.Text))
			}
			if answer < 0 {
				continue // "none of the above" is the answer: no shown value to single out
			}
			if len(shown) != options {
				t.Fatalf("question shows %d values, want %d", len(shown), options)
			}
			if i >= warmUp {
				questions++
				if lengthOracle(shown) == answer {
					oracleRight++
				}
				if learner.guess(shown) == answer {
					learnerRight++
				}
			}
			learner.learn(shown, answer)
		}
	}
	bound := blindBound(1/float64(options), questions, delta)
	for _, a := range []struct {
		name  string
		right int
	}{{"length oracle", oracleRight}, {"Bayesian learner", learnerRight}} {
		rate := float64(a.right) / float64(questions)
		t.Logf("%s: right on %d of %d questions (%.3f; blind %.3f, bound %.3f)", a.name, a.right, questions, rate, 1/float64(options), bound)
		if rate > bound {
			t.Errorf("%s picks the answer on %.3f of %d questions, above the blind-guess bound %.3f", a.name, rate, questions, bound)
		}
	}
}
