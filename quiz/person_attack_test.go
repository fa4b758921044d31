package quiz_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/quiz/quiztest"
	"github.com/trustid/trustid/store"
)

// credentials are three documents of one person; verify gives all three one subject (the
// person binding), whichever was shown.
var credentials = []struct{ kind, device string }{
	{"id-card", "phone-1"},
	{"household-register", "phone-2"},
	{"driving-licence", "phone-3"},
}

// crossCredentialAttack plays, for each of persons people, an attacker who begins a quiz
// with each of the three credentials of the person, abandons the first two and uses the
// options they showed to answer the third: on each question of the third quiz it picks
// the value it saw most often before (a true fact comes back whenever its fact is asked
// again; a distractor only by chance), or the first shown value when it saw none.
// subjectOf gives the subject Begin is called with. It returns the questions of third
// quizzes whose answer is a shown value, how many of them the attacker got right, how many
// third quizzes it passed and how many values of a third quiz it had seen before.
func crossCredentialAttack(t *testing.T, h *harness, persons int, subjectOf func(person, credential int) string) (questions, right, passed, seenAgain int) {
	t.Helper()
	ctx := context.Background()
	for p := range persons {
		seen := map[string]int{} // category + normalised value -> times shown
		for c, cred := range credentials {
			ch, err := h.ex.Begin(ctx, quiz.BeginRequest{
				Subject: subjectOf(p, c),
				Device:  fmt.Sprint(cred.device, "-", p),
				Facts:   h.facts,
				CheckID: fmt.Sprint("check-", cred.kind, "-", p),
			})
			if errors.Is(err, quiz.ErrTooFewFacts) || errors.Is(err, quiz.ErrTooFewDistractors) {
				break // refused: nothing to answer
			}
			if err != nil {
				t.Fatalf("person %d, %s: Begin: %v", p, cred.kind, err)
			}
			if c < len(credentials)-1 {
				for _, q := range ch.Questions {
					for _, o := range q.Options {
						if !o.NoneOfTheAbove {
							seen[string(q.Category)+"\x00"+quiz.Normalize(o.Text)]++
						}
					}
				}
				continue // abandoned
			}
			truth := quiztest.CorrectAnswers(ch, h.facts)
			var answers []quiz.Answer
			for qi, q := range ch.Questions {
				pick, most := "", 0
				answerShown := false
				for _, o := range q.Options {
					if o.NoneOfTheAbove {
						continue
					}
					if pick == "" {
						pick = o.ID
					}
					if n := seen[string(q.Category)+"\x00"+quiz.Normalize(o.Text)]; n > most {
						pick, most = o.ID, n
					}
					if n := seen[string(q.Category)+"\x00"+quiz.Normalize(o.Text)]; n > 0 {
						seenAgain++
					}
					answerShown = answerShown || o.ID == truth[qi].OptionID
				}
				if answerShown {
					questions++
					if pick == truth[qi].OptionID {
						right++
					}
				}
				answers = append(answers, quiz.Answer{QuestionID: q.ID, OptionID: pick})
			}
			res, err := h.ex.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: answers})
			if err != nil {
				t.Fatalf("person %d: Finish: %v", p, err)
			}
			if res.QuizPassed() {
				passed++
			}
		}
	}
	return questions, right, passed, seenAgain
}

// sparseWorld is a person with one fact in each of four categories, and distractor pools
// of 300 values per category: every quiz of the person must ask the same four facts, and
// two quizzes rarely share a distractor.
func sparseWorld() (facts []quiz.Fact, pools map[quiz.Category][]string) {
	r := rand.New(rand.NewPCG(14, 2))
	pools = map[quiz.Category][]string{}
	for _, c := range []quiz.Category{quiz.CategoryPreviousAddress, quiz.CategoryEmployer, quiz.CategoryBank, quiz.CategoryIssuingOffice} {
		facts = append(facts, quiz.Fact{Category: c, Value: hanText(r, 8)})
		for range 300 {
			pools[c] = append(pools[c], hanText(r, 8))
		}
	}
	return facts, pools
}

