package qrtoken

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/store"
)

// TestSentinelsAreNotErrors checks that no sentinel is an *Error an importer could change
// (E1): each is a plain errors.New value, and an *Error matches exactly its own sentinel
// (and a malformed code ErrNotAuthentic too, E2).
func TestSentinelsAreNotErrors(t *testing.T) {
	for r, s := range reasonSentinels {
		if r != ReasonReplayed {
			var qe *Error
			if errors.As(s, &qe) {
				t.Errorf("sentinel of %s is an *Error", r)
			}
		}
		for r2, s2 := range reasonSentinels {
			want := r == r2 || r == ReasonMalformed && r2 == ReasonNotAuthentic
			if got := errors.Is(&Error{Reason: r}, s2); got != want {
				t.Errorf("errors.Is(&Error{%s}, sentinel of %s) = %v", r, r2, got)
			}
		}
	}
}

// TestErrorsAreFresh: a caller who changes the *Error it got through errors.As does not
// change the next caller's error, nor what errors.Is matches.
func TestErrorsAreFresh(t *testing.T) {
	e := newEnv(t)
	var qe *Error
	if _, err := e.reader.Open(t.Context(), EncodeBase45([]byte{0x11, 1, 1, 0})); !errors.As(err, &qe) {
		t.Fatalf("Open(short) error = %v, want an *Error", err)
	}
	qe.Reason, qe.Field = ReasonUnderAge, "changed"
	_, err := e.reader.Open(t.Context(), EncodeBase45([]byte{0x11, 1, 1, 0}))
	if !errors.Is(err, ErrMalformed) || errors.Is(err, ErrUnderAge) {
		t.Fatalf("second Open(short) error = %v, want ErrMalformed only", err)
	}
}

// TestErrorShapes: replays match store.ErrReplayed, guard failures ErrUnavailable and the
// guard's error, authentication failures carry nothing beyond their reason.
func TestErrorShapes(t *testing.T) {
	e := newEnv(t)
	text := e.issue(t, cafeClaims(), PurposeInternetCafe())
	if _, err := e.reader.Open(t.Context(), text); err != nil {
		t.Fatal(err)
	}
	_, err := e.reader.Open(t.Context(), text)
	var qe *Error
	if !errors.Is(err, store.ErrReplayed) || !errors.As(err, &qe) || qe.Reason != ReasonReplayed {
		t.Fatalf("replayed Open error = %v, want an *Error with ReasonReplayed matching store.ErrReplayed", err)
	}

	b, _ := DecodeBase45(e.issue(t, cafeClaims(), PurposeInternetCafe()))
	b[len(b)-1] ^= 1
	_, err = e.reader.Open(t.Context(), EncodeBase45(b))
	if !errors.As(err, &qe) {
		t.Fatalf("tampered Open error = %v, want an *Error", err)
	}
	if diff := cmp.Diff(&Error{Reason: ReasonNotAuthentic}, qe); diff != "" {
		t.Errorf("tampered Open error mismatch (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(err.Error(), "qrtoken: ") {
		t.Errorf("error text %q lacks the package prefix", err)
	}

	var nilErr *Error
	if nilErr.Is(ErrNotAuthentic) || nilErr.Unwrap() != nil || nilErr.Error() == "" {
		t.Error("nil *Error methods are not nil-safe")
	}
}

// TestNilReceivers: every exported pointer method works on a nil receiver (E9).
func TestNilReceivers(t *testing.T) {
	var (
		is *Issuer
		r  *Reader
		v  *Venue
		vc *VenueChallenge
		c  *Claims
	)
	ctx := t.Context()
	for name, err := range map[string]error{
		"Issue": func() error { _, err := is.Issue(ctx, cafeClaims(), PurposeInternetCafe()); return err }(),
		"IssueOffline": func() error {
			_, err := is.IssueOffline(ctx, cafeClaims(), PurposeInternetCafe(), GroupPublicKey{})
			return err
		}(),
		"IssueCheckIn": func() error { _, err := is.IssueCheckIn(ctx, "", cafeClaims(), PurposeInternetCafe()); return err }(),
		"Open":         func() error { _, err := r.Open(ctx, ""); return err }(),
		"OpenCheckIn":  func() error { _, err := r.OpenCheckIn(ctx, ""); return err }(),
		"Challenge":    func() error { _, err := v.Challenge(ctx); return err }(),
	} {
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("nil receiver %s error = %v, want ErrInvalidArgument", name, err)
		}
	}
	if vc.Text() != "" || vc.String() == "" {
		t.Errorf("nil *VenueChallenge: Text %q, String %q", vc.Text(), vc.String())
	}
	if over, present := c.IsOver(18); over || present {
		t.Errorf("nil *Claims IsOver(18) = %v, %v", over, present)
	}
}
