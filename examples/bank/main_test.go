package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "no identity data"); n != 2 {
		t.Errorf("%d result-only sign-ins in the output, want 2:\n%s", n, out.String())
	}
}

func newTestDemo(t *testing.T) (*demo, string) {
	t.Helper()
	d, err := newDemo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	tok, err := d.Decide(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d, tok
}

// TestSignIn drives the whole flow over HTTP: site -> provider page -> the person's
// consent -> site callback -> token endpoint -> ID token verified by go-oidc.
func TestSignIn(t *testing.T) {
	d, tok := newTestDemo(t)
	ctx := context.Background()
	resultOnly, err := signIn(ctx, d.Bank.URL, "", tok, true)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(received{Subject: resultOnly.Subject, Level: "real-name", Evidence: []string{"data"}, Claims: map[string]any{}}, resultOnly); diff != "" {
		t.Errorf("result-only sign-in mismatch (-want +got):\n%s", diff)
	}
	opening, err := signIn(ctx, d.Bank.URL, "name id_number", tok, true)
	if err != nil {
		t.Fatal(err)
	}
	want := received{Subject: resultOnly.Subject, Level: "real-name", Evidence: []string{"data"},
		Claims: map[string]any{"name": d.person.Name, "id_number": d.person.Number}}
	if diff := cmp.Diff(want, opening); diff != "" {
		t.Errorf("account-opening sign-in mismatch (-want +got):\n%s", diff)
	}
	tickets, err := signIn(ctx, d.Tickets.URL, "", tok, true)
	if err != nil {
		t.Fatal(err)
	}
	if tickets.Subject == resultOnly.Subject || len(tickets.Subject) != 43 {
		t.Errorf("ticketing got subject %q, bank %q: want another pairwise subject", tickets.Subject, resultOnly.Subject)
	}
}

func TestSignInWithoutConsentReleasesNothing(t *testing.T) {
	d, tok := newTestDemo(t)
	if got, err := signIn(context.Background(), d.Bank.URL, "name id_number", tok, false); err == nil {
		t.Errorf("sign-in without consent succeeded: %v", got.Claims)
	}
}

func TestClaimNotRegisteredIsRefused(t *testing.T) {
	d, tok := newTestDemo(t)
	if got, err := signIn(context.Background(), d.Tickets.URL, "id_number", tok, true); err == nil {
		t.Errorf("ticketing received %v", got.Claims)
	}
}

// rawFlow runs the authorisation endpoint by hand for a client, stopping at the redirect
// back, and returns the code, the PKCE verifier and the nonce.
func rawFlow(t *testing.T, d *demo, cfg oauth2.Config, decision string) (code, verifier, nonce string) {
	t.Helper()
	verifier, nonce = oauth2.GenerateVerifier(), rand.Text()
	b := browser()
	b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := b.Get(cfg.AuthCodeURL(rand.Text(), oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := reRequest.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no consent page: %s", resp.Status)
	}
	form := url.Values{"request": {string(m[1])}, "decision": {decision}, "notice": {"v1"}}
	resp, err = b.PostForm(d.Provider.URL+"/authorize/approve", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("approval did not redirect: %s", resp.Status)
	}
	return loc.Query().Get("code"), verifier, nonce
}

func idToken(t *testing.T, tok *oauth2.Token) string {
	t.Helper()
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		t.Fatal("no id_token")
	}
	return raw
}

func TestAttackAtTheRelyingParty(t *testing.T) {
	d, decision := newTestDemo(t)
	ctx := context.Background()
	code, v, nonce := rawFlow(t, d, d.tickets.oauth, decision)
	tok, err := d.tickets.oauth.Exchange(ctx, code, oauth2.VerifierOption(v))
	if err != nil {
		t.Fatal(err)
	}
	ticketsToken := idToken(t, tok)
	if _, err := d.tickets.verify(ctx, ticketsToken, nonce); err != nil {
		t.Fatalf("the rightful audience refused its token: %v", err)
	}

	t.Run("ID token for another audience", func(t *testing.T) {
		if _, err := d.bank.verify(ctx, ticketsToken, nonce); err == nil {
			t.Error("the bank accepted the ticketing site's ID token")
		}
	})
	t.Run("nonce of another login", func(t *testing.T) {
		if _, err := d.tickets.verify(ctx, ticketsToken, rand.Text()); err == nil {
			t.Error("accepted an ID token minted for another login's nonce")
		}
	})
	parts := strings.Split(ticketsToken, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	claims["aud"] = "bank"
	forgedPayload, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	t.Run("alg none", func(t *testing.T) {
		forged := enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(forgedPayload) + "."
		if _, err := d.bank.verify(ctx, forged, nonce); err == nil {
			t.Error("the bank accepted an unsigned token")
		}
	})
	t.Run("key confusion: HS256 under the public key", func(t *testing.T) {
		resp, err := http.Get(d.Provider.URL + "/jwks")
		if err != nil {
			t.Fatal(err)
		}
		jwks, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var set jose.JSONWebKeySet
		if err := json.Unmarshal(jwks, &set); err != nil {
			t.Fatal(err)
		}
		pub, _ := set.Keys[0].Key.(*ecdsa.PublicKey)
		der, _ := pub.Bytes()
		for _, secret := range [][]byte{jwks, der} {
			signing := enc([]byte(`{"alg":"HS256","typ":"JWT","kid":"`+set.Keys[0].KeyID+`"}`)) + "." + enc(forgedPayload)
			m := hmac.New(sha256.New, secret)
			m.Write([]byte(signing))
			if _, err := d.bank.verify(ctx, signing+"."+enc(m.Sum(nil)), nonce); err == nil {
				t.Error("the bank accepted an HS256 token keyed with the provider's public key")
			}
		}
	})
	t.Run("attacker's ES256 key under the provider's kid", func(t *testing.T) {
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: k, KeyID: "2026-12"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		jws, _ := s.Sign(forgedPayload)
		forged, _ := jws.CompactSerialize()
		if _, err := d.bank.verify(ctx, forged, nonce); err == nil {
			t.Error("the bank accepted a token signed by another key")
		}
	})
}

func TestAttackAtTheTokenEndpoint(t *testing.T) {
	d, decision := newTestDemo(t)
	ctx := context.Background()
	var re *oauth2.RetrieveError
	t.Run("code replay", func(t *testing.T) {
		code, v, _ := rawFlow(t, d, d.bank.oauth, decision)
		if _, err := d.bank.oauth.Exchange(ctx, code, oauth2.VerifierOption(v)); err != nil {
			t.Fatal(err)
		}
		if _, err := d.bank.oauth.Exchange(ctx, code, oauth2.VerifierOption(v)); !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
			t.Errorf("replayed code: %v, want invalid_grant", err)
		}
	})
	t.Run("code redeemed by another client", func(t *testing.T) {
		code, v, _ := rawFlow(t, d, d.bank.oauth, decision)
		stolen := d.tickets.oauth
		stolen.RedirectURL = d.bank.oauth.RedirectURL
		if _, err := stolen.Exchange(ctx, code, oauth2.VerifierOption(v)); !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
			t.Errorf("stolen code: %v, want invalid_grant", err)
		}
	})
	t.Run("wrong PKCE verifier", func(t *testing.T) {
		code, _, _ := rawFlow(t, d, d.bank.oauth, decision)
		if _, err := d.bank.oauth.Exchange(ctx, code, oauth2.VerifierOption(oauth2.GenerateVerifier())); !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
			t.Errorf("wrong verifier: %v, want invalid_grant", err)
		}
	})
	t.Run("no PKCE verifier", func(t *testing.T) {
		code, _, _ := rawFlow(t, d, d.bank.oauth, decision)
		if _, err := d.bank.oauth.Exchange(ctx, code); !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
			t.Errorf("no verifier: %v, want invalid_grant", err)
		}
	})
	t.Run("wrong client secret", func(t *testing.T) {
		code, v, _ := rawFlow(t, d, d.bank.oauth, decision)
		bad := d.bank.oauth
		bad.ClientSecret = rand.Text() + rand.Text()
		if _, err := bad.Exchange(ctx, code, oauth2.VerifierOption(v)); !errors.As(err, &re) || re.ErrorCode != "invalid_client" {
			t.Errorf("wrong secret: %v, want invalid_client", err)
		}
	})
}