// TestAttackOnePersonThreeCredentials: the quiz's memory is the subject's, and verify
// makes the subject the person, so three quizzes begun with three credentials of one
// person (an ID card, a household register, a driving licence) share the attempt count
// and the memory of asked facts and shown values. An attacker who abandons two quizzes
// and combines the options they showed gains nothing on the third: when the person has
// facts enough, the third quiz asks other facts and shows no value of the first two, and
// the attacker picks its answers no better than blindly (bound as in
// TestAttackOptionLengths, false failure below 1e-6); when not, Begin refuses. The attempt
// cap counts all three.
//
// The control runs the same attack with one subject per credential, as a binding to the
// document rather than the person gives: the same facts come back with other
// distractors, and the attacker picks the answer far more often than blindly.
func TestAttackOnePersonThreeCredentials(t *testing.T) {
	const persons = 300
	ctx := context.Background()
	limit3 := func(c *quiz.Config) {
		c.Policy.Attempts = store.AttemptRule{Limit: 3, Window: 24 * time.Hour, Cooloff: 24 * time.Hour}
	}
	person := func(p, _ int) string { return fmt.Sprint("person-", p) }
	perCredential := func(p, c int) string { return fmt.Sprint(credentials[c].kind, "-", p) }

	t.Run("OtherFacts", func(t *testing.T) {
		h := newHarness(t, limit3)
		h.facts = richFacts()
		questions, right, passed, seenAgain := crossCredentialAttack(t, h, persons, person)
		if seenAgain != 0 {
			t.Errorf("third quizzes showed %d values already shown to the person", seenAgain)
		}
		bound := blindBound(1/float64(h.ex.Policy().Options), questions, 1e-6)
		rate := float64(right) / float64(questions)
		t.Logf("right on %d of %d questions (%.3f, bound %.3f), %d of %d third quizzes passed", right, questions, rate, bound, passed, persons)
		if rate > bound {
			t.Errorf("attacker right on %.3f of %d questions of third quizzes, above the blind-guess bound %.3f", rate, questions, bound)
		}
	})

	facts, pools := sparseWorld()
	sparse := func(c *quiz.Config) {
		limit3(c)
		c.Distractors = quiz.NewMemoryDistractors(pools)
	}
	t.Run("Refused", func(t *testing.T) {
		h := newHarness(t, sparse)
		h.facts = facts
		if _, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: "person", Facts: facts, CheckID: "id-card"}); err != nil {
			t.Fatal(err)
		}
		for _, cred := range credentials[1:] {
			_, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: "person", Facts: facts, CheckID: cred.kind})
			if !errors.Is(err, quiz.ErrTooFewFacts) {
				t.Errorf("Begin with the %s after the ID card = %v, want ErrTooFewFacts", cred.kind, err)
			}
		}
	})
	t.Run("ControlOneSubjectPerCredential", func(t *testing.T) {
		h := newHarness(t, sparse)
		h.facts = facts
		questions, right, passed, _ := crossCredentialAttack(t, h, persons, perCredential)
		rate := float64(right) / float64(questions)
		t.Logf("right on %d of %d questions (%.3f), %d of %d third quizzes passed", right, questions, rate, passed, persons)
		if bound := blindBound(1/float64(h.ex.Policy().Options), questions, 1e-6); rate <= bound {
			t.Errorf("the attack picks the answer on only %.3f of questions even with one subject per credential (bound %.3f): the test cannot see it", rate, bound)
		}
	})

	t.Run("AttemptsCounted", func(t *testing.T) {
		// A memory that forgets leaves the attempt cap as the only limit.
		h := newHarness(t, func(c *quiz.Config) { limit3(c); c.Asked = forgetfulAsked{} })
		for _, cred := range credentials {
			if _, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: "person", Device: cred.device, Facts: h.facts, CheckID: cred.kind}); err != nil {
				t.Fatalf("Begin with the %s: %v", cred.kind, err)
			}
		}
		_, err := h.ex.Begin(ctx, quiz.BeginRequest{Subject: "person", Device: "phone-4", Facts: h.facts, CheckID: "passport"})
		if !errors.Is(err, store.ErrLockedOut) {
			t.Errorf("Begin with a fourth credential = %v, want store.ErrLockedOut", err)
		}
		// Under the default limit of 2 the third credential is refused.
		hd := newHarness(t, func(c *quiz.Config) { c.Asked = forgetfulAsked{} })
		for i, cred := range credentials {
			_, err := hd.ex.Begin(ctx, quiz.BeginRequest{Subject: "person", Device: cred.device, Facts: hd.facts, CheckID: cred.kind})
			if i < 2 && err != nil {
				t.Fatalf("Begin with the %s: %v", cred.kind, err)
			}
			if i == 2 && !errors.Is(err, store.ErrLockedOut) {
				t.Errorf("Begin with a third credential under the default limit = %v, want store.ErrLockedOut", err)
			}
		}
	})
}
