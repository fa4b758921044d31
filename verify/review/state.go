package review

import (
	"fmt"
)

// State is the state of a [Case]. The zero value is invalid.
type State uint8

// Case states.
const (
	// StateDraft: the application is being prepared; nothing has been counted yet.
	StateDraft State = iota + 1
	// StateSubmitted: the applicant submitted; the attempt was counted against the rate
	// limit.
	StateSubmitted
	// StateChecking: the automatic checks run; when they ask for a human, the case
	// waits here until a reviewer with capacity is free.
	StateChecking
	// StateInReview: a reviewer is assigned and must decide before the deadline.
	StateInReview
	// StateSupplementRequested: the reviewer asked the applicant to supplement or
	// correct material before the supplement deadline.
	StateSupplementRequested
	// StateResubmitted: the applicant supplied the material; the reviewer decides
	// before a fresh deadline.
	StateResubmitted
	// StateApproved: certified until Case.ValidUntil.
	StateApproved
	// StateRejected: not certified; Case.Reasons says why. The applicant may re-apply
	// after the cool-off.
	StateRejected
	// StateWithdrawn: the applicant withdrew; final.
	StateWithdrawn
	// StateExpired: the certification lapsed (validity ended or identity data changed);
	// re-certification is due.
	StateExpired
)

var stateNames = [...]string{"", "draft", "submitted", "checking", "in_review",
	"supplement_requested", "resubmitted", "approved", "rejected", "withdrawn", "expired"}

// States returns every valid state in order.
func States() []State {
	s := make([]State, 0, len(stateNames)-1)
	for i := 1; i < len(stateNames); i++ {
		s = append(s, State(i))
	}
	return s
}

// Valid reports whether s is a defined state.
func (s State) Valid() bool { return s >= StateDraft && int(s) < len(stateNames) }

// String returns the state's snake_case name, e.g. "in_review".
func (s State) String() string {
	if s.Valid() {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", uint8(s))
}

// MarshalText encodes s as its String form.
func (s State) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, invalid("State", "unknown state")
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes the String form of a state.
func (s *State) UnmarshalText(b []byte) error {
	for i := 1; i < len(stateNames); i++ {
		if string(b) == stateNames[i] {
			*s = State(i)
			return nil
		}
	}
	return invalid("State", "unknown state")
}

// active reports whether a reviewer is working on a case in state s (it counts against
// the reviewer's capacity).
func (s State) active() bool {
	return s == StateInReview || s == StateSupplementRequested || s == StateResubmitted
}

// Event is something that happens to a case. Every event names the action of its audit
// record. The zero value is invalid.
type Event uint8

// Events.
const (
	// EventDraft creates a case in StateDraft.
	EventDraft Event = iota + 1
	// EventSubmit: draft → submitted (applicant).
	EventSubmit
	// EventCheck: submitted → checking (system starts the automatic checks).
	EventCheck
	// EventCheckPass: checking → approved (a clear pass closes the case when
	// Config.AutoApprove is set).
	EventCheckPass
	// EventCheckFail: checking → rejected (a clear fail closes the case when
	// Config.AutoReject is set).
	EventCheckFail
	// EventCheckReview: checking → checking (the checks ran and a human must decide:
	// outcome review, or a pass or fail that Config does not let close the case). Its
	// audit record's reasons are "outcome_<outcome>" followed by the decision's reasons.
	EventCheckReview
	// EventAssign: checking → in review (a reviewer is assigned with a deadline).
	EventAssign
	// EventReassign: in review or resubmitted → the same state with another reviewer
	// (escalation after a missed deadline).
	EventReassign
	// EventEscalate: in review or resubmitted → the same state, flagged as overdue
	// (no other reviewer was free, or Config.Escalation is EscalateFlag).
	EventEscalate
	// EventRequestSupplement: in review or resubmitted → supplement requested.
	EventRequestSupplement
	// EventResubmit: supplement requested → resubmitted (applicant).
	EventResubmit
	// EventApprove: in review or resubmitted → approved (reviewer).
	EventApprove
	// EventReject: in review, resubmitted or supplement requested → rejected (a
	// reviewer, or the system when the supplement deadline passed).
	EventReject
	// EventWithdraw: any open state → withdrawn (applicant).
	EventWithdraw
	// EventExpire: approved → expired (validity ended or identity data changed).
	EventExpire
	// EventReapply: rejected or expired → submitted (applicant, a new attempt).
	EventReapply
)

var eventNames = [...]string{"", "draft", "submit", "check", "check_pass", "check_fail",
	"check_review", "assign", "reassign", "escalate", "request_supplement", "resubmit",
	"approve", "reject", "withdraw", "expire", "reapply"}

// Events returns every valid event in order.
func Events() []Event {
	e := make([]Event, 0, len(eventNames)-1)
	for i := 1; i < len(eventNames); i++ {
		e = append(e, Event(i))
	}
	return e
}

// Valid reports whether e is a defined event.
func (e Event) Valid() bool { return e >= EventDraft && int(e) < len(eventNames) }

// String returns the event's snake_case name, e.g. "request_supplement"; it is the
// action recorded in the audit trail.
func (e Event) String() string {
	if e.Valid() {
		return eventNames[e]
	}
	return fmt.Sprintf("Event(%d)", uint8(e))
}

func eventByName(s string) (Event, bool) {
	for i := 1; i < len(eventNames); i++ {
		if s == eventNames[i] {
			return Event(i), true
		}
	}
	return 0, false
}

// transitions is the complete table: anything not listed is illegal. EventDraft has no
// source state: it creates a case.
var transitions = map[State]map[Event]State{
	StateDraft: {
		EventSubmit:   StateSubmitted,
		EventWithdraw: StateWithdrawn,
	},
	StateSubmitted: {
		EventCheck:    StateChecking,
		EventWithdraw: StateWithdrawn,
	},
	StateChecking: {
		EventCheckPass:   StateApproved,
		EventCheckFail:   StateRejected,
		EventCheckReview: StateChecking,
		EventAssign:      StateInReview,
		EventWithdraw:    StateWithdrawn,
	},
	StateInReview: {
		EventReassign:          StateInReview,
		EventEscalate:          StateInReview,
		EventRequestSupplement: StateSupplementRequested,
		EventApprove:           StateApproved,
		EventReject:            StateRejected,
		EventWithdraw:          StateWithdrawn,
	},
	StateSupplementRequested: {
		EventResubmit: StateResubmitted,
		EventReject:   StateRejected,
		EventWithdraw: StateWithdrawn,
	},
	StateResubmitted: {
		EventReassign:          StateResubmitted,
		EventEscalate:          StateResubmitted,
		EventRequestSupplement: StateSupplementRequested,
		EventApprove:           StateApproved,
		EventReject:            StateRejected,
		EventWithdraw:          StateWithdrawn,
	},
	StateApproved: {
		EventExpire: StateExpired,
	},
	StateRejected: {
		EventReapply: StateSubmitted,
	},
	StateExpired: {
		EventReapply: StateSubmitted,
	},
	StateWithdrawn: {},
}

// Next returns the state a case in state from reaches on event ev, or an [*Error] with
// [ReasonIllegalTransition] (matching [ErrIllegalTransition]) when ev is not allowed in
// from.
func Next(from State, ev Event) (State, error) {
	if to, ok := transitions[from][ev]; ok {
		return to, nil
	}
	return 0, &Error{Reason: ReasonIllegalTransition, From: from, Event: ev}
}
