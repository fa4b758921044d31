package relyingparty_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
)

// Test data. The ID numbers are synthetic (99x sequence codes, check characters computed
// by idcard.CheckChar); none names a real person.
var (
	testNow   = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	holderID  = withCheck("11010519900307995")
	otherID   = withCheck("31010419851122996")
	testName  = "王小明"
	otherName = "李娜"
)

func withCheck(first17 string) string {
	c, err := idcard.CheckChar(first17)
	if err != nil {
		panic(err)
	}
	return first17 + string(c)
}

var (
	decisionKey = store.Key{ID: 1, Secret: bytes.Repeat([]byte{1}, 32)}
	sealKey     = store.Key{ID: 2, Secret: bytes.Repeat([]byte{2}, 32)}
	pairwiseKey = bytes.Repeat([]byte{3}, 32)
	subjectKey  = bytes.Repeat([]byte{4}, 32)
)

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

type registry struct{ names map[string]string }

func (r registry) Lookup(_ context.Context, k verify.CredentialKind, number string) (*verify.Record, error) {
	return &verify.Record{Kind: k, Number: number, Name: r.names[number], Status: verify.StatusValid,
		ValidFrom: verify.Date{Year: 2020, Month: 1, Day: 1}, LongTerm: true, PhotoRef: "photo:registry"}, nil
}

type faceCheck struct {
	subject, check, photo string
	at                    time.Time
}

func (f faceCheck) Subject() string        { return f.subject }
func (f faceCheck) CheckID() string        { return f.check }
func (f faceCheck) PhotoRef() string       { return f.photo }
func (f faceCheck) CompletedAt() time.Time { return f.at }
func (f faceCheck) LivenessPassed() bool   { return true }
func (f faceCheck) FaceMatchPassed() bool  { return true }

