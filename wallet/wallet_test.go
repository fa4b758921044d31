package wallet

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

func TestNewConfig(t *testing.T) {
	src := NewMemorySource()
	ds := decisions(t, nil)
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no source", Config{Decisions: ds}},
		{"no decision opener", Config{Source: src}},
		{"short index key", Config{Source: src, Decisions: ds, IndexKey: make([]byte, 31)}},
		{"bad level", Config{Source: src, Decisions: ds, RequiredLevel: 9}},
		{"negative grace", Config{Source: src, Decisions: ds, PresentationGrace: -time.Second}},
		{"negative max presentations", Config{Source: src, Decisions: ds, MaxPresentations: -1}},
		{"negative retries", Config{Source: src, Decisions: ds, MaxRetries: -1}},
		{"host store without index key", Config{Source: src, Decisions: ds, Store: NewMemoryStore()}},
	}
	for _, tt := range tests {
		if _, err := New(tt.cfg); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("New(%s) error = %v, want ErrInvalid", tt.name, err)
		}
	}
	w, err := New(Config{Source: src, Decisions: ds})
	if err != nil {
		t.Fatalf("New(defaults) error = %v", err)
	}
	if w.cfg.RequiredLevel != verify.LevelRealPerson || w.cfg.Store == nil || len(w.key) != 32 || w.cfg.MaxPresentations != 64 {
		t.Errorf("defaults not filled: level %v, store %v, key %d bytes, max presentations %d", w.cfg.RequiredLevel,
			w.cfg.Store, len(w.key), w.cfg.MaxPresentations)
	}
}

func TestLinkRefused(t *testing.T) {
	otherKey := store.Key{ID: decisionKey.ID, Secret: bytes.Repeat([]byte{8}, 32)}
	now := func() time.Time { return testNow }
	tests := []struct {
		name     string
		required verify.Level
		token    func(t *testing.T) string
		holder   HolderRef
		later    time.Duration // the wallet's (and the opener's) clock moves on before Link
		want     error
		reason   Reason
	}{
		{name: "fail outcome", token: func(t *testing.T) string {
			return decideWith(t, now, holderID, "李四", verify.LevelRealPerson, decisionKey).Token
		}, want: ErrNotPassed, reason: ReasonNotPassed},
		{name: "real-name below real-person", token: func(t *testing.T) string { return pass(t, verify.LevelRealName) },
			want: ErrLevelTooLow, reason: ReasonLevelTooLow},
		{name: "real-person below high", required: verify.LevelHigh, token: func(t *testing.T) string { return pass(t, verify.LevelRealPerson) },
			want: ErrLevelTooLow, reason: ReasonLevelTooLow},
		{name: "decision about another person", token: func(t *testing.T) string {
			return decide(t, now, otherID, verify.LevelRealPerson).Token
		}, want: ErrSubjectMismatch, reason: ReasonSubjectMismatch},
		{name: "decision after its validity", later: 10 * time.Minute, want: ErrDecisionStale, reason: ReasonDecisionStale},
		{name: "no token", token: func(*testing.T) string { return "" }, want: ErrNotAuthentic, reason: ReasonDecisionNotAuthentic},
		{name: "hand-built token", token: func(*testing.T) string { return "outcome=pass;level=high" }, want: ErrNotAuthentic, reason: ReasonDecisionNotAuthentic},
		{name: "token sealed under another key", token: func(t *testing.T) string {
			return decideWith(t, now, holderID, testName, verify.LevelRealPerson, otherKey).Token
		}, want: ErrNotAuthentic, reason: ReasonDecisionNotAuthentic},
		{name: "edited token", token: func(t *testing.T) string {
			tok := []byte(pass(t, verify.LevelRealPerson))
			i := len(tok) / 2
			if tok[i] == 'A' { // another base64url character: the token still decodes
				tok[i] = 'B'
			} else {
				tok[i] = 'A'
			}
			return string(tok)
		}, want: ErrNotAuthentic, reason: ReasonDecisionNotAuthentic},
		{name: "bad holder number", holder: HolderRef{IDNumber: holderID[:17] + "0"}, want: ErrInvalidArgument, reason: ReasonInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.RequiredLevel = tt.required })
			token := linkReq(t).Decision
			if tt.token != nil {
				token = tt.token(t)
			}
			h := ref
			if tt.holder != (HolderRef{}) {
				h = tt.holder
			}
			e.clk.t = testNow.Add(tt.later)
			_, err := e.w.Link(context.Background(), LinkRequest{Decision: token, Holder: h})
			if !errors.Is(err, tt.want) || ReasonOf(err) != tt.reason {
				t.Fatalf("Link error = %v (reason %q), want %v (%q)", err, ReasonOf(err), tt.want, tt.reason)
			}
			if n := e.src.Calls(); n != 0 {
				t.Errorf("source asked %d times after a refused decision, want 0", n)
			}
			if _, err := e.w.Credentials(context.Background(), ref); !errors.Is(err, ErrNotFound) {
				t.Errorf("Credentials after refused Link: error = %v, want ErrNotFound", err)
			}
		})
	}
}

