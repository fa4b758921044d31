package wallet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

func TestMaskingEverywhere(t *testing.T) {
	e := newEnv(t, nil)
	e.link(t)
	cs, _ := e.w.Credentials(context.Background(), ref)
	var values []any
	for _, c := range cs {
		values = append(values, c, &c, c.Holder)
		if c.Household != nil {
			values = append(values, c.Household, *c.Household)
		}
		if c.Driver != nil {
			values = append(values, c.Driver, *c.Driver)
		}
		if c.Vehicle != nil {
			values = append(values, c.Vehicle, *c.Vehicle)
		}
	}
	values = append(values, ref, &ref)
	// Errors from every layer.
	bad := fixture()[7]
	bad.Vehicle = &VehicleLicence{VIN: flipVINCheck(testVIN), Type: "x"}
	_, err1 := Validate(bad, holderID, testNow)
	bad2 := fixture()[0]
	bad2.Number = otherID
	_, err2 := Validate(bad2, holderID, testNow)
	_, err3 := e.w.Link(context.Background(), LinkRequest{Decision: "hand-built", Holder: ref})
	values = append(values, err1, err2, err3)

	var out strings.Builder
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			fmt.Fprintf(&out, verb+"\n", v)
		}
	}
	var logs bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&logs, nil))
	for _, v := range values {
		l.Info("x", "v", v)
	}
	all := out.String() + logs.String()
	for what, s := range personal() {
		if what == "relation" || what == "authority" || what == "birth date" {
			continue // not shown masked, but not shown at all: checked below
		}
		if strings.Contains(all, s) {
			t.Errorf("formatted output contains the %s", what)
		}
	}
	for _, s := range []string{"户主", "朝阳分局", "1990-03-07"} {
		if strings.Contains(all, s) {
			t.Errorf("formatted output contains %q", s)
		}
	}
	if !strings.Contains(fmt.Sprint(cs[0]), "110105********") {
		t.Errorf("masked ID number not shown as 110105********: %v", cs[0])
	}
}

func TestDebugLogsNoPersonalData(t *testing.T) {
	var logs bytes.Buffer
	e := newEnv(t, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	e.link(t)
	_, _ = e.w.Link(context.Background(), LinkRequest{Decision: "hand-built", Holder: ref})
	must(t, e.w.SetStatus(context.Background(), e.current(t, verify.KindPassport).Handle, StatusRevoked, "op"))
	if logs.Len() == 0 {
		t.Fatal("no debug logs")
	}
	for what, s := range personal() {
		if strings.Contains(logs.String(), s) {
			t.Errorf("debug log contains the %s", what)
		}
	}
}

func TestErrorReasons(t *testing.T) {
	// Every reason maps to exactly one sentinel, and *Error matches it through wrapping.
	sentinels := []error{ErrInvalidArgument, ErrNotPassed, ErrLevelTooLow, ErrSubjectMismatch, ErrDecisionStale,
		ErrInvalidCredential, ErrInactive, ErrTransition, ErrNotFound, store.ErrConflict, ErrUnavailable, ErrNotAuthentic,
		ErrCorrupt, ErrNoIssuer, store.ErrReplayed, store.ErrLockedOut, ErrTooManyPresentations, ErrRecordTooLarge}
	for _, r := range []Reason{ReasonNotPassed, ReasonLevelTooLow, ReasonSubjectMismatch, ReasonDecisionStale,
		ReasonDecisionNotAuthentic, ReasonDecisionUsed, ReasonTooManyLinks, ReasonTooManyPresentations, ReasonRecordTooLarge,
		ReasonKindInvalid, ReasonNumberInvalid, ReasonHolderMismatch, ReasonNameMissing, ReasonValidityInvalid,
		ReasonStatusInvalid, ReasonFieldMissing, ReasonFieldInvalid, ReasonDetailsMismatch, ReasonDuplicateInBatch,
		ReasonExpired, ReasonNotYetValid, ReasonSuspended, ReasonReportedLost, ReasonRevoked, ReasonSuperseded,
		ReasonTransition, ReasonNotFound, ReasonConflict, ReasonUnavailable, ReasonNotAuthentic, ReasonNoIssuer, ReasonInvalidArgument,
		ReasonCorrupt} {
		err := fmt.Errorf("annotated: %w", newErr("op", r, verify.KindPassport, "number", nil))
		n := 0
		for _, s := range sentinels {
			if errors.Is(err, s) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("reason %q matches %d sentinels, want 1", r, n)
		}
		if ReasonOf(err) != r {
			t.Errorf("ReasonOf = %q, want %q", ReasonOf(err), r)
		}
	}
}