// decide runs a real document check of number (and a passing real-person check when level
// asks for it) at now and returns the sealed decision, made under key.
func decide(t testing.TB, now func() time.Time, number string, level verify.Level, key store.Key) verify.Decision {
	t.Helper()
	c, err := verify.New(verify.Config{Registry: registry{map[string]string{holderID: testName, otherID: otherName}}, Now: now,
		SubjectKey: subjectKey, Keys: []store.Key{key}, Policy: verify.Policy{Required: verify.LevelRealName}})
	if err != nil {
		t.Fatal(err)
	}
	name := testName
	if number == otherID {
		name = otherName
	}
	doc, err := c.CheckDocument(context.Background(), verify.Claim{Kind: verify.KindIDCard, Number: number, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	var rp verify.RealPersonEvidence
	if level >= verify.LevelRealPerson {
		rp = faceCheck{doc.Subject, doc.CheckID, doc.PhotoRef, doc.CheckedAt}
	}
	d := c.Decide(doc, rp, nil)
	if d.Token == "" || d.Outcome != verify.OutcomePass {
		t.Fatalf("test decision %v: %v", d.Outcome, d.Reasons)
	}
	return d
}

// identities is the host's record of who each decision is about, keyed by the decision's
// check ID (what a host keeps from its document check).
type identities map[string]relyingparty.Identity

func (m identities) Identity(_ context.Context, d verify.Decision) (relyingparty.Identity, error) {
	id, ok := m[d.CheckID]
	if !ok {
		return id, errors.New("no record")
	}
	return id, nil
}

const (
	bankURI   = "https://bank.example/callback"
	ticketURI = "https://tickets.example/cb"
)

var bankSecret = bytes.Repeat([]byte("s"), 32)

func clients() []relyingparty.Client {
	return []relyingparty.Client{
		{ID: "bank", Name: "示例银行", Secret: bankSecret, RedirectURIs: []string{bankURI},
			Claims: []relyingparty.Claim{relyingparty.ClaimName, relyingparty.ClaimIDNumber}, Purposes: []string{"account opening (AML)"}},
		{ID: "bank-app", Name: "示例银行 App", RedirectURIs: []string{"http://127.0.0.1/app"}, Sector: "bank.example",
			Purposes: []string{"sign-in"}},
		{ID: "tickets", Name: "票务", RedirectURIs: []string{ticketURI}, Claims: []relyingparty.Claim{relyingparty.ClaimAgeOver18},
			Purposes: []string{"ticket holder check"}, MinLevel: verify.LevelRealPerson},
	}
}

type env struct {
	clock  *clock
	p      *relyingparty.Provider
	ids    identities
	signer *ecdsa.PrivateKey
	cfg    relyingparty.Config
}

func newEnv(t testing.TB, mod func(*relyingparty.Config)) *env {
	t.Helper()
	c := &clock{testNow}
	sealer, err := verify.NewDecisionSealer(c.now, decisionKey)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{clock: c, ids: identities{}, signer: k}
	e.cfg = relyingparty.Config{Issuer: "https://id.example", Clients: clients(), Decisions: sealer,
		Keys: []store.Key{sealKey}, SigningKeys: []relyingparty.SigningKey{{ID: "k1", Key: k}}, PairwiseKey: pairwiseKey,
		Identities: e.ids, Now: c.now}
	if mod != nil {
		mod(&e.cfg)
	}
	if e.p, err = relyingparty.New(e.cfg); err != nil {
		t.Fatal(err)
	}
	return e
}

// decision makes a passing decision about number at the env's current time, and records
// the identity behind it in the host's records.
func (e *env) decision(t testing.TB, number string, level verify.Level) verify.Decision {
	t.Helper()
	d := decide(t, e.clock.now, number, level, decisionKey)
	name := testName
	if number == otherID {
		name = otherName
	}
	e.ids[d.CheckID] = relyingparty.Identity{Name: name, IDNumber: number, BirthDate: verify.Date{Year: 1990, Month: 3, Day: 7}}
	return d
}

// pkce returns a fresh verifier and its S256 challenge.
func pkce() (verifier, challenge string) {
	verifier = rand.Text() + rand.Text()
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// authRequest is a valid authorisation request query for client at redirect.
func authRequest(client, redirect, challenge, scope string) url.Values {
	return url.Values{"response_type": {"code"}, "client_id": {client}, "redirect_uri": {redirect},
		"scope": {scope}, "state": {rand.Text()}, "nonce": {rand.Text()},
		"code_challenge": {challenge}, "code_challenge_method": {"S256"}}
}

// flow is one sign-in in progress.
type flow struct {
	client, redirect, verifier, secret string
	pending                            relyingparty.Pending
	approval                           relyingparty.Approval
	nonce                              string
}

// authorize parses and authorises a request for client with scope.
func (e *env) authorize(t testing.TB, client, redirect, scope string) *flow {
	t.Helper()
	v, ch := pkce()
	q := authRequest(client, redirect, ch, scope)
	r, err := relyingparty.ParseAuthorizationRequest(q)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.p.Authorize(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	f := &flow{client: client, redirect: redirect, verifier: v, pending: p, nonce: q.Get("nonce")}
	if client == "bank" {
		f.secret = string(bankSecret)
	}
	return f
}

// approve approves f with the decision and the consent it asked for.
func (e *env) approve(t testing.TB, f *flow, d verify.Decision) {
	t.Helper()
	a, err := e.p.Approve(context.Background(), relyingparty.ApproveRequest{Request: f.pending.Token, Decision: d.Token,
		Consent: f.pending.Claims, Notice: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	f.approval = a
}

func (f *flow) tokenRequest() relyingparty.TokenRequest {
	return relyingparty.TokenRequest{Code: f.approval.Code, RedirectURI: f.redirect, CodeVerifier: f.verifier,
		ClientID: f.client, ClientSecret: f.secret}
}

// signIn runs a whole flow and returns the ID token's claims.
func (e *env) signIn(t testing.TB, client, redirect, scope string, d verify.Decision) map[string]any {
	t.Helper()
	f := e.authorize(t, client, redirect, scope)
	e.approve(t, f, d)
	resp, err := e.p.Exchange(context.Background(), f.tokenRequest())
	if err != nil {
		t.Fatal(err)
	}
	return e.verifyToken(t, resp.IDToken)
}

// verifyToken checks the ID token's signature against the provider's JWKS and returns its
// claims.
func (e *env) verifyToken(t testing.TB, tok string) map[string]any {
	t.Helper()
	var set jose.JSONWebKeySet
	b, err := e.p.JWKS()
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &set); err != nil {
		t.Fatal(err)
	}
	jws, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.ES256, jose.EdDSA})
	if err != nil {
		t.Fatal(err)
	}
	keys := set.Key(jws.Signatures[0].Header.KeyID)
	if len(keys) != 1 {
		t.Fatalf("JWKS has %d keys for the token's kid", len(keys))
	}
	payload, err := jws.Verify(keys[0])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	return claims
}

var _ = ed25519.GenerateKey