func TestLinkAtRequiredLevels(t *testing.T) {
	for _, tt := range []struct{ required, got verify.Level }{
		{verify.LevelRealName, verify.LevelRealName},
		{verify.LevelRealName, verify.LevelHigh},
		{verify.LevelRealPerson, verify.LevelRealPerson},
		{verify.LevelHigh, verify.LevelHigh},
	} {
		e := newEnv(t, func(c *Config) { c.RequiredLevel = tt.required })
		if _, err := e.w.Link(context.Background(), LinkRequest{Decision: pass(t, tt.got), Holder: ref}); err != nil {
			t.Errorf("Link(%v decision, %v required) error = %v", tt.got, tt.required, err)
			continue
		}
		if c := e.current(t, verify.KindPassport); c.Level != tt.got {
			t.Errorf("linked at level %v, want %v", c.Level, tt.got)
		}
	}
}

func TestLinkAllKinds(t *testing.T) {
	e := newEnv(t, nil)
	res := e.link(t)
	var gotKinds []verify.CredentialKind
	for _, c := range res.Changes {
		if c.Type != HistoryLinked {
			t.Errorf("change %v, want linked", c.Type)
		}
		gotKinds = append(gotKinds, c.Kind)
	}
	wantKinds := []verify.CredentialKind{verify.KindIDCard, verify.KindPassport, verify.KindHKMacaoPermit, verify.KindTaiwanPermit,
		verify.KindHouseholdRegister, verify.KindResidencePermit, verify.KindDriverLicence, verify.KindVehicleLicence}
	if diff := cmp.Diff(wantKinds, gotKinds); diff != "" {
		t.Errorf("linked kinds mismatch (-want +got):\n%s", diff)
	}
	cs, err := e.w.Credentials(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cs {
		want := fixture()[i]
		want.Handle = e.w.HandleOf(want)
		want.Level = verify.LevelRealPerson
		want.LinkedAt, want.UpdatedAt = testNow, testNow
		if want.Kind == verify.KindHouseholdRegister {
			want.LongTerm = true
		}
		if diff := cmp.Diff(want, c); diff != "" {
			t.Errorf("credential %v mismatch (-want +got):\n%s", c.Kind, diff)
		}
	}
	// The 15-digit form of the holder's number names the same wallet.
	legacy := ref
	legacy.IDNumber = "110105900307995"
	cs2, err := e.w.Credentials(context.Background(), legacy)
	if err != nil || len(cs2) != len(cs) {
		t.Errorf("Credentials(15-digit form) = %d credentials, %v; want %d", len(cs2), err, len(cs))
	}
}

func TestLinkIdempotent(t *testing.T) {
	e := newEnv(t, nil)
	e.link(t)
	before, _ := e.w.Credentials(context.Background(), ref)
	histBefore, _ := e.w.History(context.Background(), ref)
	ver := func() uint64 {
		hk, _, _ := e.w.holderKey("t", ref, testNow)
		r, err := e.store.Load(context.Background(), hk)
		if err != nil {
			t.Fatal(err)
		}
		return r.Version
	}
	v1 := ver()
	e.clk.t = testNow.Add(time.Minute)
	for range 3 {
		res, err := e.w.Link(context.Background(), LinkRequest{Decision: pass(t, verify.LevelRealPerson), Holder: ref})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Changes) != 0 || res.Unchanged != 8 {
			t.Errorf("relink: %d changes, %d unchanged; want 0 and 8", len(res.Changes), res.Unchanged)
		}
	}
	after, _ := e.w.Credentials(context.Background(), ref)
	histAfter, _ := e.w.History(context.Background(), ref)
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("credentials changed by relinking (-before +after):\n%s", diff)
	}
	if len(histAfter) != len(histBefore) {
		t.Errorf("history grew from %d to %d events by relinking", len(histBefore), len(histAfter))
	}
	// Each relink saves only the decision it used (single use), nothing else.
	if v := ver(); v != v1+3 {
		t.Errorf("three relinks saved the record %d times, want 3 (the used decisions)", v-v1)
	}
}

