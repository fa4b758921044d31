package wallet

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/verify"
)

// TestValidityLastDayInclusive: a credential valid until D can be presented until the end
// of D in China Standard Time (UTC+8) and not a nanosecond later.
func TestValidityLastDayInclusive(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, withIssuer(t))
	e.link(t)
	h := e.current(t, verify.KindResidencePermit).Handle     // valid until 2029-01-01
	midnight := time.Date(2029, 1, 1, 16, 0, 0, 0, time.UTC) // 00:00 on 2029-01-02 in UTC+8
	e.clk.t = midnight.Add(-time.Nanosecond)
	if _, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: h, Purpose: qrtoken.PurposeInternetCafe()}); err != nil {
		t.Errorf("Present on the last day of validity: %v", err)
	}
	e.clk.t = midnight
	if _, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: h, Purpose: qrtoken.PurposeInternetCafe()}); !errors.Is(err, ErrInactive) || ReasonOf(err) != ReasonExpired {
		t.Errorf("Present the day after: error = %v, want ErrInactive (expired)", err)
	}
}

// TestOlderDocumentIgnored: a document never seen before that is older than the current
// one of its slot (a lagging registry replica returning a previous passport) does not
// replace it and is counted as stale.
func TestOlderDocumentIgnored(t *testing.T) {
	e := newEnv(t, nil)
	e.link(t)
	creds := fixture()
	creds[1].Number, creds[1].ValidFrom, creds[1].ValidUntil = "E87654321", date("2009-01-10"), date("2019-01-09")
	e.src.Set(holderID, creds...)
	res, err := e.w.Link(context.Background(), LinkRequest{Decision: pass(t, verify.LevelRealPerson), Holder: ref})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stale != 1 || len(res.Changes) != 0 {
		t.Errorf("older passport: stale %d, changes %v; want 1 stale, no changes", res.Stale, res.Changes)
	}
	if got := e.current(t, verify.KindPassport); got.Number != testPassport {
		t.Errorf("current passport replaced by an older one")
	}
}

// TestLinkRaisesLevel: linking again after a stronger decision raises the level of the
// credentials already in the wallet (never lowers it).
func TestLinkRaisesLevel(t *testing.T) {
	e := newEnv(t, nil)
	e.link(t)
	res, err := e.w.Link(context.Background(), LinkRequest{Decision: pass(t, verify.LevelHigh), Holder: ref})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 8 {
		t.Errorf("stronger decision: %d changes, want 8", len(res.Changes))
	}
	if c := e.current(t, verify.KindPassport); c.Level != verify.LevelHigh {
		t.Errorf("level after a high decision = %v, want high", c.Level)
	}
	hist, _ := e.w.History(context.Background(), ref)
	if last := hist[len(hist)-1]; last.Type != HistoryRefreshed || last.Actor != ActorHolder || last.Detail != "level high" {
		t.Errorf("level raise recorded as %v, want refreshed by holder (level high)", last)
	}
	res, err = e.w.Link(context.Background(), LinkRequest{Decision: pass(t, verify.LevelRealPerson), Holder: ref})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 0 || e.current(t, verify.KindPassport).Level != verify.LevelHigh {
		t.Errorf("weaker decision afterwards: %d changes, level %v; want none and high", len(res.Changes), e.current(t, verify.KindPassport).Level)
	}
}

// TestDecodeStateRefusesDuplicateHandles: a stored wallet naming one handle twice is
// corrupt (lookups by handle would be ambiguous).
func TestDecodeStateRefusesDuplicateHandles(t *testing.T) {
	c := `{"kind":"id-card","status":"active","level":"high","handle":"h"}`
	b := []byte(`{"format":1,"credentials":[` + c + `,` + c + `],"history":[]}`)
	if _, err := decodeState(b); !errors.Is(err, ErrCorrupt) {
		t.Errorf("decodeState(duplicate handle) error = %v, want ErrCorrupt", err)
	}
	one := []byte(`{"format":1,"credentials":[` + c + `],"history":[]}`)
	if _, err := decodeState(one); err != nil {
		t.Errorf("decodeState(one credential) error = %v", err)
	}
}
