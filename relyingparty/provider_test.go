package relyingparty_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/verify"
)

func TestResultOnlyByDefault(t *testing.T) {
	e := newEnv(t, nil)
	d := e.decision(t, holderID, verify.LevelRealName)
	f := e.authorize(t, "bank", bankURI, "openid")
	e.approve(t, f, d)
	if f.approval.Consent != "" {
		t.Errorf("a result-only sign-in recorded consent %q", f.approval.Consent)
	}
	u, err := url.Parse(f.approval.RedirectURI)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(url.Values{"code": {f.approval.Code}, "state": {f.pending.State}, "iss": {"https://id.example"}}, u.Query()); diff != "" {
		t.Errorf("redirect query mismatch (-want +got):\n%s", diff)
	}
	resp, err := e.p.Exchange(context.Background(), f.tokenRequest())
	if err != nil {
		t.Fatal(err)
	}
	got := e.verifyToken(t, resp.IDToken)
	sub, _ := got["sub"].(string)
	process := got["verified_claims"].(map[string]any)["verification"].(map[string]any)["verification_process"]
	evTime := d.Evidence[0].CompletedAt.UTC().Format(time.RFC3339)
	want := map[string]any{
		"iss": "https://id.example", "sub": sub, "aud": "bank", "nonce": f.nonce,
		"iat": float64(testNow.Unix()), "exp": float64(testNow.Add(relyingparty.DefaultIDTokenLifetime).Unix()),
		"auth_time": float64(d.DecidedAt.Unix()), "acr": "urn:trustid:level:real-name",
		"verified_claims": map[string]any{
			"verification": map[string]any{"trust_framework": "trustid", "assurance_level": "real-name",
				"time": d.DecidedAt.UTC().Format(time.RFC3339), "verification_process": process,
				"evidence": []any{map[string]any{"type": "electronic_record", "time": evTime,
					"check_details": []any{map[string]any{"check_method": "data"}}}}},
			"claims": map[string]any{},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ID token claims mismatch (-want +got):\n%s", diff)
	}
	if len(sub) != 43 || sub == d.Subject || process == d.CheckID {
		t.Errorf("sub %q / process %v is not a pairwise derivation", sub, process)
	}
	if resp.TokenType != "Bearer" || resp.AccessToken == "" || resp.ExpiresIn != int64(relyingparty.DefaultIDTokenLifetime/time.Second) {
		t.Errorf("token response %v %d", resp.TokenType, resp.ExpiresIn)
	}
}

func TestConsentedClaimsReleased(t *testing.T) {
	e := newEnv(t, nil)
	d := e.decision(t, holderID, verify.LevelRealName)
	got := e.signIn(t, "bank", bankURI, "openid name id_number", d)
	claims := got["verified_claims"].(map[string]any)["claims"]
	if diff := cmp.Diff(map[string]any{"name": testName, "id_number": holderID}, claims); diff != "" {
		t.Errorf("released claims mismatch (-want +got):\n%s", diff)
	}
}

func TestAgeOver18ReleasesNoDate(t *testing.T) {
	e := newEnv(t, nil)
	d := e.decision(t, holderID, verify.LevelRealPerson)
	got := e.signIn(t, "tickets", ticketURI, "openid age_over_18", d)
	claims := got["verified_claims"].(map[string]any)["claims"]
	if diff := cmp.Diff(map[string]any{"age_over_18": true}, claims); diff != "" {
		t.Errorf("released claims mismatch (-want +got):\n%s", diff)
	}
}

func TestConsentRecorded(t *testing.T) {
	store := relyingparty.NewMemoryConsentStore()
	e := newEnv(t, func(c *relyingparty.Config) { c.Consents = store })
	d := e.decision(t, holderID, verify.LevelRealName)
	f := e.authorize(t, "bank", bankURI, "openid id_number name")
	e.approve(t, f, d)
	rec, found, err := store.Get(context.Background(), f.approval.Consent)
	if err != nil || !found {
		t.Fatalf("consent record: found %t, %v", found, err)
	}
	resp, err := e.p.Exchange(context.Background(), f.tokenRequest())
	if err != nil {
		t.Fatal(err)
	}
	sub := e.verifyToken(t, resp.IDToken)["sub"]
	want := relyingparty.ConsentRecord{ID: f.approval.Consent, Subject: sub.(string), ClientID: "bank", Purpose: "account opening (AML)",
		Claims: []relyingparty.Claim{relyingparty.ClaimIDNumber, relyingparty.ClaimName}, Notice: "v1", GivenAt: testNow, Version: 1}
	if diff := cmp.Diff(want, rec); diff != "" {
		t.Errorf("consent record mismatch (-want +got):\n%s", diff)
	}
}

func TestConsentWithdrawnBeforeRedeeming(t *testing.T) {
	e := newEnv(t, nil)
	d := e.decision(t, holderID, verify.LevelRealName)
	f := e.authorize(t, "bank", bankURI, "openid name")
	e.approve(t, f, d)
	if err := e.p.WithdrawConsent(context.Background(), f.approval.Consent); err != nil {
		t.Fatal(err)
	}
	if _, err := e.p.Exchange(context.Background(), f.tokenRequest()); !errors.Is(err, relyingparty.ErrAccessDenied) {
		t.Errorf("Exchange after withdrawal: %v, want ErrAccessDenied", err)
	}
}

func TestPairwiseSubjects(t *testing.T) {
	e := newEnv(t, nil)
	d := e.decision(t, holderID, verify.LevelRealPerson)
	bank := e.signIn(t, "bank", bankURI, "openid", d)["sub"]
	d2 := e.decision(t, holderID, verify.LevelRealPerson) // another sign-in, another check
	bankAgain := e.signIn(t, "bank", bankURI, "openid", d2)["sub"]
	bankApp := e.signIn(t, "bank-app", "http://127.0.0.1/app", "openid", d)["sub"]
	tickets := e.signIn(t, "tickets", ticketURI, "openid", d)["sub"]
	other := e.signIn(t, "bank", bankURI, "openid", e.decision(t, otherID, verify.LevelRealName))["sub"]
	if bank != bankAgain || bank != bankApp {
		t.Errorf("one person in one sector got subjects %v, %v, %v", bank, bankAgain, bankApp)
	}
	if bank == tickets || bank == other {
		t.Errorf("subjects collide across sectors or people: bank %v tickets %v other %v", bank, tickets, other)
	}
}

func TestTokenLifetimeCutToDecision(t *testing.T) {
	e := newEnv(t, func(c *relyingparty.Config) { c.IDTokenLifetime = 24 * time.Hour; c.MaxDecisionAge = 24 * time.Hour })
	d := e.decision(t, holderID, verify.LevelRealPerson)
	got := e.signIn(t, "tickets", ticketURI, "openid", d)
	if exp := int64(got["exp"].(float64)); exp != d.ValidUntil.Unix() {
		t.Errorf("exp %d, want the decision's ValidUntil %d", exp, d.ValidUntil.Unix())
	}
}

func TestKeyRotation(t *testing.T) {
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	old := newEnv(t, nil)
	d := old.decision(t, holderID, verify.LevelRealName)
	f := old.authorize(t, "bank", bankURI, "openid")
	old.approve(t, f, d)
	resp, err := old.p.Exchange(context.Background(), f.tokenRequest())
	if err != nil {
		t.Fatal(err)
	}
	// The new key signs; the old one is still published, so tokens it signed verify.
	e := newEnv(t, func(c *relyingparty.Config) {
		c.SigningKeys = []relyingparty.SigningKey{{ID: "k2", Key: edKey}, {ID: "k1", Key: old.signer}}
	})
	e.clock = old.clock
	if got := e.verifyToken(t, resp.IDToken)["sub"]; got == nil {
		t.Error("token of the old key does not verify after rotation")
	}
	if diff := cmp.Diff([]string{"EdDSA", "ES256"}, e.p.SigningAlgorithms()); diff != "" {
		t.Errorf("algorithms mismatch (-want +got):\n%s", diff)
	}
	got := e.signIn(t, "bank", bankURI, "openid", e.decision(t, holderID, verify.LevelRealName))
	if got["aud"] != "bank" {
		t.Errorf("EdDSA token aud %v", got["aud"])
	}
}

func TestDeny(t *testing.T) {
	e := newEnv(t, nil)
	f := e.authorize(t, "bank", bankURI, "openid")
	to, err := e.p.Deny(f.pending.Token)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(to)
	if diff := cmp.Diff(url.Values{"error": {"access_denied"}, "state": {f.pending.State}, "iss": {"https://id.example"}}, u.Query()); diff != "" {
		t.Errorf("deny redirect mismatch (-want +got):\n%s", diff)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	bad := map[string]func(*relyingparty.Config){
		"no pairwise key":      func(c *relyingparty.Config) { c.PairwiseKey = c.PairwiseKey[:31] },
		"http issuer":          func(c *relyingparty.Config) { c.Issuer = "http://id.example" },
		"issuer with query":    func(c *relyingparty.Config) { c.Issuer = "https://id.example/?a=b" },
		"no signing key":       func(c *relyingparty.Config) { c.SigningKeys = nil },
		"no seal key":          func(c *relyingparty.Config) { c.Keys = nil },
		"no decisions":         func(c *relyingparty.Config) { c.Decisions = nil },
		"redirect fragment":    func(c *relyingparty.Config) { c.Clients[0].RedirectURIs = []string{bankURI + "#x"} },
		"redirect http":        func(c *relyingparty.Config) { c.Clients[0].RedirectURIs = []string{"http://bank.example/cb"} },
		"short secret":         func(c *relyingparty.Config) { c.Clients[0].Secret = []byte("short") },
		"unknown claim":        func(c *relyingparty.Config) { c.Clients[0].Claims = []relyingparty.Claim{"address"} },
		"two hosts, no sector": func(c *relyingparty.Config) { c.Clients[0].RedirectURIs = []string{bankURI, ticketURI} },
		"duplicate client":     func(c *relyingparty.Config) { c.Clients = append(c.Clients, c.Clients[0]) },
	}
	for name, mod := range bad {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, nil)
			cfg := e.cfg
			cfg.Clients = clients()
			mod(&cfg)
			if _, err := relyingparty.New(cfg); !errors.Is(err, relyingparty.ErrInvalidArgument) {
				t.Errorf("New: %v, want ErrInvalidArgument", err)
			}
		})
	}
}
