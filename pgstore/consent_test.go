package pgstore

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

// consentVector is a known answer of a sealed consent or hand-off format: fixed key,
// nonce and record.
type consentVector struct {
	Domain    string `json:"domain"`
	KeyID     uint32 `json:"key_id"`
	Secret    string `json:"secret_hex"`
	Nonce     string `json:"nonce_hex"`
	ID        string `json:"id"`
	Plaintext string `json:"plaintext"`
	Sealed    string `json:"sealed_hex"`
}

var consentAt = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

// The fixed records of the vectors.
var (
	vectorLivenessConsent = liveness.Consent{ID: "LIVENESSCONSENTVECTOR00000", Subject: "subj-A", Purpose: liveness.PurposeBiometric,
		TextVersion: "face-2026-11", GivenAt: consentAt}
	vectorRelyingConsent = relyingparty.ConsentRecord{ID: "RPCONSENTVECTOR00000000000", Subject: "pairwise-subject", ClientID: "bank",
		Purpose: "account opening", Claims: []relyingparty.Claim{relyingparty.ClaimIDNumber, relyingparty.ClaimName}, Notice: "v1",
		GivenAt: consentAt, WithdrawnAt: consentAt.Add(time.Hour)}
	vectorHandoffKey   = "ZGlnZXN0LW9mLWEtcGVuZGluZy10b2tlbg"
	vectorHandoffValue = "https://rp.example/cb?code=c0de&state=s1"
)

// TestConsentSealVectors checks the three sealed formats of migration 2 both ways: the
// fixed records encode to the recorded plaintexts and seal with the fixed nonce to the
// recorded bytes, and the recorded bytes open and decode to the fixed records. A change
// of a JSON field name, the key derivation, the header, the additional data or a domain
// fails it.
func TestConsentSealVectors(t *testing.T) {
	path := filepath.Join("testdata", "consent-seal.json")
	secret := bytes.Repeat([]byte{0x42}, 32)
	nonce := bytes.Repeat([]byte{0x24}, 24)
	live, err := encodeLivenessConsent(vectorLivenessConsent)
	if err != nil {
		t.Fatal(err)
	}
	rp, err := encodeRelyingConsent(vectorRelyingConsent)
	if err != nil {
		t.Fatal(err)
	}
	inputs := []consentVector{
		{Domain: domainLivenessConsent, ID: vectorLivenessConsent.ID, Plaintext: string(live)},
		{Domain: domainRelyingConsent, ID: vectorRelyingConsent.ID, Plaintext: string(rp)},
		{Domain: domainRelyingHandoff, ID: vectorHandoffKey, Plaintext: vectorHandoffValue},
	}
	sealers := make(map[string]*sealer)
	for i := range inputs {
		v := &inputs[i]
		v.KeyID, v.Secret, v.Nonce = 0x01020304, hex.EncodeToString(secret), hex.EncodeToString(nonce)
		s, err := newSealer([]store.Key{{ID: v.KeyID, Secret: secret}}, v.Domain)
		if err != nil {
			t.Fatal(err)
		}
		sealers[v.Domain] = s
		v.Sealed = hex.EncodeToString(s.sealWith(v.KeyID, nonce, v.ID, []byte(v.Plaintext)))
	}
	if *update {
		b, _ := json.MarshalIndent(inputs, "", "  ")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want []consentVector
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, inputs); diff != "" {
		t.Errorf("encoding and sealing the fixed records mismatch (-want +got):\n%s", diff)
	}
	for _, v := range want {
		s := sealers[v.Domain]
		if s == nil {
			t.Fatalf("vector of unknown domain %q", v.Domain)
		}
		sealed, err := hex.DecodeString(v.Sealed)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.open(v.ID, sealed)
		if err != nil {
			t.Fatalf("%s: open(vector) error = %v", v.Domain, err)
		}
		switch v.Domain {
		case domainLivenessConsent:
			c, err := decodeLivenessConsent(v.ID, got)
			if diff := cmp.Diff(vectorLivenessConsent, c); err != nil || diff != "" {
				t.Errorf("liveness consent vector decodes to (%v) (-want +got):\n%s", err, diff)
			}
		case domainRelyingConsent:
			r, err := decodeRelyingConsent(v.ID, got)
			if diff := cmp.Diff(vectorRelyingConsent, r); err != nil || diff != "" {
				t.Errorf("relying-party consent vector decodes to (%v) (-want +got):\n%s", err, diff)
			}
		default:
			if diff := cmp.Diff(vectorHandoffValue, string(got)); diff != "" {
				t.Errorf("hand-off vector opens to (-want +got):\n%s", diff)
			}
		}
		// Under the same key and ID, no other domain opens it.
		for _, d := range []string{domainReviewCase, domainLivenessConsent, domainRelyingConsent, domainRelyingHandoff} {
			if d == v.Domain {
				continue
			}
			other, err := newSealer([]store.Key{{ID: v.KeyID, Secret: secret}}, d)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := other.open(v.ID, sealed); !errors.Is(err, ErrNotAuthentic) {
				t.Errorf("a %s record opened as a %s record: error = %v, want ErrNotAuthentic", v.Domain, d, err)
			}
		}
	}
}

