package quiz

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/trustid/trustid/store"
)

// CategoryPolicy says how a category of facts is used.
type CategoryPolicy struct {
	// Prompt is the question text shown for the category. Required.
	Prompt string
	// PickWeight is the relative chance of the category being chosen among the person's
	// usable categories (default 1).
	PickWeight int
	// ScoreWeight is what a wrong answer to the category's question costs against
	// Policy.MaxMissedWeight (default 1).
	ScoreWeight int
}

// DefaultCategories returns the categories enabled by default, with English prompts. Hosts
// localise by Question.Category or replace the prompts.
//
// The issuing office printed on a person's current identity card is visible to anyone who
// has seen the card: a host should mark that fact Public and ask about earlier documents.
func DefaultCategories() map[Category]CategoryPolicy {
	return map[Category]CategoryPolicy{
		CategoryPreviousAddress: {Prompt: "Which of these addresses have you lived at?"},
		CategoryVehiclePlate:    {Prompt: "Which of these number plates is or was on a vehicle registered to you?"},
		CategoryIssuingOffice:   {Prompt: "Which of these offices issued one of your earlier identity documents?"},
		CategoryPhoneCarrier:    {Prompt: "Which of these carriers provides or provided one of your mobile numbers?"},
		CategoryEmployer:        {Prompt: "Which of these organisations have you worked for?"},
		CategoryBank:            {Prompt: "At which of these banks do you have or have you had an account?"},
	}
}

// Policy holds the rules of a quiz. Zero fields take the defaults below, which follow NIST
// SP 800-63A-3 §5.3.2 (knowledge-based verification); Validate refuses values that would
// break one of its SHALL requirements. Where a default differs from NIST it says why.
type Policy struct {
	// Questions per quiz. Default and minimum 4 (NIST: at least four questions).
	Questions int
	// Options is the number of shown values per question, not counting "none of the
	// above". Default and minimum 4 (NIST: at least four answer options for multiple
	// choice). Maximum 10.
	Options int
	// NoneOfTheAboveText is the text of the "none of the above" option (default "None of
	// the above"). Clients may localise by Option.NoneOfTheAbove instead.
	NoneOfTheAboveText string
	// DisableNoneOfTheAbove removes the "none of the above" option from every question.
	// By default every question ends with it, whether or not it is the answer, so its
	// presence says nothing.
	DisableNoneOfTheAbove bool
	// NoneOfTheAboveMax is the most questions of one quiz whose correct answer is "none of
	// the above". Each quiz draws the number uniformly from 0..NoneOfTheAboveMax, so the
	// expected rate is NoneOfTheAboveMax/(2·Questions) and the rate in any one quiz is
	// below one half: NIST forbids a majority of such "diversionary" questions. Default
	// (Questions-1)/2 (1 for 4 questions); must satisfy 2·NoneOfTheAboveMax < Questions.
	NoneOfTheAboveMax int
	// MaxMissedWeight is the total ScoreWeight of wrong answers a quiz may have and still
	// pass. Default 0: every answer must be right, as NIST requires. A positive value is
	// the k-of-n option, weaker than NIST, and must be asked for explicitly; it must stay
	// below half the weight of the lightest quiz the categories allow.
	MaxMissedWeight int
	// QuestionTimeout is the longest inactivity allowed per question. Default and maximum
	// 2 minutes (NIST). It is enforced per question only on host-reported answer times
	// (see Answer); otherwise through TotalTimeout.
	QuestionTimeout time.Duration
	// TotalTimeout is how long a quiz stays open after Begin; it is the expiry of the
	// token. Default and maximum Questions × QuestionTimeout.
	TotalTimeout time.Duration
	// RequireAnswerTimes makes Finish refuse answers without ShownAt and AnsweredAt, so
	// the per-question limit is always checked. Default false.
	RequireAnswerTimes bool
	// ClockSkew is the tolerance for host-reported answer times against the library's
	// clock. Default 5 seconds; at most 1 minute.
	ClockSkew time.Duration
	// Attempts limits quizzes per subject. Attempts are counted when a quiz begins, so a
	// timed-out or abandoned quiz is a failed attempt, and reset only by a pass or by the
	// rule's window or cool-off ending. Default {Limit: 2, Window: 24h, Cooloff: 24h}:
	// NIST recommends two attempts and allows at most three, so Limit must be 1 to 3.
	Attempts store.AttemptRule
	// DeviceAttempts limits quizzes per device (when Begin is given one) across all
	// subjects, against one device walking through many identities. Default {Limit: 10,
	// Window: 24h, Cooloff: 24h}; NIST sets no device limit.
	DeviceAttempts store.AttemptRule
	// RememberFor is how long the facts asked in a quiz are kept out of later quizzes of
	// the same subject, so that a retry asks different questions (NIST: SHOULD NOT repeat
	// questions in later attempts). Default 7 days; must be at least Attempts.Window.
	RememberFor time.Duration
	// MaxFactAge excludes facts whose ValidUntil lies further in the past. Default 10
	// years (NIST sets none; old facts are forgotten by the person, not by attackers).
	MaxFactAge time.Duration
	// Categories enabled, with prompts and weights. Default DefaultCategories().
	Categories map[Category]CategoryPolicy
}

