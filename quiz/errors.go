package quiz

import "errors"

// Reason is a machine-readable code for why a quiz could not be built or finished.
type Reason string

// Reasons carried by [Error].
const (
	ReasonInvalidArgument   Reason = "invalid_argument"
	ReasonTooFewFacts       Reason = "too_few_facts"
	ReasonTooFewDistractors Reason = "too_few_distractors"
	ReasonLockedOut         Reason = "locked_out" // the Error wraps a *store.LockedOutError
	ReasonConcurrentQuiz    Reason = "concurrent_quiz"
	ReasonNotAuthentic      Reason = "not_authentic"
	ReasonExpired           Reason = "expired"
	ReasonReplayed          Reason = "replayed" // the Error wraps store.ErrReplayed
	ReasonBadAnswers        Reason = "bad_answers"
	ReasonUnavailable       Reason = "unavailable"
)

// Sentinel errors, matched with errors.Is against any [*Error] of the same reason. A
// locked-out subject or device matches store.ErrLockedOut, and a token finished twice
// matches store.ErrReplayed: the package has no sentinels of its own for them.
var (
	// ErrInvalidArgument is returned by [New] for a configuration it cannot use, and by
	// Begin and Finish for an empty or oversized subject, device, fact list, fact value or
	// token. It does not say which value was wrong beyond the field's name.
	ErrInvalidArgument = errors.New("quiz: invalid argument")
	// ErrTooFewFacts is returned by Begin when the person has fewer usable facts (enabled
	// categories, one per category, not static, not public, not asked recently) than the
	// policy's question count. The library never builds a shorter quiz instead.
	ErrTooFewFacts = errors.New("quiz: too few usable facts for a quiz")
	// ErrTooFewDistractors is returned by Begin when there are enough facts but the
	// distractor source could not supply enough acceptable wrong options for them.
	ErrTooFewDistractors = errors.New("quiz: too few acceptable distractors for a quiz")
	// ErrConcurrentQuiz is returned by Begin when another Begin for the same subject, at
	// the same moment, chose some of the same facts or values. Both quizzes cannot be
	// given: the same question with two sets of distractors would give its answer away.
	// The attempt stays counted.
	ErrConcurrentQuiz = errors.New("quiz: another quiz for this subject began at the same time")
	// ErrNotAuthentic is returned by Finish and OpenResult for a token that is malformed,
	// tampered with, sealed for another purpose or under an unknown key. It deliberately
	// says no more.
	ErrNotAuthentic = errors.New("quiz: token not authentic")
	// ErrExpired is returned by Finish when the quiz's total time has run out or a
	// host-reported answer time exceeds the per-question limit, and by OpenResult for a
	// result opened ResultMaxAge or more after its quiz finished. The attempt was counted by
	// Begin and is not given back: a timeout is a failed attempt (NIST SP 800-63A-3 §5.3.2).
	ErrExpired = errors.New("quiz: expired")
	// ErrBadAnswers is returned by Finish for answers that are not answers to this quiz: an
	// unknown question or option ID (for example from another quiz), two answers to one
	// question, or inconsistent answer times. The token is used up all the same.
	ErrBadAnswers = errors.New("quiz: answers do not belong to this quiz")
	// ErrUnavailable is returned when a host dependency failed (the distractor source,
	// attempt store, asked store or replay guard): the quiz is refused ("fail closed").
	// The [*Error] wraps the host's error.
	ErrUnavailable = errors.New("quiz: unavailable")
)

var sentinels = map[Reason]error{
	ReasonInvalidArgument:   ErrInvalidArgument,
	ReasonTooFewFacts:       ErrTooFewFacts,
	ReasonTooFewDistractors: ErrTooFewDistractors,
	ReasonConcurrentQuiz:    ErrConcurrentQuiz,
	ReasonNotAuthentic:      ErrNotAuthentic,
	ReasonExpired:           ErrExpired,
	ReasonBadAnswers:        ErrBadAnswers,
	ReasonUnavailable:       ErrUnavailable,
}

// Error is the one structured error type of the package: every error New, Begin,
// Finish, SealResult and OpenResult return is an *Error (a host's error is wrapped, never
// returned bare). errors.Is matches it against the sentinel of its Reason and against
// whatever Err wraps, so errors.Is(err, store.ErrLockedOut) and errors.As(err,
// new(*store.LockedOutError)) work for ReasonLockedOut. Error text never contains a fact,
// an option, a subject, a device or a token.
//
// The methods accept a nil *Error.
type Error struct {
	Reason Reason
	// Field names the configuration or request field at fault (for example
	// "Config.IndexKey", "BeginRequest.Subject") or the host dependency that failed
	// ("Config.Asked"); never its value. May be empty.
	Field string
	// Err is the underlying error: the host's error for ReasonUnavailable, a
	// *store.LockedOutError for ReasonLockedOut, store.ErrReplayed for ReasonReplayed,
	// the policy's errors for an invalid Config.Policy. Otherwise nil.
	Err error
}

// Error returns "quiz: ", the reason, the field and the underlying error's text.
func (e *Error) Error() string {
	if e == nil {
		return "quiz: <nil>"
	}
	s := "quiz: " + string(e.Reason)
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Is reports whether target is the sentinel of e's reason.
func (e *Error) Is(target error) bool {
	if e == nil {
		return false
	}
	s, ok := sentinels[e.Reason]
	return ok && s == target
}

func invalid(field string) error { return &Error{Reason: ReasonInvalidArgument, Field: field} }

func unavailable(field string, err error) error {
	return &Error{Reason: ReasonUnavailable, Field: field, Err: err}
}
