package quiz

import "time"

// Reason is a machine-readable code for why a quiz could not be built or finished.
type Reason string

// Reasons carried by [Error].
const (
	ReasonInvalidInput      Reason = "invalid_input"
	ReasonTooFewFacts       Reason = "too_few_facts"
	ReasonTooFewDistractors Reason = "too_few_distractors"
	ReasonLockedOut         Reason = "locked_out"
	ReasonInvalidToken      Reason = "invalid_token"
	ReasonTimeout           Reason = "timeout"
	ReasonReplayed          Reason = "replayed"
	ReasonBadAnswers        Reason = "bad_answers"
	ReasonConcurrentQuiz    Reason = "concurrent_quiz"
)

// Error is the one structured error type of the package. Every sentinel below is an
// *Error, and errors.Is matches any *Error with the same Reason, so a returned error that
// carries detail (RetryAt) still matches its sentinel. Error text never contains a fact, a
// subject or an answer.
type Error struct {
	Reason Reason
	// RetryAt is, for ReasonLockedOut, the earliest time the subject or device may begin
	// another quiz. Otherwise zero.
	RetryAt time.Time
	msg     string
}

// Error returns a fixed message for the reason; it never includes input.
func (e *Error) Error() string {
	if e.msg != "" {
		return "quiz: " + e.msg
	}
	return "quiz: " + string(e.Reason)
}

// Is reports whether target is an *Error with the same reason.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Reason == e.Reason
}

var (
	// ErrInvalidInput is returned by Begin for an empty or oversized subject, device or
	// fact list. It does not say which value was wrong.
	ErrInvalidInput = &Error{Reason: ReasonInvalidInput, msg: "invalid input"}
	// ErrTooFewFacts is returned by Begin when the person has fewer usable facts (enabled
	// categories, one per category, not static, not public, not asked recently) than the
	// policy's question count. The library never builds a shorter quiz instead.
	ErrTooFewFacts = &Error{Reason: ReasonTooFewFacts, msg: "too few usable facts for a quiz"}
	// ErrTooFewDistractors is returned by Begin when there are enough facts but the
	// distractor source could not supply enough acceptable wrong options for them.
	ErrTooFewDistractors = &Error{Reason: ReasonTooFewDistractors, msg: "too few acceptable distractors for a quiz"}
	// ErrLockedOut is returned by Begin when the subject or the device has used its
	// attempts. The returned *Error carries RetryAt.
	ErrLockedOut = &Error{Reason: ReasonLockedOut, msg: "too many attempts"}
	// ErrConcurrentQuiz is returned by Begin when another Begin for the same subject, at
	// the same moment, chose some of the same facts or values. Both quizzes cannot be
	// given: the same question with two sets of distractors would give its answer away.
	// The attempt stays counted.
	ErrConcurrentQuiz = &Error{Reason: ReasonConcurrentQuiz, msg: "another quiz for this subject began at the same time"}
	// ErrInvalidToken is returned by Finish for a token that is malformed, tampered with,
	// sealed for another purpose or under an unknown key. It deliberately says no more.
	ErrInvalidToken = &Error{Reason: ReasonInvalidToken, msg: "invalid session token"}
	// ErrTimeout is returned by Finish when the quiz's total time has run out or a
	// host-reported answer time exceeds the per-question limit. The attempt was counted by
	// Begin and is not given back: a timeout is a failed attempt (NIST SP 800-63A-3 §5.3.2).
	ErrTimeout = &Error{Reason: ReasonTimeout, msg: "quiz timed out"}
	// ErrReplayed is returned by Finish for a token that has already been finished.
	ErrReplayed = &Error{Reason: ReasonReplayed, msg: "quiz already finished"}
	// ErrBadAnswers is returned by Finish for answers that are not answers to this quiz: an
	// unknown question or option ID (for example from another quiz), two answers to one
	// question, or inconsistent answer times. The token is used up all the same.
	ErrBadAnswers = &Error{Reason: ReasonBadAnswers, msg: "answers do not belong to this quiz"}
)
