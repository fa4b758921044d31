package wallet

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
)

var qrKey = qrtoken.SecretKey{ID: 1, Secret: bytes.Repeat([]byte{0x42}, 32)}

func withIssuer(t testing.TB) func(*Config) {
	return func(c *Config) {
		is, err := qrtoken.NewIssuer(qrtoken.IssuerConfig{Key: &qrKey, Now: c.Now})
		if err != nil {
			t.Fatalf("NewIssuer: %v", err)
		}
		c.Issuer = is
	}
}

func newReader(t *testing.T, now func() time.Time) *qrtoken.Reader {
	r, err := qrtoken.NewReader(qrtoken.ReaderConfig{
		Purposes: []qrtoken.Purpose{qrtoken.PurposeInternetCafe(), qrtoken.PurposeGovernmentCounter()},
		Keys:     []qrtoken.SecretKey{qrKey},
		Now:      now,
	})
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	return r
}

func TestSetStatus(t *testing.T) {
	tests := []struct {
		name  string
		steps []Status
		want  []error // per step
		final Status
	}{
		{"suspend", []Status{StatusSuspended}, []error{nil}, StatusSuspended},
		{"suspend then reinstate", []Status{StatusSuspended, StatusActive}, []error{nil, nil}, StatusActive},
		{"lost then withdrawn", []Status{StatusReportedLost, StatusActive}, []error{nil, nil}, StatusActive},
		{"lost then revoked", []Status{StatusReportedLost, StatusRevoked}, []error{nil, nil}, StatusRevoked},
		{"revoked is final", []Status{StatusRevoked, StatusActive}, []error{nil, ErrTransition}, StatusRevoked},
		{"revoked cannot be suspended", []Status{StatusRevoked, StatusSuspended}, []error{nil, ErrTransition}, StatusRevoked},
		{"same status twice", []Status{StatusSuspended, StatusSuspended}, []error{nil, nil}, StatusSuspended},
		{"expired is not settable", []Status{StatusExpired}, []error{ErrInvalidArgument}, StatusActive},
		{"superseded is not settable", []Status{StatusSuperseded}, []error{ErrInvalidArgument}, StatusActive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.link(t)
			h := e.current(t, verify.KindPassport).Handle
			for i, s := range tt.steps {
				err := e.w.SetStatus(context.Background(), h, s, "operator-7")
				if tt.want[i] == nil && err != nil || tt.want[i] != nil && !errors.Is(err, tt.want[i]) {
					t.Fatalf("step %d SetStatus(%v) error = %v, want %v", i, s, err, tt.want[i])
				}
			}
			if got, err := e.w.Status(context.Background(), h); err != nil || got != tt.final {
				t.Errorf("Status = %v, %v; want %v", got, err, tt.final)
			}
		})
	}
	t.Run("unknown handle", func(t *testing.T) {
		e := newEnv(t, nil)
		e.link(t)
		if err := e.w.SetStatus(context.Background(), "no-such-handle", StatusRevoked, "op"); !errors.Is(err, ErrNotFound) {
			t.Errorf("SetStatus(unknown) error = %v, want ErrNotFound", err)
		}
		if _, err := e.w.Status(context.Background(), "no-such-handle"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Status(unknown) error = %v, want ErrNotFound", err)
		}
	})
	t.Run("history records actor", func(t *testing.T) {
		e := newEnv(t, nil)
		e.link(t)
		h := e.current(t, verify.KindDriverLicence).Handle
		e.clk.t = testNow.Add(time.Hour)
		if err := e.w.SetStatus(context.Background(), h, StatusSuspended, "traffic-police-42"); err != nil {
			t.Fatal(err)
		}
		hist, _ := e.w.History(context.Background(), ref)
		want := HistoryEntry{Time: e.clk.t, Type: HistorySuspended, Kind: verify.KindDriverLicence, Handle: h, Actor: "traffic-police-42"}
		if diff := cmp.Diff(want, hist[len(hist)-1]); diff != "" {
			t.Errorf("last event mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestRegistryStatusAndRefresh(t *testing.T) {
	e := newEnv(t, nil)
	e.link(t)
	// The registry reports the HK/Macao permit lost and a new address on the ID card.
	creds := fixture()
	creds[2].Status = StatusReportedLost
	creds[0].Holder.Address = "北京市朝阳区光华路1号"
	e.src.Set(holderID, creds...)
	res, err := e.w.Refresh(context.Background(), HolderRef{IDNumber: holderID})
	if err != nil {
		t.Fatal(err)
	}
	got := map[verify.CredentialKind]HistoryKind{}
	for _, c := range res.Changes {
		got[c.Kind] = c.Type
	}
	if diff := cmp.Diff(map[verify.CredentialKind]HistoryKind{verify.KindIDCard: HistoryRefreshed, verify.KindHKMacaoPermit: HistoryReportedLost}, got); diff != "" {
		t.Errorf("refresh changes mismatch (-want +got):\n%s", diff)
	}
	if c := e.current(t, verify.KindIDCard); c.Holder.Address != "北京市朝阳区光华路1号" || c.Level != verify.LevelRealPerson {
		t.Errorf("refreshed ID card: %v level %v", c.Holder, c.Level)
	}
	hist, _ := e.w.History(context.Background(), ref)
	if last := hist[len(hist)-1]; last.Actor != ActorRegistry {
		t.Errorf("refresh event actor %q, want %q", last.Actor, ActorRegistry)
	}

	// A status the registry reports during the holder's Link is the registry's doing.
	creds[3].Status = StatusRevoked
	e.src.Set(holderID, creds...)
	if _, err := e.w.Link(context.Background(), LinkRequest{Decision: pass(t, verify.LevelRealPerson), Holder: ref}); err != nil {
		t.Fatal(err)
	}
	hist, _ = e.w.History(context.Background(), ref)
	if last := hist[len(hist)-1]; last.Type != HistoryRevoked || last.Actor != ActorRegistry || last.Kind != verify.KindTaiwanPermit {
		t.Errorf("last event %v, want revoked taiwan-permit by registry", last)
	}

	// Refresh never asks the source about someone who never linked.
	calls := e.src.Calls()
	if _, err := e.w.Refresh(context.Background(), HolderRef{IDNumber: otherID}); !errors.Is(err, ErrNotFound) {
		t.Errorf("Refresh(never linked) error = %v, want ErrNotFound", err)
	}
	if e.src.Calls() != calls {
		t.Errorf("source asked about a holder who never linked")
	}
}

func TestPresentRefusesInactive(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		kind   verify.CredentialKind
		setup  func(t *testing.T, e *env, h Handle)
		reason Reason
	}{
		{"suspended", verify.KindIDCard, func(t *testing.T, e *env, h Handle) {
			must(t, e.w.SetStatus(ctx, h, StatusSuspended, "op"))
		}, ReasonSuspended},
		{"reported lost", verify.KindIDCard, func(t *testing.T, e *env, h Handle) {
			must(t, e.w.SetStatus(ctx, h, StatusReportedLost, "holder-app"))
		}, ReasonReportedLost},
		{"revoked", verify.KindDriverLicence, func(t *testing.T, e *env, h Handle) {
			must(t, e.w.SetStatus(ctx, h, StatusRevoked, "traffic-police"))
		}, ReasonRevoked},
		{"revoked by registry", verify.KindIDCard, func(t *testing.T, e *env, _ Handle) {
			creds := fixture()
			creds[0].Status = StatusRevoked
			e.src.Set(holderID, creds...)
			_, err := e.w.Refresh(ctx, ref)
			must(t, err)
		}, ReasonRevoked},
		{"expired at the clock", verify.KindResidencePermit, func(t *testing.T, e *env, _ Handle) {
			// Valid until 2029-01-01 inclusive: expired on 2029-01-02 in China.
			e.clk.t = time.Date(2029, 1, 1, 16, 0, 0, 0, time.UTC) // 00:00 on the 2nd in UTC+8
		}, ReasonExpired},
		{"superseded", verify.KindPassport, func(t *testing.T, e *env, _ Handle) {
			creds := fixture()
			creds[1].Number, creds[1].ValidFrom = "EB7654321", date("2026-11-20")
			e.src.Set(holderID, creds...)
			_, err := e.w.Link(ctx, LinkRequest{Decision: pass(t, verify.LevelRealPerson), Holder: ref})
			must(t, err)
		}, ReasonSuperseded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, withIssuer(t))
			e.link(t)
			h := e.current(t, tt.kind).Handle
			if _, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: h, Purpose: qrtoken.PurposeInternetCafe()}); err != nil && tt.kind != verify.KindPassport {
				t.Fatalf("Present before: %v", err)
			}
			tt.setup(t, e, h)
			_, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: h, Purpose: qrtoken.PurposeInternetCafe()})
			if !errors.Is(err, ErrInactive) || ReasonOf(err) != tt.reason {
				t.Fatalf("Present error = %v (reason %q), want ErrInactive (%q)", err, ReasonOf(err), tt.reason)
			}
		})
	}
	t.Run("not yet valid", func(t *testing.T) {
		e := newEnv(t, withIssuer(t))
		creds := fixture()
		creds[1].ValidFrom, creds[1].ValidUntil = date("2026-12-01"), date("2036-11-30")
		e.src.Set(holderID, creds...)
		e.link(t)
		_, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: e.current(t, verify.KindPassport).Handle, Purpose: qrtoken.Purpose{ID: 20, Name: "hotel", Claims: qrtoken.ClaimName}})
		if ReasonOf(err) != ReasonNotYetValid || !errors.Is(err, ErrInactive) {
			t.Errorf("Present error = %v, want ErrInactive not_yet_valid", err)
		}
	})
	t.Run("expiry recorded", func(t *testing.T) {
		e := newEnv(t, withIssuer(t))
		e.link(t)
		h := e.current(t, verify.KindResidencePermit).Handle
		e.clk.t = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		if _, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: h, Purpose: qrtoken.PurposeInternetCafe()}); !errors.Is(err, ErrInactive) {
			t.Fatalf("Present error = %v", err)
		}
		hist, _ := e.w.History(ctx, ref)
		var expired []verify.CredentialKind
		for _, ev := range hist {
			if ev.Type == HistoryExpired && ev.Actor == ActorSystem {
				expired = append(expired, ev.Kind)
			}
		}
		// Passport (2029-01-09), HK/Macao permit (2028-03-31) and residence permit
		// (2029-01-01) expired; the others run to 2030-05-01 or later.
		if diff := cmp.Diff([]verify.CredentialKind{verify.KindPassport, verify.KindHKMacaoPermit, verify.KindResidencePermit}, expired); diff != "" {
			t.Errorf("expired events mismatch (-want +got):\n%s", diff)
		}
		if err := e.w.SetStatus(ctx, h, StatusActive, "op"); !errors.Is(err, ErrTransition) {
			t.Errorf("reinstating an expired credential: error = %v, want ErrTransition", err)
		}
	})
	t.Run("unknown or foreign handle", func(t *testing.T) {
		e := newEnv(t, withIssuer(t))
		e.link(t)
		e.src.Set(otherID)
		other := HolderRef{IDNumber: otherID}
		d := decide(t, e.clk.now, otherID, verify.LevelRealPerson)
		if _, err := e.w.Link(ctx, LinkRequest{Decision: d.Token, Holder: other}); err != nil {
			t.Fatal(err)
		}
		// Another person cannot present the holder's credential by its handle.
		if _, err := e.w.Present(ctx, PresentRequest{Holder: other, Handle: e.current(t, verify.KindIDCard).Handle, Purpose: qrtoken.PurposeInternetCafe()}); !errors.Is(err, ErrNotFound) {
			t.Errorf("Present(another holder's handle) error = %v, want ErrNotFound", err)
		}
	})
	t.Run("no issuer", func(t *testing.T) {
		e := newEnv(t, nil)
		e.link(t)
		if _, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: e.current(t, verify.KindIDCard).Handle, Purpose: qrtoken.PurposeInternetCafe()}); !errors.Is(err, ErrNoIssuer) {
			t.Errorf("Present without issuer: error = %v, want ErrNoIssuer", err)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestPresentAndCheckOnline(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, withIssuer(t))
	e.link(t)
	reader := newReader(t, e.clk.now)
	id := e.current(t, verify.KindIDCard)

	p, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: id.Handle, Purpose: qrtoken.PurposeGovernmentCounter()})
	if err != nil {
		t.Fatalf("Present: %v", err)
	}
	opened, err := reader.Open(ctx, p.Code.Text())
	if err != nil {
		t.Fatalf("reader.Open: %v", err)
	}
	wantClaims := struct{ Name, ID, Address string }{testName, holderID, testAddress}
	gotClaims := struct{ Name, ID, Address string }{opened.Claims.Name, opened.Claims.IDNumber, opened.Claims.Address}
	if wantClaims != gotClaims || opened.Claims.Gender != idcard.Male {
		t.Errorf("opened claims do not match the credential: %v", opened.Claims)
	}

	st, err := e.w.CheckPresented(ctx, p.Code.Text())
	if err != nil || st.Status != StatusActive || st.Handle != id.Handle || st.Kind != verify.KindIDCard || st.Purpose != "government-counter" {
		t.Fatalf("CheckPresented(active) = %+v, %v", st, err)
	}

	// Revoked after the code was shown: the reader learns it online.
	must(t, e.w.SetStatus(ctx, id.Handle, StatusRevoked, "police"))
	st, err = e.w.CheckPresented(ctx, p.Code.Text())
	if !errors.Is(err, ErrInactive) || ReasonOf(err) != ReasonRevoked || st.Status != StatusRevoked {
		t.Errorf("CheckPresented(revoked) = %+v, %v; want revoked", st, err)
	}

	// A code the wallet never issued, a forged one, an edited one.
	for _, code := range []string{"", "NOT-A-CODE", p.Code.Text() + "0", p.Code.Text()[1:]} {
		if _, err := e.w.CheckPresented(ctx, code); !errors.Is(err, ErrNotFound) {
			t.Errorf("CheckPresented(unknown code) error = %v, want ErrNotFound", err)
		}
	}

	// Other credentials: a driver's licence presented for an internet cafe (age from
	// the ID number), a passport for a host purpose with name and birth date.
	dl := e.current(t, verify.KindDriverLicence)
	p2, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: dl.Handle, Purpose: qrtoken.PurposeInternetCafe()})
	if err != nil {
		t.Fatalf("Present(driver licence): %v", err)
	}
	o2, err := reader.Open(ctx, p2.Code.Text())
	if err != nil {
		t.Fatal(err)
	}
	if over, ok := o2.Claims.IsOver(18); !ok || !over {
		t.Errorf("internet cafe code: over 18 = %v, %v", over, ok)
	}
	hotel := qrtoken.Purpose{ID: 21, Name: "hotel", Claims: qrtoken.ClaimName | qrtoken.ClaimBirthDate | qrtoken.ClaimGender}
	if _, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: e.current(t, verify.KindPassport).Handle, Purpose: hotel}); err != nil {
		t.Errorf("Present(passport, hotel): %v", err)
	}
	// A passport cannot answer a purpose that needs the ID number.
	if _, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: e.current(t, verify.KindPassport).Handle, Purpose: qrtoken.PurposeInternetCafe()}); !errors.Is(err, qrtoken.ErrMissingClaim) {
		t.Errorf("Present(passport, internet cafe) error = %v, want qrtoken.ErrMissingClaim", err)
	}

	// Presentations are forgotten after the code's expiry plus the grace period.
	e.clk.t = p.Code.Expires.Add(3 * time.Minute)
	if _, err := e.w.CheckPresented(ctx, p2.Code.Text()); !errors.Is(err, ErrNotFound) {
		t.Errorf("CheckPresented(long expired) error = %v, want ErrNotFound", err)
	}

	hist, _ := e.w.History(ctx, ref)
	n := 0
	for _, ev := range hist {
		if ev.Type == HistoryPresented {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d presented events, want 3 (refused presentations are not recorded)", n)
	}
}

func TestPresentedEventsBounded(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, func(c *Config) { withIssuer(t)(c); c.MaxPresentedEvents = 5 })
	e.link(t)
	h := e.current(t, verify.KindIDCard).Handle
	for i := range 12 {
		e.clk.t = testNow.Add(time.Duration(i) * time.Minute)
		if _, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: h, Purpose: qrtoken.PurposeInternetCafe()}); err != nil {
			t.Fatal(err)
		}
	}
	hist, _ := e.w.History(ctx, ref)
	n, linked := 0, 0
	for _, ev := range hist {
		switch ev.Type {
		case HistoryPresented:
			n++
		case HistoryLinked:
			linked++
		}
	}
	if n != 5 || linked != 8 {
		t.Errorf("history holds %d presented (want 5) and %d linked (want 8) events", n, linked)
	}
	// Only live presentations stay indexed.
	hk, _, _ := e.w.holderKey("t", ref, testNow)
	rec, _ := e.store.Load(ctx, hk)
	if p := len(rec.Index) - 8; p > 4 {
		t.Errorf("%d presentation keys indexed, want only the live ones (<= 4)", p)
	}
}

var qrtokenCafe = qrtoken.PurposeInternetCafe()
