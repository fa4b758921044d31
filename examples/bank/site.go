package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// site is a relying party: an ordinary OpenID Connect client, written as any site would
// write it with go-oidc and x/oauth2. Nothing in it is specific to trustid except the
// claim names it asks for.
type site struct {
	name     string
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	mux      *http.ServeMux

	mu     sync.Mutex
	logins map[string]login // by state
}

// login is what the site keeps between sending the person away and their return.
type login struct {
	nonce, verifier string
	expires         time.Time
}

// received is what the site learned about the person.
type received struct {
	Subject  string         `json:"sub"`
	Level    string         `json:"level"`
	Evidence []string       `json:"evidence"`
	Claims   map[string]any `json:"claims"`
}

func newSite(ctx context.Context, name, issuer, clientID, secret, base string) (*site, error) {
	p, err := oidc.NewProvider(ctx, issuer) // discovery: endpoints, JWKS, algorithms
	if err != nil {
		return nil, err
	}
	s := &site{name: name, logins: map[string]login{}, mux: http.NewServeMux(),
		oauth:    oauth2.Config{ClientID: clientID, ClientSecret: secret, Endpoint: p.Endpoint(), RedirectURL: base + "/callback", Scopes: []string{oidc.ScopeOpenID}},
		verifier: p.Verifier(&oidc.Config{ClientID: clientID})}
	s.mux.HandleFunc("GET /login", s.login)
	s.mux.HandleFunc("GET /callback", s.callback)
	return s, nil
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// login sends the person to the provider. ?claims= lists what to ask for beyond the
// result, as scope values ("name id_number").
func (s *site) login(w http.ResponseWriter, r *http.Request) {
	state, nonce, v := rand.Text(), rand.Text(), oauth2.GenerateVerifier()
	s.mu.Lock()
	s.logins[state] = login{nonce, v, time.Now().Add(10 * time.Minute)}
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "login", Value: state, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 600})
	cfg := s.oauth
	cfg.Scopes = append([]string{oidc.ScopeOpenID}, strings.Fields(r.URL.Query().Get("claims"))...)
	http.Redirect(w, r, cfg.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(v)), http.StatusFound)
}

// errNoLogin: a callback without a login this browser started (or a second use of one).
var errNoLogin = errors.New("no login in progress")

// callback takes the code back, redeems it, and verifies the ID token: signature against
// the provider's JWKS, issuer, audience, expiry, and the nonce this login sent.
func (s *site) callback(w http.ResponseWriter, r *http.Request) {
	got, err := s.finish(r)
	if err != nil {
		http.Error(w, "sign-in failed", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	page.Execute(w, struct {
		Site string
		JSON string
	}{s.name, mustJSON(got)})
}

func (s *site) finish(r *http.Request) (received, error) {
	q := r.URL.Query()
	c, err := r.Cookie("login")
	if err != nil || subtle.ConstantTimeCompare([]byte(c.Value), []byte(q.Get("state"))) != 1 {
		return received{}, errNoLogin
	}
	s.mu.Lock()
	l, ok := s.logins[c.Value]
	delete(s.logins, c.Value) // single use: a replayed callback finds nothing
	s.mu.Unlock()
	if !ok || time.Now().After(l.expires) {
		return received{}, errNoLogin
	}
	if q.Get("error") != "" {
		return received{}, errors.New("provider refused: " + q.Get("error"))
	}
	tok, err := s.oauth.Exchange(r.Context(), q.Get("code"), oauth2.VerifierOption(l.verifier))
	if err != nil {
		return received{}, err
	}
	raw, _ := tok.Extra("id_token").(string)
	return s.verify(r.Context(), raw, l.nonce)
}

// verify checks an ID token for this site and a login's nonce.
func (s *site) verify(ctx context.Context, raw, nonce string) (received, error) {
	idt, err := s.verifier.Verify(ctx, raw)
	if err != nil {
		return received{}, err
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return received{}, errors.New("nonce mismatch")
	}
	var c struct {
		VerifiedClaims struct {
			Verification struct {
				AssuranceLevel string `json:"assurance_level"`
				Evidence       []struct {
					CheckDetails []struct {
						CheckMethod string `json:"check_method"`
					} `json:"check_details"`
				} `json:"evidence"`
			} `json:"verification"`
			Claims map[string]any `json:"claims"`
		} `json:"verified_claims"`
	}
	if err := idt.Claims(&c); err != nil {
		return received{}, err
	}
	got := received{Subject: idt.Subject, Level: c.VerifiedClaims.Verification.AssuranceLevel, Claims: c.VerifiedClaims.Claims}
	for _, e := range c.VerifiedClaims.Verification.Evidence {
		for _, d := range e.CheckDetails {
			got.Evidence = append(got.Evidence, d.CheckMethod)
		}
	}
	return got, nil
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

var page = template.Must(template.New("page").Parse(`<!doctype html><meta charset="utf-8"><title>{{.Site}}</title>
<h1>{{.Site}}: signed in</h1><p>What we received from trustid:</p><pre id="received">{{.JSON}}</pre>
`))