// consentStores returns the three stores of migration 2 on a fresh schema.
func consentStores(t *testing.T) (*LivenessConsentStore, *RelyingPartyConsentStore, *HandoffStore, *Store) {
	t.Helper()
	s, _ := newStore(t)
	lc, err := s.LivenessConsentStore()
	if err != nil {
		t.Fatal(err)
	}
	rc, err := s.RelyingPartyConsentStore()
	if err != nil {
		t.Fatal(err)
	}
	hs, err := s.HandoffStore()
	if err != nil {
		t.Fatal(err)
	}
	return lc, rc, hs, s
}

// TestConsentRowsAttack: a sealed consent copied onto another consent's row, an edited
// row, and a hand-off row moved under another key do not open (ErrNotAuthentic, found=false);
// a withdrawal cannot be re-dated by a second Withdraw.
func TestConsentRowsAttack(t *testing.T) {
	lc, rc, hs, s := consentStores(t)
	ctx := context.Background()
	pool := s.pool

	good := liveness.Consent{Subject: "subj-A", Purpose: liveness.PurposeBiometric, TextVersion: "face-2026-11", GivenAt: consentAt}
	a, err := lc.Record(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	other := good
	other.Subject = "subj-B"
	b, err := lc.Record(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	// Subject B's consent row gets subject A's sealed consent: it must not pass as B's.
	if _, err := pool.Exec(ctx, `UPDATE trustid_liveness_consents SET sealed = (SELECT sealed FROM trustid_liveness_consents WHERE id = $1) WHERE id = $2`, a, b); err != nil {
		t.Fatal(err)
	}
	if c, found, err := lc.Lookup(ctx, b); found || !errors.Is(err, ErrNotAuthentic) {
		t.Errorf("Lookup(consent with another's sealed row) = %v, %v, %v; want not found and ErrNotAuthentic", c, found, err)
	}

	for _, id := range []string{"rp-a", "rp-b"} {
		r := vectorRelyingConsent
		r.ID, r.WithdrawnAt = id, time.Time{}
		if _, err := rc.Put(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, `UPDATE trustid_relyingparty_consents SET sealed = (SELECT sealed FROM trustid_relyingparty_consents WHERE id = 'rp-a') WHERE id = 'rp-b'`); err != nil {
		t.Fatal(err)
	}
	if _, found, err := rc.Get(ctx, "rp-b"); found || !errors.Is(err, ErrNotAuthentic) {
		t.Errorf("Get(record with another's sealed row) = %v, %v; want not found and ErrNotAuthentic", found, err)
	}
	if _, err := pool.Exec(ctx, `UPDATE trustid_relyingparty_consents SET sealed = set_byte(sealed, 40, get_byte(sealed, 40) # 1) WHERE id = 'rp-a'`); err != nil {
		t.Fatal(err)
	}
	if _, found, err := rc.Get(ctx, "rp-a"); found || !errors.Is(err, ErrNotAuthentic) {
		t.Errorf("Get(edited row) = %v, %v; want not found and ErrNotAuthentic", found, err)
	}

	// A hand-off row moved under another key (the attacker's page's) does not open there.
	exp := consentAt.Add(time.Minute)
	if err := hs.Put(ctx, "victim", vectorHandoffValue, consentAt, exp); err != nil {
		t.Fatal(err)
	}
	if err := hs.Put(ctx, "attacker", "https://rp.example/cb?code=mine", consentAt, exp); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE trustid_relyingparty_handoffs SET sealed = (SELECT sealed FROM trustid_relyingparty_handoffs WHERE key = $1) WHERE key = $2`,
		s.index(domainRelyingHandoff, "victim"), s.index(domainRelyingHandoff, "attacker")); err != nil {
		t.Fatal(err)
	}
	if v, found, err := hs.Take(ctx, "attacker", consentAt); found || v != "" || !errors.Is(err, ErrNotAuthentic) {
		t.Errorf("Take(key with another key's sealed value) = %q, %v, %v; want nothing and ErrNotAuthentic", v, found, err)
	}
	if v, found, err := hs.Take(ctx, "victim", consentAt); !found || err != nil || v != vectorHandoffValue {
		t.Errorf("Take(victim) = %q, %v, %v; want its value", v, found, err)
	}
}

// TestConsentStoresRefuse: out-of-range arguments are refused with the interface's
// invalid-argument error and store nothing; IDs no store could hold are unknown.
func TestConsentStoresRefuse(t *testing.T) {
	lc, rc, _, s := consentStores(t)
	ctx := context.Background()
	long := strings.Repeat("x", maxConsentField+1)
	good := liveness.Consent{Subject: "subj-A", Purpose: liveness.PurposeBiometric, TextVersion: "face-2026-11", GivenAt: consentAt}
	for name, mod := range map[string]func(*liveness.Consent){
		"long subject":      func(c *liveness.Consent) { c.Subject = long },
		"long purpose":      func(c *liveness.Consent) { c.Purpose = long },
		"long text version": func(c *liveness.Consent) { c.TextVersion = long },
	} {
		c := good
		mod(&c)
		if _, err := lc.Record(ctx, c); !errors.Is(err, liveness.ErrInvalidArgument) || !errors.Is(err, store.ErrInvalidArgument) {
			t.Errorf("Record(%s) error = %v, want liveness.ErrInvalidArgument and store.ErrInvalidArgument", name, err)
		}
	}
	id, err := lc.Record(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	for name, at := range map[string]time.Time{
		"zero time":   {},
		"before 1678": time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC),
		"after 2261":  time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		if err := lc.Withdraw(ctx, id, at); !errors.Is(err, liveness.ErrInvalidArgument) {
			t.Errorf("Withdraw(%s) error = %v, want liveness.ErrInvalidArgument", name, err)
		}
	}
	if c, found, err := lc.Lookup(ctx, id); !found || err != nil || !c.WithdrawnAt.IsZero() {
		t.Errorf("after refused withdrawals: %v, %v, %v; want in force", c, found, err)
	}
	if _, found, err := lc.Lookup(ctx, long); found || err != nil {
		t.Errorf("Lookup(long ID) = %v, %v; want not found, no error", found, err)
	}

	r := vectorRelyingConsent
	for name, id := range map[string]string{"no ID": "", "long ID": long} {
		r.ID = id
		if _, err := rc.Put(ctx, r); !errors.Is(err, relyingparty.ErrInvalidArgument) || !errors.Is(err, store.ErrInvalidArgument) {
			t.Errorf("Put(%s) error = %v, want relyingparty.ErrInvalidArgument and store.ErrInvalidArgument", name, err)
		}
	}
	if _, found, err := rc.Get(ctx, long); found || err != nil {
		t.Errorf("Get(long ID) = %v, %v; want not found, no error", found, err)
	}
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM trustid_relyingparty_consents`).Scan(&n); err != nil || n != 0 {
		t.Errorf("refused Puts stored %d rows (%v), want 0", n, err)
	}
}

// fleetIdentities gives the test person's identity for every decision.
type fleetIdentities struct{}

func (fleetIdentities) Identity(context.Context, verify.Decision) (relyingparty.Identity, error) {
	return relyingparty.Identity{Name: personName, IDNumber: personID}, nil
}

// TestRelyingPartyFleet runs package relyingparty's QR sign-in and consent withdrawal on
// two providers, each with its own pool, sharing one database: the wallet's answer reaches
// one server and the page's poll another, which still collects the redirect, once; a
// consent withdrawn on one server refuses the code on the other. With the in-memory
// hand-off store the first poll would wait for ever.
func TestRelyingPartyFleet(t *testing.T) {
	schema := newSchema(t)
	ctx := context.Background()
	now := func() time.Time { return journeyNow }
	signer, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var e *walletEnv
	providers := make([]*relyingparty.Provider, 2)
	for i := range providers {
		pool := newPool(t, schema)
		if err := Migrate(ctx, pool); err != nil {
			t.Fatal(err)
		}
		s, err := New(Config{Pool: pool, IndexKey: testIndexKey, Keys: testKeys})
		if err != nil {
			t.Fatal(err)
		}
		if e == nil {
			e = newWalletEnv(t, s, now) // only for its checker, which makes the decisions
		}
		consents, err := s.RelyingPartyConsentStore()
		if err != nil {
			t.Fatal(err)
		}
		handoffs, err := s.HandoffStore()
		if err != nil {
			t.Fatal(err)
		}
		decisions, err := verify.NewDecisionSealer(now, store.Key{ID: 1, Secret: bytes.Repeat([]byte{5}, 32)})
		if err != nil {
			t.Fatal(err)
		}
		providers[i], err = relyingparty.New(relyingparty.Config{Issuer: "https://id.example", Decisions: decisions,
			Clients: []relyingparty.Client{{ID: "bank", Name: "示例银行", Secret: bytes.Repeat([]byte("s"), 32),
				RedirectURIs: []string{"https://bank.example/cb"}, Claims: []relyingparty.Claim{relyingparty.ClaimName},
				Purposes: []string{"account opening"}}},
			Keys: []store.Key{{ID: 2, Secret: bytes.Repeat([]byte{2}, 32)}}, SigningKeys: []relyingparty.SigningKey{{ID: "k1", Key: signer}},
			PairwiseKey: bytes.Repeat([]byte{3}, 32), Replay: s, Consents: consents, Handoffs: handoffs, Identities: fleetIdentities{}, Now: now})
		if err != nil {
			t.Fatal(err)
		}
	}
	a, b := providers[0], providers[1]
	authorize := func(p *relyingparty.Provider) (relyingparty.Pending, string) {
		t.Helper()
		verifier := rand.Text() + rand.Text()
		sum := sha256.Sum256([]byte(verifier))
		r, err := relyingparty.ParseAuthorizationRequest(url.Values{"response_type": {"code"}, "client_id": {"bank"},
			"redirect_uri": {"https://bank.example/cb"}, "scope": {"openid name"}, "state": {rand.Text()}, "nonce": {rand.Text()},
			"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}})
		if err != nil {
			t.Fatal(err)
		}
		pending, err := p.Authorize(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return pending, verifier
	}
	exchange := func(p *relyingparty.Provider, code, verifier string) error {
		_, err := p.Exchange(ctx, relyingparty.TokenRequest{Code: code, RedirectURI: "https://bank.example/cb", CodeVerifier: verifier,
			ClientID: "bank", ClientSecret: strings.Repeat("s", 32)})
		return err
	}

	// QR sign-in: the page polls server a, the wallet answers on server b.
	pending, verifier := authorize(a)
	qr, err := a.QRChallenge(pending)
	if err != nil {
		t.Fatal(err)
	}
	if _, done, err := a.PollQR(ctx, pending.Token); done || err != nil {
		t.Fatalf("poll before the answer = %t, %v", done, err)
	}
	if _, err := b.AnswerQR(ctx, relyingparty.QRAnswer{Challenge: qr, Decision: e.decision(t), Consent: pending.Claims, Notice: "v1"}); err != nil {
		t.Fatalf("AnswerQR on the other server: %v", err)
	}
	approval, done, err := a.PollQR(ctx, pending.Token)
	if err != nil || !done {
		t.Fatalf("poll on the page's server after the answer on the other = %t, %v; want the redirect", done, err)
	}
	if _, done, err := b.PollQR(ctx, pending.Token); done || err != nil {
		t.Errorf("second poll, on the other server = %t, %v; want nothing (taken once)", done, err)
	}
	u, err := url.Parse(approval.RedirectURI)
	if err != nil {
		t.Fatal(err)
	}
	if err := exchange(b, u.Query().Get("code"), verifier); err != nil {
		t.Errorf("Exchange of the QR sign-in's code on the other server: %v", err)
	}

	// Consent withdrawn on server b refuses a code issued on server a.
	pending, verifier = authorize(a)
	ap, err := a.Approve(ctx, relyingparty.ApproveRequest{Request: pending.Token, Decision: e.decision(t), Consent: pending.Claims, Notice: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	if ap.Consent == "" {
		t.Fatal("no consent record for a sign-in that releases a claim")
	}
	if err := b.WithdrawConsent(ctx, ap.Consent); err != nil {
		t.Fatalf("WithdrawConsent on the other server: %v", err)
	}
	var rpErr *relyingparty.Error
	if err := exchange(a, ap.Code, verifier); !errors.As(err, &rpErr) || rpErr.Reason != relyingparty.ReasonConsentWithdrawn {
		t.Errorf("Exchange after the consent was withdrawn on the other server error = %v, want reason %s", err, relyingparty.ReasonConsentWithdrawn)
	}
}
