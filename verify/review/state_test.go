package review_test

import (
	"errors"
	"testing"

	"github.com/trustid/trustid/verify/review"
)

// TestNextTable checks every state × event pair against the specification, written
// out independently of the package's table.
func TestNextTable(t *testing.T) {
	type pair struct {
		s review.State
		e review.Event
	}
	const (
		draft      = review.StateDraft
		submitted  = review.StateSubmitted
		checking   = review.StateChecking
		inReview   = review.StateInReview
		supplement = review.StateSupplementRequested
		resub      = review.StateResubmitted
		approved   = review.StateApproved
		rejected   = review.StateRejected
		withdrawn  = review.StateWithdrawn
		expired    = review.StateExpired
	)
	legal := map[pair]review.State{
		{draft, review.EventSubmit}:               submitted,
		{draft, review.EventWithdraw}:             withdrawn,
		{submitted, review.EventCheck}:            checking,
		{submitted, review.EventWithdraw}:         withdrawn,
		{checking, review.EventCheckPass}:         approved,
		{checking, review.EventCheckFail}:         rejected,
		{checking, review.EventCheckReview}:       checking,
		{checking, review.EventAssign}:            inReview,
		{checking, review.EventWithdraw}:          withdrawn,
		{inReview, review.EventReassign}:          inReview,
		{inReview, review.EventEscalate}:          inReview,
		{inReview, review.EventRequestSupplement}: supplement,
		{inReview, review.EventApprove}:           approved,
		{inReview, review.EventReject}:            rejected,
		{inReview, review.EventWithdraw}:          withdrawn,
		{supplement, review.EventResubmit}:        resub,
		{supplement, review.EventReject}:          rejected,
		{supplement, review.EventWithdraw}:        withdrawn,
		{resub, review.EventReassign}:             resub,
		{resub, review.EventEscalate}:             resub,
		{resub, review.EventRequestSupplement}:    supplement,
		{resub, review.EventApprove}:              approved,
		{resub, review.EventReject}:               rejected,
		{resub, review.EventWithdraw}:             withdrawn,
		{approved, review.EventExpire}:            expired,
		{rejected, review.EventReapply}:           submitted,
		{expired, review.EventReapply}:            submitted,
	}
	states := append(review.States(), 0, review.State(200))
	events := append(review.Events(), 0, review.Event(200))
	if len(review.States()) != 10 || len(review.Events()) != 16 {
		t.Fatalf("States()=%d Events()=%d, want 10 and 16", len(review.States()), len(review.Events()))
	}
	n := 0
	for _, s := range states {
		for _, e := range events {
			want, ok := legal[pair{s, e}]
			got, err := review.Next(s, e)
			if ok {
				n++
				if err != nil || got != want {
					t.Errorf("Next(%v, %v) = %v, %v; want %v, nil", s, e, got, err, want)
				}
				continue
			}
			if !errors.Is(err, review.ErrIllegalTransition) {
				t.Errorf("Next(%v, %v) = %v, %v; want ErrIllegalTransition", s, e, got, err)
			}
			var te *review.Error
			if !errors.As(err, &te) || te.Reason != review.ReasonIllegalTransition || te.From != s || te.Event != e {
				t.Errorf("Next(%v, %v) error = %#v, want *Error{Reason: illegal_transition, From: %v, Event: %v}", s, e, err, s, e)
			}
		}
	}
	if n != len(legal) {
		t.Errorf("checked %d legal pairs, want %d", n, len(legal))
	}
}

func TestStateText(t *testing.T) {
	for _, s := range review.States() {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatalf("%v.MarshalText: %v", s, err)
		}
		var got review.State
		if err := got.UnmarshalText(b); err != nil || got != s {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", b, got, err, s)
		}
	}
	var s review.State
	if err := s.UnmarshalText([]byte("bogus")); !errors.Is(err, review.ErrInvalidArgument) {
		t.Errorf("UnmarshalText(bogus) error = %v, want ErrInvalidArgument", err)
	}
	if _, err := review.State(0).MarshalText(); !errors.Is(err, review.ErrInvalidArgument) {
		t.Errorf("State(0).MarshalText error = %v, want ErrInvalidArgument", err)
	}
}
