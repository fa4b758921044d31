package relyingparty_test

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

func TestAttackCodeReplay(t *testing.T) {
	e := newEnv(t, nil)
	f := e.authorize(t, "bank", bankURI, "openid")
	e.approve(t, f, e.decision(t, holderID, verify.LevelRealName))
	if _, err := e.p.Exchange(context.Background(), f.tokenRequest()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.p.Exchange(context.Background(), f.tokenRequest()); !errors.Is(err, store.ErrReplayed) {
		t.Errorf("second redemption: %v, want store.ErrReplayed", err)
	}
}

func TestAttackCodeOfAnotherClient(t *testing.T) {
	e := newEnv(t, nil)
	f := e.authorize(t, "bank-app", "http://127.0.0.1/app", "openid")
	e.approve(t, f, e.decision(t, holderID, verify.LevelRealName))
	// The ticketing site got hold of the bank app's code (and even its verifier).
	stolen := f.tokenRequest()
	stolen.ClientID, stolen.RedirectURI = "tickets", ticketURI
	if _, err := e.p.Exchange(context.Background(), stolen); !errors.Is(err, relyingparty.ErrGrantMismatch) {
		t.Errorf("code of another client: %v, want ErrGrantMismatch", err)
	}
	// The presentation used the code up: the rightful client is refused too (RFC 9700 §4.5).
	if _, err := e.p.Exchange(context.Background(), f.tokenRequest()); !errors.Is(err, store.ErrReplayed) {
		t.Errorf("rightful client after theft: %v, want store.ErrReplayed", err)
	}
}

func TestAttackClientAuthentication(t *testing.T) {
	e := newEnv(t, nil)
	for name, mod := range map[string]func(*relyingparty.TokenRequest){
		"wrong secret":   func(r *relyingparty.TokenRequest) { r.ClientSecret = string(bytes.Repeat([]byte("t"), 32)) },
		"no secret":      func(r *relyingparty.TokenRequest) { r.ClientSecret = "" },
		"unknown client": func(r *relyingparty.TokenRequest) { r.ClientID = "mallory" },
	} {
		t.Run(name, func(t *testing.T) {
			f := e.authorize(t, "bank", bankURI, "openid")
			e.approve(t, f, e.decision(t, holderID, verify.LevelRealName))
			r := f.tokenRequest()
			mod(&r)
			if _, err := e.p.Exchange(context.Background(), r); !errors.Is(err, relyingparty.ErrUnknownClient) {
				t.Errorf("Exchange: %v, want ErrUnknownClient", err)
			}
		})
	}
	t.Run("secret sent by a public client", func(t *testing.T) {
		f := e.authorize(t, "bank-app", "http://127.0.0.1/app", "openid")
		e.approve(t, f, e.decision(t, holderID, verify.LevelRealName))
		r := f.tokenRequest()
		r.ClientSecret = string(bankSecret)
		if _, err := e.p.Exchange(context.Background(), r); !errors.Is(err, relyingparty.ErrUnknownClient) {
			t.Errorf("Exchange: %v, want ErrUnknownClient", err)
		}
	})
}

func TestAttackRedirectURI(t *testing.T) {
	e := newEnv(t, nil)
	_, ch := pkce()
	for name, uri := range map[string]string{
		"one character":    "https://bank.example/callbacK",
		"path suffix":      bankURI + "/evil",
		"query added":      bankURI + "?next=evil",
		"scheme":           "http://bank.example/callback",
		"host suffix":      "https://bank.example.evil/callback",
		"userinfo":         "https://bank.example@evil.example/callback",
		"trailing slash":   bankURI + "/",
		"percent-encoding": "https://bank.example/%63allback",
		"other client's":   ticketURI,
	} {
		t.Run(name, func(t *testing.T) {
			r, err := relyingparty.ParseAuthorizationRequest(authRequest("bank", uri, ch, "openid"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.p.Authorize(context.Background(), r); !errors.Is(err, relyingparty.ErrRedirectMismatch) {
				t.Errorf("Authorize: %v, want ErrRedirectMismatch", err)
			}
			if _, ok := e.p.ErrorRedirect(r, "invalid_request"); ok {
				t.Error("ErrorRedirect offered to redirect to an unregistered URI")
			}
		})
	}
	t.Run("at the token endpoint", func(t *testing.T) {
		f := e.authorize(t, "bank", bankURI, "openid")
		e.approve(t, f, e.decision(t, holderID, verify.LevelRealName))
		r := f.tokenRequest()
		r.RedirectURI = bankURI + "/"
		if _, err := e.p.Exchange(context.Background(), r); !errors.Is(err, relyingparty.ErrGrantMismatch) {
			t.Errorf("Exchange: %v, want ErrGrantMismatch", err)
		}
	})
}

func TestAttackPKCE(t *testing.T) {
	e := newEnv(t, nil)
	_, ch := pkce()
	for name, mod := range map[string]func(url.Values){
		"missing challenge": func(q url.Values) { q.Del("code_challenge"); q.Del("code_challenge_method") },
		"missing method":    func(q url.Values) { q.Del("code_challenge_method") },
		"plain":             func(q url.Values) { q.Set("code_challenge_method", "plain") },
		"short challenge":   func(q url.Values) { q.Set("code_challenge", ch[:42]) },
	} {
		t.Run(name, func(t *testing.T) {
			q := authRequest("bank", bankURI, ch, "openid")
			mod(q)
			if _, err := relyingparty.ParseAuthorizationRequest(q); !errors.Is(err, relyingparty.ErrInvalidArgument) {
				t.Errorf("Parse: %v, want ErrInvalidArgument", err)
			}
		})
	}
	t.Run("wrong verifier", func(t *testing.T) {
		f := e.authorize(t, "bank", bankURI, "openid")
		e.approve(t, f, e.decision(t, holderID, verify.LevelRealName))
		r := f.tokenRequest()
		r.CodeVerifier, _ = pkce()
		if _, err := e.p.Exchange(context.Background(), r); !errors.Is(err, relyingparty.ErrGrantMismatch) {
			t.Errorf("Exchange: %v, want ErrGrantMismatch", err)
		}
	})
	t.Run("verifier missing from the token request", func(t *testing.T) {
		form := url.Values{"grant_type": {"authorization_code"}, "code": {"x"}, "redirect_uri": {bankURI}, "client_id": {"bank"}}
		if _, err := relyingparty.ParseTokenRequest(form); !errors.Is(err, relyingparty.ErrGrantMismatch) {
			t.Errorf("ParseTokenRequest: %v, want ErrGrantMismatch", err)
		}
	})
}

func TestAttackNonceReplay(t *testing.T) {
	e := newEnv(t, nil)
	d := e.decision(t, holderID, verify.LevelRealName)
	v, ch := pkce()
	q := authRequest("bank", bankURI, ch, "openid")
	first, _ := relyingparty.ParseAuthorizationRequest(q)
	p1, err := e.p.Authorize(context.Background(), first)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.p.Approve(context.Background(), relyingparty.ApproveRequest{Request: p1.Token, Decision: d.Token}); err != nil {
		t.Fatal(err)
	}
	// The same request again (its nonce with it) is accepted by Authorize, refused at approval.
	p2, err := e.p.Authorize(context.Background(), first)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.p.Approve(context.Background(), relyingparty.ApproveRequest{Request: p2.Token, Decision: d.Token}); !errors.Is(err, store.ErrReplayed) {
		t.Errorf("second approval with one nonce: %v, want store.ErrReplayed", err)
	}
	// And one request token approves once.
	if _, err := e.p.Approve(context.Background(), relyingparty.ApproveRequest{Request: p1.Token, Decision: d.Token}); !errors.Is(err, store.ErrReplayed) {
		t.Errorf("second approval of one request: %v, want store.ErrReplayed", err)
	}
	_ = v
}

func TestAttackConsent(t *testing.T) {
	e := newEnv(t, nil)
	d := e.decision(t, holderID, verify.LevelRealName)
	for name, consent := range map[string][]relyingparty.Claim{
		"more claims than asked":  {relyingparty.ClaimName, relyingparty.ClaimIDNumber},
		"fewer claims than asked": nil,
		"other claims":            {relyingparty.ClaimIDNumber},
	} {
		t.Run(name, func(t *testing.T) {
			f := e.authorize(t, "bank", bankURI, "openid name")
			_, err := e.p.Approve(context.Background(), relyingparty.ApproveRequest{Request: f.pending.Token, Decision: d.Token,
				Consent: consent, Notice: "v1"})
			if !errors.Is(err, relyingparty.ErrAccessDenied) {
				t.Errorf("Approve: %v, want ErrAccessDenied", err)
			}
		})
	}
	t.Run("claim the client is not registered for", func(t *testing.T) {
		_, ch := pkce()
		r, err := relyingparty.ParseAuthorizationRequest(authRequest("tickets", ticketURI, ch, "openid name"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.p.Authorize(context.Background(), r); !errors.Is(err, relyingparty.ErrNotPermitted) {
			t.Errorf("Authorize: %v, want ErrNotPermitted", err)
		}
	})
	t.Run("consent record of another relying party", func(t *testing.T) {
		// A consent store that answers every lookup with the bank's record: the code of
		// the ticketing site must not release under it.
		cs := &swapStore{MemoryConsentStore: relyingparty.NewMemoryConsentStore()}
		e := newEnv(t, func(c *relyingparty.Config) { c.Consents = cs })
		d := e.decision(t, holderID, verify.LevelRealPerson)
		bank := e.authorize(t, "bank", bankURI, "openid name")
		e.approve(t, bank, d)
		cs.fixed = bank.approval.Consent
		tick := e.authorize(t, "tickets", ticketURI, "openid age_over_18")
		e.approve(t, tick, d)
		if _, err := e.p.Exchange(context.Background(), tick.tokenRequest()); !errors.Is(err, relyingparty.ErrAccessDenied) {
			t.Errorf("Exchange under another client's consent: %v, want ErrAccessDenied", err)
		}
	})
	t.Run("identity of another person", func(t *testing.T) {
		f := e.authorize(t, "bank", bankURI, "openid name")
		e.approve(t, f, d)
		e.ids[d.CheckID] = relyingparty.Identity{Name: otherName, IDNumber: otherID}
		if _, err := e.p.Exchange(context.Background(), f.tokenRequest()); !errors.Is(err, relyingparty.ErrUnavailable) {
			t.Errorf("Exchange: %v, want ErrUnavailable", err)
		}
	})
}

// swapStore returns the record fixed for every lookup once fixed is set.
type swapStore struct {
	*relyingparty.MemoryConsentStore
	fixed string
}

func (s *swapStore) Get(ctx context.Context, id string) (relyingparty.ConsentRecord, bool, error) {
	if s.fixed != "" {
		id = s.fixed
	}
	return s.MemoryConsentStore.Get(ctx, id)
}

func TestAttackDecision(t *testing.T) {
	e := newEnv(t, nil)
	approve := func(d verify.Decision, client, uri string) error {
		f := e.authorize(t, client, uri, "openid")
		_, err := e.p.Approve(context.Background(), relyingparty.ApproveRequest{Request: f.pending.Token, Decision: d.Token})
		return err
	}
	t.Run("too old", func(t *testing.T) {
		d := e.decision(t, holderID, verify.LevelRealName)
		e.clock.t = testNow.Add(relyingparty.DefaultMaxDecisionAge + time.Second)
		defer func() { e.clock.t = testNow }()
		if err := approve(d, "bank", bankURI); !errors.Is(err, relyingparty.ErrExpired) {
			t.Errorf("Approve: %v, want ErrExpired", err)
		}
	})
	t.Run("stale between approval and redemption", func(t *testing.T) {
		d := e.decision(t, holderID, verify.LevelRealPerson)
		f := e.authorize(t, "tickets", ticketURI, "openid")
		e.clock.t = d.ValidUntil.Add(-time.Second)
		defer func() { e.clock.t = testNow }()
		e.approve(t, f, d)
		e.clock.t = d.ValidUntil
		if _, err := e.p.Exchange(context.Background(), f.tokenRequest()); !errors.Is(err, relyingparty.ErrExpired) {
			t.Errorf("Exchange: %v, want ErrExpired", err)
		}
	})
	t.Run("forged under another key", func(t *testing.T) {
		d := decide(t, e.clock.now, holderID, verify.LevelRealName, store.Key{ID: 1, Secret: bytes.Repeat([]byte{9}, 32)})
		if err := approve(d, "bank", bankURI); !errors.Is(err, relyingparty.ErrNotAuthentic) {
			t.Errorf("Approve: %v, want ErrNotAuthentic", err)
		}
	})
	t.Run("edited", func(t *testing.T) {
		d := e.decision(t, holderID, verify.LevelRealName)
		b := []byte(d.Token)
		b[len(b)/2] ^= 1
		d.Token = string(b)
		if err := approve(d, "bank", bankURI); !errors.Is(err, relyingparty.ErrNotAuthentic) {
			t.Errorf("Approve: %v, want ErrNotAuthentic", err)
		}
	})
	t.Run("below the client's level", func(t *testing.T) {
		d := e.decision(t, holderID, verify.LevelRealName)
		if err := approve(d, "tickets", ticketURI); !errors.Is(err, relyingparty.ErrAccessDenied) {
			t.Errorf("Approve: %v, want ErrAccessDenied", err)
		}
	})
	t.Run("older than max_age", func(t *testing.T) {
		d := e.decision(t, holderID, verify.LevelRealName)
		e.clock.t = testNow.Add(2 * time.Minute)
		defer func() { e.clock.t = testNow }()
		_, ch := pkce()
		q := authRequest("bank", bankURI, ch, "openid")
		q.Set("max_age", "60")
		r, err := relyingparty.ParseAuthorizationRequest(q)
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.p.Authorize(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.p.Approve(context.Background(), relyingparty.ApproveRequest{Request: p.Token, Decision: d.Token}); !errors.Is(err, relyingparty.ErrExpired) {
			t.Errorf("Approve: %v, want ErrExpired", err)
		}
	})
}

func TestAttackTokensOfOneKindAsAnother(t *testing.T) {
	e := newEnv(t, nil)
	d := e.decision(t, holderID, verify.LevelRealName)
	f := e.authorize(t, "bank", bankURI, "openid")
	// A request token presented as a code, a decision token as a request.
	r := f.tokenRequest()
	r.Code = f.pending.Token
	if _, err := e.p.Exchange(context.Background(), r); !errors.Is(err, relyingparty.ErrNotAuthentic) {
		t.Errorf("request token as code: %v, want ErrNotAuthentic", err)
	}
	if _, err := e.p.Approve(context.Background(), relyingparty.ApproveRequest{Request: d.Token, Decision: d.Token}); !errors.Is(err, relyingparty.ErrNotAuthentic) {
		t.Errorf("decision token as request: %v, want ErrNotAuthentic", err)
	}
	// An expired code.
	e.approve(t, f, d)
	e.clock.t = testNow.Add(relyingparty.DefaultCodeLifetime)
	defer func() { e.clock.t = testNow }()
	if _, err := e.p.Exchange(context.Background(), f.tokenRequest()); !errors.Is(err, relyingparty.ErrExpired) {
		t.Errorf("expired code: %v, want ErrExpired", err)
	}
}

func TestAttackSubjectCorrelation(t *testing.T) {
	// Two colluding sites in different sectors compare what they received for one person
	// signing in with one decision: nothing in the ID tokens but the times may be equal.
	e := newEnv(t, nil)
	d := e.decision(t, holderID, verify.LevelRealPerson)
	bank := e.signIn(t, "bank", bankURI, "openid", d)
	tick := e.signIn(t, "tickets", ticketURI, "openid", d)
	vp := func(c map[string]any) any {
		return c["verified_claims"].(map[string]any)["verification"].(map[string]any)["verification_process"]
	}
	if bank["sub"] == tick["sub"] || vp(bank) == vp(tick) {
		t.Errorf("linkable across sectors: sub %v/%v, process %v/%v", bank["sub"], tick["sub"], vp(bank), vp(tick))
	}
	// Without the pairwise key, the subject is not recomputable from what a site knows:
	// another provider with another key gives another subject for the same decision.
	other := newEnv(t, func(c *relyingparty.Config) { c.PairwiseKey = bytes.Repeat([]byte{8}, 32) })
	if got := other.signIn(t, "bank", bankURI, "openid", other.decision(t, holderID, verify.LevelRealName)); got["sub"] == bank["sub"] {
		t.Error("the subject does not depend on the pairwise key")
	}
}

func TestFreshDecisionRequired(t *testing.T) {
	for _, param := range []url.Values{{"max_age": {"0"}}, {"prompt": {"login"}}} {
		e := newEnv(t, nil)
		old := e.decision(t, holderID, verify.LevelRealName)
		e.clock.t = testNow.Add(time.Second)
		_, ch := pkce()
		q := authRequest("bank", bankURI, ch, "openid")
		for k, v := range param {
			q[k] = v
		}
		r, err := relyingparty.ParseAuthorizationRequest(q)
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.p.Authorize(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.p.Approve(context.Background(), relyingparty.ApproveRequest{Request: p.Token, Decision: old.Token}); !errors.Is(err, relyingparty.ErrExpired) {
			t.Errorf("%v with a decision from before the request: %v, want ErrExpired", param, err)
		}
		e.clock.t = testNow.Add(2 * time.Second)
		fresh := e.decision(t, holderID, verify.LevelRealName)
		if _, err := e.p.Approve(context.Background(), relyingparty.ApproveRequest{Request: p.Token, Decision: fresh.Token}); err != nil {
			t.Errorf("%v with a fresh decision: %v", param, err)
		}
	}
}

func TestPromptNoneRefused(t *testing.T) {
	_, ch := pkce()
	q := authRequest("bank", bankURI, ch, "openid")
	q.Set("prompt", "none")
	if _, err := relyingparty.ParseAuthorizationRequest(q); !errors.Is(err, relyingparty.ErrNotPermitted) {
		t.Errorf("prompt=none: %v, want ErrNotPermitted", err)
	}
}

func TestClaimsWithoutIdentitySourceRefused(t *testing.T) {
	e := newEnv(t, func(c *relyingparty.Config) { c.Identities = nil })
	_, ch := pkce()
	r, err := relyingparty.ParseAuthorizationRequest(authRequest("bank", bankURI, ch, "openid name"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.p.Authorize(context.Background(), r); !errors.Is(err, relyingparty.ErrNotPermitted) {
		t.Errorf("Authorize: %v, want ErrNotPermitted", err)
	}
}

// Deciding again on old sealed evidence (document and liveness results are not single use)
// makes a new decision, not a new authentication: prompt=login and max_age measure the
// evidence, and auth_time reports it.
func TestAttackFreshnessByDecidingOldEvidenceAgain(t *testing.T) {
	for _, param := range []url.Values{{"prompt": {"login"}}, {"max_age": {"0"}}, {"max_age": {"300"}}} {
		e := newEnv(t, nil)
		chk, err := verify.New(verify.Config{Registry: registry{map[string]string{holderID: testName}}, Now: e.clock.now,
			SubjectKey: subjectKey, Keys: []store.Key{decisionKey}, Policy: verify.Policy{Required: verify.LevelRealPerson}})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		evidenceAt := e.clock.t
		doc, err := chk.CheckDocument(ctx, verify.Claim{Kind: verify.KindIDCard, Number: holderID, Name: testName})
		if err != nil {
			t.Fatal(err)
		}
		docTok, err := chk.SealDocument(doc)
		if err != nil {
			t.Fatal(err)
		}
		face := faceCheck{doc.Subject, doc.CheckID, doc.PhotoRef, evidenceAt}

		e.clock.t = evidenceAt.Add(8 * time.Minute)
		_, ch := pkce()
		q := authRequest("tickets", ticketURI, ch, "openid")
		for k, val := range param {
			q[k] = val
		}
		ar, err := relyingparty.ParseAuthorizationRequest(q)
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.p.Authorize(ctx, ar)
		if err != nil {
			t.Fatal(err)
		}
		e.clock.t = e.clock.t.Add(time.Second)
		doc2, err := chk.OpenDocument(docTok)
		if err != nil {
			t.Fatal(err)
		}
		again := chk.Decide(doc2, face, nil)
		if again.Outcome != verify.OutcomePass || !again.DecidedAt.After(evidenceAt.Add(8*time.Minute)) {
			t.Fatalf("test setup: the new decision is not a pass made after the request")
		}
		if _, err := e.p.Approve(ctx, relyingparty.ApproveRequest{Request: p.Token, Decision: again.Token}); !errors.Is(err, relyingparty.ErrExpired) {
			t.Errorf("%v with old evidence decided again: %v, want ErrExpired", param, err)
		}

		// Without freshness asked for, the sign-in goes through and auth_time is when the
		// evidence was completed, not when the decision was made.
		c := e.signIn(t, "tickets", ticketURI, "openid", again)
		if got, want := c["auth_time"], float64(evidenceAt.Unix()); got != want {
			t.Errorf("auth_time = %v, want the evidence's completion %v", got, want)
		}
	}
}

// Unrelated native apps registered with loopback redirect URIs (RFC 8252), and no Sector,
// must not share a sector: any app on a device can listen on 127.0.0.1.
func TestAttackLoopbackClientsDoNotShareSubjects(t *testing.T) {
	e := newEnv(t, func(c *relyingparty.Config) {
		c.Clients = append(c.Clients,
			relyingparty.Client{ID: "dating-app", Name: "Dating", RedirectURIs: []string{"http://127.0.0.1:51000/cb"}, Purposes: []string{"sign-in"}},
			relyingparty.Client{ID: "loan-app", Name: "Loans", RedirectURIs: []string{"http://127.0.0.1:62000/oauth"}, Purposes: []string{"sign-in"}},
			relyingparty.Client{ID: "chat-app", Name: "Chat", RedirectURIs: []string{"http://[::1]:7000/cb"}, Purposes: []string{"sign-in"}},
			relyingparty.Client{ID: "web-a", Name: "A", RedirectURIs: []string{"https://Shop.Example/cb"}, Purposes: []string{"sign-in"}},
			relyingparty.Client{ID: "web-b", Name: "B", RedirectURIs: []string{"https://shop.example/other"}, Purposes: []string{"sign-in"}},
			relyingparty.Client{ID: "native-https", Name: "N", RedirectURIs: []string{"https://localhost:8443/cb"}, Purposes: []string{"sign-in"}})
	})
	d := e.decision(t, holderID, verify.LevelRealName)
	subs := map[string]any{}
	for _, c := range []struct{ id, redirect string }{
		{"dating-app", "http://127.0.0.1:51000/cb"}, {"loan-app", "http://127.0.0.1:62000/oauth"},
		{"chat-app", "http://[::1]:7000/cb"}, {"native-https", "https://localhost:8443/cb"},
	} {
		sub := e.signIn(t, c.id, c.redirect, "openid", d)["sub"]
		for other, s := range subs {
			if s == sub {
				t.Errorf("unrelated loopback clients %s and %s share the subject", other, c.id)
			}
		}
		subs[c.id] = sub
	}
	// A client with a registered https host keeps the host as its sector, lower-cased.
	a := e.signIn(t, "web-a", "https://Shop.Example/cb", "openid", d)["sub"]
	b := e.signIn(t, "web-b", "https://shop.example/other", "openid", d)["sub"]
	if a != b {
		t.Errorf("clients on one host (differing in case) got subjects %v and %v", a, b)
	}
	// An explicit sector still joins a loopback client to its site.
	bank := e.signIn(t, "bank", bankURI, "openid", d)["sub"]
	if app := e.signIn(t, "bank-app", "http://127.0.0.1/app", "openid", d)["sub"]; app != bank {
		t.Errorf("bank-app with Sector bank.example: subject %v, want the bank's %v", app, bank)
	}
}

// The list of supported claims is a copy: an importer that changes it changes neither the
// list nor what requests may ask for.
func TestAttackClaimsListIsACopy(t *testing.T) {
	want := []relyingparty.Claim{relyingparty.ClaimName, relyingparty.ClaimIDNumber, relyingparty.ClaimBirthdate, relyingparty.ClaimAgeOver18}
	got := relyingparty.Claims()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Claims() (-want +got):\n%s", diff)
	}
	got[1] = "home_address"
	if diff := cmp.Diff(want, relyingparty.Claims()); diff != "" {
		t.Errorf("Claims() after changing a returned slice (-want +got):\n%s", diff)
	}
	_, ch := pkce()
	if _, err := relyingparty.ParseAuthorizationRequest(authRequest("bank", bankURI, ch, "openid home_address")); !errors.Is(err, relyingparty.ErrNotPermitted) {
		t.Errorf("scope home_address: %v, want ErrNotPermitted", err)
	}
	if _, err := relyingparty.ParseAuthorizationRequest(authRequest("bank", bankURI, ch, "openid id_number")); err != nil {
		t.Errorf("scope id_number: %v", err)
	}
}