func TestAttackCallbackReplay(t *testing.T) {
	d, decision := newTestDemo(t)
	b := browser()
	form, page, err := openConsentPage(context.Background(), b, d.Bank.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	form.Set("decision", decision)
	b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := b.PostForm(page.Scheme+"://"+page.Host+"/authorize/approve", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	callback := resp.Header.Get("Location")
	b.CheckRedirect = nil
	for i, want := range []int{http.StatusOK, http.StatusForbidden} {
		resp, err := b.Get(callback)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("callback #%d: %d, want %d", i+1, resp.StatusCode, want)
		}
	}
}

func TestQRSignIn(t *testing.T) {
	d, tok := newTestDemo(t)
	ctx := context.Background()
	view, got, err := signInQR(ctx, d.Provider.URL, d.Bank.URL, "name", tok)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(walletView{ClientName: "示例银行 Example Bank", Purpose: "account opening (anti-money-laundering law)", Claims: []string{"name"}}, view); diff != "" {
		t.Errorf("wallet view mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"name": d.person.Name}, got.Claims); diff != "" {
		t.Errorf("claims mismatch (-want +got):\n%s", diff)
	}
	direct, err := signIn(ctx, d.Bank.URL, "", tok, true)
	if err != nil {
		t.Fatal(err)
	}
	if direct.Subject != got.Subject {
		t.Error("the QR sign-in gave the bank another subject")
	}
}