func TestLinkRejectsInvalidOneByOne(t *testing.T) {
	e := newEnv(t, nil)
	creds := fixture()
	creds[1].Number = "X00000000"                                                // passport: bad prefix
	creds[7].Vehicle = &VehicleLicence{VIN: flipVINCheck(testVIN), Type: "小型轿车"} // bad VIN
	creds = append(creds, creds[2])                                              // exact duplicate: dropped quietly
	e.src.Set(holderID, creds...)
	res, err := e.w.Link(context.Background(), LinkRequest{Decision: pass(t, verify.LevelRealPerson), Holder: ref})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, r := range res.Rejected {
		got = append(got, r.Index)
		if !errors.Is(r.Err, ErrInvalidCredential) {
			t.Errorf("rejection %d: %v, want ErrInvalidCredential", r.Index, r.Err)
		}
	}
	if diff := cmp.Diff([]int{1, 7}, got); diff != "" {
		t.Errorf("rejected indexes mismatch (-want +got):\n%s", diff)
	}
	if len(res.Changes) != 6 {
		t.Errorf("%d linked, want 6", len(res.Changes))
	}
}

func TestLinkTwoDocumentsForOneSlot(t *testing.T) {
	e := newEnv(t, nil)
	creds := fixture()
	renewed := creds[1]
	renewed.Number, renewed.ValidFrom, renewed.ValidUntil = "EB7654321", date("2026-10-01"), date("2036-09-30")
	creds[1].Status = StatusRevoked
	creds = append(creds, renewed) // index 8: the newer passport comes last
	e.src.Set(holderID, creds...)
	res, err := e.w.Link(context.Background(), LinkRequest{Decision: pass(t, verify.LevelRealPerson), Holder: ref})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rejected) != 1 || res.Rejected[0].Index != 1 || ReasonOf(res.Rejected[0].Err) != ReasonDuplicateInBatch {
		t.Errorf("rejected %+v, want the older passport (index 1) as duplicate_in_batch", res.Rejected)
	}
	if got := e.current(t, verify.KindPassport); got.Number != "EB7654321" || got.Status != StatusActive {
		t.Errorf("current passport is not the newer one")
	}
}

func TestLinkSourceFailure(t *testing.T) {
	boom := errors.New("registry down")
	e := newEnv(t, func(c *Config) {
		c.Source = SourceFunc(func(context.Context, HolderRef) ([]Credential, error) { return nil, boom })
	})
	_, err := e.w.Link(context.Background(), LinkRequest{Decision: pass(t, verify.LevelRealPerson), Holder: ref})
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, boom) {
		t.Errorf("Link error = %v, want ErrUnavailable wrapping the host error", err)
	}
}

func TestReplacementKeepsHistory(t *testing.T) {
	e := newEnv(t, nil)
	e.link(t)
	oldPassport := e.current(t, verify.KindPassport)
	oldID := e.current(t, verify.KindIDCard)

	// A renewed passport (new number) and a new ID card (same number, new validity).
	creds := fixture()
	creds[0].ValidFrom, creds[0].ValidUntil = date("2026-11-01"), verify.Date{}
	creds[0].LongTerm = true
	creds[1].Number, creds[1].ValidFrom, creds[1].ValidUntil = "EB7654321", date("2026-10-01"), date("2036-09-30")
	e.src.Set(holderID, creds...)
	e.clk.t = testNow.Add(time.Hour)
	res, err := e.w.Link(context.Background(), LinkRequest{Decision: decide(t, e.clk.now, holderID, verify.LevelRealPerson).Token, Holder: ref})
	if err != nil {
		t.Fatal(err)
	}
	newID, newPassport := e.w.HandleOf(mustValidate(t, creds[0])), e.w.HandleOf(mustValidate(t, creds[1]))
	wantChanges := []Change{
		{Kind: verify.KindIDCard, Handle: newID, Type: HistoryReplaced},
		{Kind: verify.KindPassport, Handle: newPassport, Type: HistoryReplaced},
	}
	if diff := cmp.Diff(wantChanges, res.Changes); diff != "" {
		t.Errorf("changes mismatch (-want +got):\n%s", diff)
	}
	cs, _ := e.w.Credentials(context.Background(), ref)
	if len(cs) != 10 {
		t.Fatalf("%d credentials, want 10 (8 current + 2 superseded)", len(cs))
	}
	for _, old := range []struct {
		c   Credential
		new Handle
	}{{oldID, newID}, {oldPassport, newPassport}} {
		i := slices.IndexFunc(cs, func(c Credential) bool { return c.Handle == old.c.Handle })
		if i < 0 {
			t.Fatalf("old %v deleted", old.c.Kind)
		}
		if cs[i].Status != StatusSuperseded || cs[i].SupersededBy != old.new || cs[i].Number != old.c.Number {
			t.Errorf("old %v: status %v superseded-by %q, want superseded by %q", old.c.Kind, cs[i].Status, cs[i].SupersededBy, old.new)
		}
		if s, err := e.w.Status(context.Background(), old.c.Handle); err != nil || s != StatusSuperseded {
			t.Errorf("Status(old %v) = %v, %v; want superseded", old.c.Kind, s, err)
		}
	}
	if got := e.current(t, verify.KindPassport); got.Number != "EB7654321" || got.Level != verify.LevelRealPerson {
		t.Errorf("current passport %v, want the renewed one", got)
	}
	hist, _ := e.w.History(context.Background(), ref)
	var types []HistoryKind
	for _, ev := range hist[8:] {
		types = append(types, ev.Type)
	}
	if diff := cmp.Diff([]HistoryKind{HistorySuperseded, HistoryReplaced, HistorySuperseded, HistoryReplaced}, types); diff != "" {
		t.Errorf("history after replacement mismatch (-want +got):\n%s", diff)
	}
	if hist[9].Detail != string(oldID.Handle) || hist[8].Detail != string(newID) {
		t.Errorf("replacement events do not name each other: %v / %v", hist[8], hist[9])
	}

	// The old passport offered again (a lagging registry replica) is not resurrected.
	e.src.Set(holderID, fixture()...)
	res, err = e.w.Link(context.Background(), LinkRequest{Decision: decide(t, e.clk.now, holderID, verify.LevelRealPerson).Token, Holder: ref})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stale != 2 || len(res.Changes) != 0 {
		t.Errorf("old documents again: stale %d, changes %v; want 2 stale, no changes", res.Stale, res.Changes)
	}
	if got := e.current(t, verify.KindPassport); got.Number != "EB7654321" {
		t.Errorf("old passport resurrected")
	}
}