func (p Policy) withDefaults() Policy {
	if p.Questions == 0 {
		p.Questions = 4
	}
	if p.Options == 0 {
		p.Options = 4
	}
	if p.NoneOfTheAboveText == "" {
		p.NoneOfTheAboveText = "None of the above"
	}
	if p.NoneOfTheAboveMax == 0 && !p.DisableNoneOfTheAbove {
		p.NoneOfTheAboveMax = (p.Questions - 1) / 2
	}
	if p.QuestionTimeout == 0 {
		p.QuestionTimeout = 2 * time.Minute
	}
	if p.TotalTimeout == 0 {
		p.TotalTimeout = time.Duration(p.Questions) * p.QuestionTimeout
	}
	if p.ClockSkew == 0 {
		p.ClockSkew = 5 * time.Second
	}
	if p.Attempts == (store.AttemptRule{}) {
		p.Attempts = store.AttemptRule{Limit: 2, Window: 24 * time.Hour, Cooloff: 24 * time.Hour}
	}
	if p.DeviceAttempts == (store.AttemptRule{}) {
		p.DeviceAttempts = store.AttemptRule{Limit: 10, Window: 24 * time.Hour, Cooloff: 24 * time.Hour}
	}
	if p.RememberFor == 0 {
		p.RememberFor = 7 * 24 * time.Hour
	}
	if p.MaxFactAge == 0 {
		p.MaxFactAge = 10 * 365 * 24 * time.Hour
	}
	if p.Categories == nil {
		p.Categories = DefaultCategories()
	} else {
		p.Categories = maps.Clone(p.Categories)
	}
	for c, cp := range p.Categories {
		if cp.PickWeight == 0 {
			cp.PickWeight = 1
		}
		if cp.ScoreWeight == 0 {
			cp.ScoreWeight = 1
		}
		p.Categories[c] = cp
	}
	return p
}

const (
	maxQuestions   = 20
	maxOptions     = 10
	maxWeight      = 1000
	maxCategories  = 256
	nistAttempts   = 3
	nistTimeout    = 2 * time.Minute
	maxClockSkew   = time.Minute
	minRememberFor = time.Minute
)

// Validate reports whether the policy, with defaults filled in, can be enforced and keeps
// the NIST SP 800-63A-3 §5.3.2 requirements (apart from an explicit MaxMissedWeight). A
// policy that does not is an [*Error] matching [ErrInvalidArgument], wrapping one error per
// broken rule.
func (p Policy) Validate() error {
	p = p.withDefaults()
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("quiz: policy: "+format, args...)) }
	if p.Questions < 4 || p.Questions > maxQuestions {
		bad("Questions must be 4 to %d (NIST: at least four)", maxQuestions)
	}
	if p.Options < 4 || p.Options > maxOptions {
		bad("Options must be 4 to %d (NIST: at least four per question)", maxOptions)
	}
	if p.DisableNoneOfTheAbove && p.NoneOfTheAboveMax != 0 {
		bad("NoneOfTheAboveMax must be 0 when DisableNoneOfTheAbove is set")
	}
	if p.NoneOfTheAboveMax < 0 || 2*p.NoneOfTheAboveMax >= p.Questions {
		bad("NoneOfTheAboveMax must be at least 0 and less than half of Questions (NIST: no majority of diversionary questions)")
	}
	if p.MaxMissedWeight < 0 {
		bad("MaxMissedWeight must not be negative")
	}
	if p.QuestionTimeout < 0 || p.QuestionTimeout > nistTimeout {
		bad("QuestionTimeout must be positive and at most 2m (NIST)")
	}
	if p.TotalTimeout < 0 || p.TotalTimeout > time.Duration(p.Questions)*p.QuestionTimeout {
		bad("TotalTimeout must be positive and at most Questions × QuestionTimeout")
	}
	if p.ClockSkew < 0 || p.ClockSkew > maxClockSkew {
		bad("ClockSkew must be positive and at most %v", maxClockSkew)
	}
	if err := p.Attempts.Validate(); err != nil {
		bad("Attempts: %w", err)
	} else if p.Attempts.Limit > nistAttempts {
		bad("Attempts.Limit must be at most %d (NIST)", nistAttempts)
	}
	if err := p.DeviceAttempts.Validate(); err != nil {
		bad("DeviceAttempts: %w", err)
	}
	if p.RememberFor < minRememberFor || p.RememberFor < p.Attempts.Window {
		bad("RememberFor must be at least Attempts.Window and at least %v", minRememberFor)
	}
	if p.MaxFactAge < 0 {
		bad("MaxFactAge must not be negative")
	}
	if len(p.Categories) < p.Questions || len(p.Categories) > maxCategories {
		bad("Categories must hold Questions to %d categories (one question per category)", maxCategories)
	}
	weights := make([]int, 0, len(p.Categories))
	for c, cp := range p.Categories {
		if c == "" || len(c) > 64 {
			bad("category names must be 1 to 64 bytes")
		}
		if cp.Prompt == "" {
			bad("category %q has no Prompt", c)
		}
		if cp.PickWeight < 0 || cp.PickWeight > maxWeight || cp.ScoreWeight < 0 || cp.ScoreWeight > maxWeight {
			bad("category %q: weights must be 1 to %d", c, maxWeight)
		}
		weights = append(weights, cp.ScoreWeight)
	}
	if len(weights) >= p.Questions {
		// The lightest quiz the categories allow: a pass must always need more than half
		// of its weight answered right.
		slices.Sort(weights)
		lightest := 0
		for _, w := range weights[:p.Questions] {
			lightest += w
		}
		if 2*p.MaxMissedWeight >= lightest {
			bad("MaxMissedWeight must be less than half the weight of the lightest possible quiz (%d)", lightest)
		}
	}
	if len(errs) > 0 {
		return &Error{Reason: ReasonInvalidArgument, Field: "Policy", Err: errors.Join(errs...)}
	}
	return nil
}
