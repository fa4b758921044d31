package wallet

import (
	"context"
	"testing"

	"github.com/trustid/trustid/verify"
)

// TestRefreshKeepsLocalStatus: a suspension or loss report made in the wallet
// (SetStatus by an operator or authority) is not lifted by a registry that still reports
// the credential active: the registry saying what it always said is not a reinstatement.
// A registry that reports a change of its own (lost, then active again) is followed.
func TestRefreshKeepsLocalStatus(t *testing.T) {
	ctx := context.Background()
	for _, s := range []Status{StatusSuspended, StatusReportedLost} {
		t.Run(s.String(), func(t *testing.T) {
			e := newEnv(t, nil)
			e.link(t)
			h := e.current(t, verify.KindPassport).Handle
			must(t, e.w.SetStatus(ctx, h, s, "operator-7"))
			// The registry still reports every credential active.
			res, err := e.w.Refresh(ctx, HolderRef{IDNumber: holderID})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Changes) != 0 {
				t.Errorf("Refresh changes = %v, want none", res.Changes)
			}
			if got, err := e.w.Status(ctx, h); err != nil || got != s {
				t.Errorf("after Refresh: Status = %v, %v; want %v", got, err, s)
			}
			if _, err := e.w.Link(ctx, LinkRequest{Decision: pass(t, verify.LevelRealPerson), Holder: ref}); err != nil {
				t.Fatal(err)
			}
			if got, _ := e.w.Status(ctx, h); got != s {
				t.Errorf("after Link: Status = %v, want %v", got, s)
			}
			// An operator reinstates it.
			must(t, e.w.SetStatus(ctx, h, StatusActive, "operator-7"))
			if got, _ := e.w.Status(ctx, h); got != StatusActive {
				t.Errorf("after reinstatement: Status = %v, want active", got)
			}
		})
	}
	t.Run("registry revocation overrides a local hold", func(t *testing.T) {
		e := newEnv(t, nil)
		e.link(t)
		h := e.current(t, verify.KindPassport).Handle
		must(t, e.w.SetStatus(ctx, h, StatusReportedLost, "operator-7"))
		creds := fixture()
		creds[1].Status = StatusRevoked
		e.src.Set(holderID, creds...)
		if _, err := e.w.Refresh(ctx, HolderRef{IDNumber: holderID}); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.w.Status(ctx, h); got != StatusRevoked {
			t.Errorf("Status = %v, want revoked", got)
		}
	})
	t.Run("registry's own change is followed", func(t *testing.T) {
		e := newEnv(t, nil)
		e.link(t)
		h := e.current(t, verify.KindPassport).Handle
		creds := fixture()
		creds[1].Status = StatusReportedLost
		e.src.Set(holderID, creds...)
		if _, err := e.w.Refresh(ctx, HolderRef{IDNumber: holderID}); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.w.Status(ctx, h); got != StatusReportedLost {
			t.Fatalf("registry loss: Status = %v, want reported-lost", got)
		}
		creds[1].Status = StatusActive
		e.src.Set(holderID, creds...)
		if _, err := e.w.Refresh(ctx, HolderRef{IDNumber: holderID}); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.w.Status(ctx, h); got != StatusActive {
			t.Errorf("registry withdrew the loss: Status = %v, want active", got)
		}
	})
}