func mustValidate(t *testing.T, c Credential) Credential {
	t.Helper()
	v, err := Validate(c, holderID, testNow)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestNilReceivers: the exported pointer methods of a nil value fail with
// ErrInvalidArgument (or return a zero value) instead of panicking.
func TestNilReceivers(t *testing.T) {
	ctx := context.Background()
	var w *Wallet
	var ms *MemoryStore
	var ss *SealedStore
	var src *MemorySource
	errs := map[string]error{}
	_, errs["Link"] = w.Link(ctx, LinkRequest{Decision: pass(t, verify.LevelRealPerson), Holder: ref})
	_, errs["Refresh"] = w.Refresh(ctx, ref)
	_, errs["Credentials"] = w.Credentials(ctx, ref)
	_, errs["History"] = w.History(ctx, ref)
	errs["SetStatus"] = w.SetStatus(ctx, "h", StatusRevoked, "op")
	_, errs["Status"] = w.Status(ctx, "h")
	_, errs["Present"] = w.Present(ctx, PresentRequest{Holder: ref, Handle: "h", Purpose: qrtokenCafe})
	_, errs["CheckPresented"] = w.CheckPresented(ctx, "code")
	_, errs["MemoryStore.Load"] = ms.Load(ctx, "h")
	_, errs["MemoryStore.Save"] = ms.Save(ctx, StoredWallet{Holder: "h"})
	_, errs["MemoryStore.Lookup"] = ms.Lookup(ctx, "k")
	_, errs["MemoryStore.Holders"] = ms.Holders(ctx)
	_, errs["SealedStore.Load"] = ss.Load(ctx, "h")
	_, errs["SealedStore.Save"] = ss.Save(ctx, StoredWallet{Holder: "h"})
	_, errs["SealedStore.Lookup"] = ss.Lookup(ctx, "k")
	_, errs["SealedStore.Rotate"] = ss.Rotate(ctx, "h")
	_, errs["SealedStore.RotateAll"] = ss.RotateAll(ctx)
	_, errs["SealedStore.Holders"] = ss.Holders(ctx)
	_, errs["MemorySource.Credentials"] = src.Credentials(ctx, ref)
	errs["Status.UnmarshalText"] = (*Status)(nil).UnmarshalText([]byte("active"))
	errs["HistoryKind.UnmarshalText"] = (*HistoryKind)(nil).UnmarshalText([]byte("linked"))
	for name, err := range errs {
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s on nil: error = %v, want ErrInvalidArgument", name, err)
		}
	}
	if h := w.HandleOf(fixture()[0]); h != "" {
		t.Errorf("HandleOf on nil = %q, want empty", h)
	}
	if n := src.Calls(); n != 0 {
		t.Errorf("Calls on nil = %d", n)
	}
	var e *Error
	if e.Error() == "" || e.Is(ErrInvalidArgument) || e.Unwrap() != nil {
		t.Errorf("nil *Error: %q, %v, %v", e.Error(), e.Is(ErrInvalidArgument), e.Unwrap())
	}
}
