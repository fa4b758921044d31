package relyingparty

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/trustid/trustid/internal/mask"
	"github.com/trustid/trustid/internal/seal"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

// Defaults for the lifetimes in [Config].
const (
	DefaultRequestLifetime = 10 * time.Minute
	DefaultCodeLifetime    = time.Minute
	DefaultIDTokenLifetime = 5 * time.Minute
	DefaultMaxDecisionAge  = 15 * time.Minute
)

// Config configures a [Provider].
type Config struct {
	// Issuer is the provider's issuer identifier: an https URL (http on loopback) without
	// query or fragment. Required.
	Issuer string
	// Clients are the registered relying parties. Required.
	Clients []Client
	// Decisions opens the person's decision tokens (the evidence chain's
	// [verify.DecisionSealer]). Required.
	Decisions *verify.DecisionSealer
	// Keys seal authorisation requests and codes (first seals, all open). Required.
	Keys []store.Key
	// SigningKeys sign ID tokens; the first signs, every one is published in the JWKS so
	// that a key can be retired after the tokens it signed expired. Required.
	SigningKeys []SigningKey
	// PairwiseKey derives the pairwise subjects; at least 32 bytes from crypto/rand, the
	// same on every instance, never rotated (a new key gives every person new subjects).
	// Required.
	PairwiseKey []byte
	// Replay makes codes and authorisation requests single use; nil means an in-memory
	// guard, which is only correct for a single instance.
	Replay store.ReplayGuard
	// Consents keeps consent records; nil means an in-memory store.
	Consents ConsentStore
	// Handoffs carries QR sign-in answers from the wallet to the page; nil means an
	// in-memory store, which is only correct for a single instance.
	Handoffs HandoffStore
	// Identities gives the identity behind a decision, for released claims. Nil means
	// no claim beyond the result can be released (a consent to one is refused).
	Identities IdentitySource
	// TrustFramework names the trust framework in verified_claims; empty means "trustid".
	TrustFramework string
	// Lifetimes; zero means the defaults above. The ID token's lifetime is also cut to the
	// decision's ValidUntil.
	RequestLifetime, CodeLifetime, IDTokenLifetime time.Duration
	// MaxDecisionAge is the oldest authentication a sign-in may rest on, measured from the
	// earliest completion of the decision's document, real-person and memory evidence
	// (DecidedAt when it lists none), not from when the decision was made.
	MaxDecisionAge time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Provider is the transport-free core of an OpenID Provider. It is safe for concurrent use.
type Provider struct {
	issuer      string
	clients     map[string]Client
	decisions   *verify.DecisionSealer
	requests    *seal.Sealer
	codes       *seal.Sealer
	qr          *seal.Sealer
	handoffs    HandoffStore
	signers     []signer
	pairwiseKey []byte
	replay      store.ReplayGuard
	consents    ConsentStore
	identities  IdentitySource
	framework   string
	reqLife     time.Duration
	codeLife    time.Duration
	tokenLife   time.Duration
	maxAge      time.Duration
	now         func() time.Time
}

// New checks c and returns a provider.
func New(c Config) (*Provider, error) {
	u, err := url.Parse(c.Issuer)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || !(u.Scheme == "https" || u.Scheme == "http" && isLoopback(u.Hostname())) {
		return nil, fmt.Errorf("relyingparty: issuer must be an https URL without query or fragment: %w", ErrInvalidArgument)
	}
	if c.Decisions == nil || len(c.Clients) == 0 || len(c.PairwiseKey) < 32 {
		return nil, fmt.Errorf("relyingparty: config needs Decisions, Clients and a 32-byte PairwiseKey: %w", ErrInvalidArgument)
	}
	p := &Provider{issuer: c.Issuer, clients: make(map[string]Client), decisions: c.Decisions,
		pairwiseKey: slices.Clone(c.PairwiseKey), replay: c.Replay, consents: c.Consents, identities: c.Identities,
		framework: c.TrustFramework, reqLife: c.RequestLifetime, codeLife: c.CodeLifetime,
		tokenLife: c.IDTokenLifetime, maxAge: c.MaxDecisionAge, now: c.Now}
	for _, cl := range c.Clients {
		if err := cl.check(); err != nil {
			return nil, err
		}
		if _, dup := p.clients[cl.ID]; dup {
			return nil, fmt.Errorf("relyingparty: duplicate client ID: %w", ErrInvalidArgument)
		}
		cl.Secret = slices.Clone(cl.Secret)
		p.clients[cl.ID] = cl
	}
	if p.requests, err = seal.New("relyingparty/request/v1", c.Keys...); err != nil {
		return nil, fmt.Errorf("relyingparty: keys: %v: %w", err, ErrInvalidArgument)
	}
	if p.codes, err = seal.New("relyingparty/code/v1", c.Keys...); err != nil {
		return nil, fmt.Errorf("relyingparty: keys: %v: %w", err, ErrInvalidArgument)
	}
	if p.qr, err = seal.New("relyingparty/qr/v1", c.Keys...); err != nil {
		return nil, fmt.Errorf("relyingparty: keys: %v: %w", err, ErrInvalidArgument)
	}
	if p.handoffs = c.Handoffs; p.handoffs == nil {
		p.handoffs = NewMemoryHandoffStore()
	}
	if p.signers, err = newSigners(c.SigningKeys); err != nil {
		return nil, err
	}
	if p.replay == nil {
		p.replay = store.NewMemoryReplayGuard()
	}
	if p.consents == nil {
		p.consents = NewMemoryConsentStore()
	}
	if p.framework == "" {
		p.framework = "trustid"
	}
	p.reqLife = orDefault(p.reqLife, DefaultRequestLifetime)
	p.codeLife = orDefault(p.codeLife, DefaultCodeLifetime)
	p.tokenLife = orDefault(p.tokenLife, DefaultIDTokenLifetime)
	p.maxAge = orDefault(p.maxAge, DefaultMaxDecisionAge)
	if p.now == nil {
		p.now = time.Now
	}
	return p, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Issuer returns the issuer identifier.
func (p *Provider) Issuer() string { return p.issuer }

// Client returns the registered client with id, without its secret.
func (p *Provider) Client(id string) (Client, bool) {
	c, ok := p.clients[id]
	c.Secret = nil
	return c, ok
}

// pendingState is the sealed form of an accepted authorisation request.
type pendingState struct {
	ClientID    string        `json:"c"`
	RedirectURI string        `json:"r"`
	Claims      []Claim       `json:"cl,omitempty"`
	State       string        `json:"s"`
	Nonce       string        `json:"n"`
	Challenge   string        `json:"pk"`
	Purpose     string        `json:"p"`
	MaxAge      time.Duration `json:"ma,omitempty"`
	// FreshAfter, when set, is the request's time: the decision must be made after it.
	FreshAfter time.Time `json:"fa,omitzero"`
}

// Pending is an accepted authorisation request waiting for the person: what the consent
// page shows, and the sealed Token it posts back to [Provider.Approve].
type Pending struct {
	// Token is the sealed request, single use, valid for Config.RequestLifetime.
	Token string
	// ClientID and ClientName identify the relying party; show ClientName.
	ClientID, ClientName string
	// Claims are the claims asked for beyond the result; empty for result only.
	Claims []Claim
	// Purpose is the purpose to show.
	Purpose string
	// RedirectURI and State are where and with what a refusal is sent back.
	RedirectURI, State string
	// Expires is when Token expires.
	Expires time.Time
}

// Authorize checks an authorisation request against the client's registration: the client
// is known, the redirect URI is exactly a registered one (else [ErrUnknownClient] or
// [ErrRedirectMismatch], which must not be redirected), the claims and purpose are
// registered ([ErrNotPermitted]). It returns the pending request to show the person.
func (p *Provider) Authorize(_ context.Context, r AuthorizationRequest) (Pending, error) {
	c, ok := p.clients[r.ClientID]
	if !ok {
		return Pending{}, fail(ReasonUnknownClient, "client_id")
	}
	if !slices.Contains(c.RedirectURIs, r.RedirectURI) {
		return Pending{}, fail(ReasonRedirectMismatch, "redirect_uri")
	}
	for _, cl := range r.Claims {
		if !slices.Contains(c.Claims, cl) {
			return Pending{}, fail(ReasonNotPermitted, "scope")
		}
	}
	purpose := r.Purpose
	if purpose == "" {
		purpose = c.Purposes[0]
	} else if !slices.Contains(c.Purposes, purpose) {
		return Pending{}, fail(ReasonNotPermitted, "purpose")
	}
	if !validChallenge(r.CodeChallenge) || r.State == "" || r.Nonce == "" {
		return Pending{}, fail(ReasonInvalidArgument, "code_challenge")
	}
	if len(r.Claims) > 0 && p.identities == nil {
		return Pending{}, fail(ReasonNotPermitted, "scope") // nothing to release them from
	}
	claims := slices.Sorted(slices.Values(r.Claims))
	now := p.now()
	st := pendingState{c.ID, r.RedirectURI, claims, r.State, r.Nonce, r.CodeChallenge, purpose, r.MaxAge, time.Time{}}
	if r.Fresh {
		st.FreshAfter = now
	}
	b, err := json.Marshal(st)
	if err != nil {
		return Pending{}, failErr(ReasonInvalidArgument, "", err)
	}
	exp := now.Add(p.reqLife)
	tok, err := p.requests.Seal(b, exp, rand.Reader)
	if err != nil {
		return Pending{}, failErr(ReasonInvalidArgument, "", err)
	}
	return Pending{Token: tok, ClientID: c.ID, ClientName: c.Name, Claims: claims, Purpose: purpose,
		RedirectURI: r.RedirectURI, State: r.State, Expires: exp}, nil
}

// Pending opens a pending request token without using it up, for a page to show it again
// or to send a refusal to the client.
func (p *Provider) Pending(token string) (Pending, error) {
	st, exp, err := p.openPending(token)
	if err != nil {
		return Pending{}, err
	}
	c := p.clients[st.ClientID]
	return Pending{Token: token, ClientID: c.ID, ClientName: c.Name, Claims: st.Claims, Purpose: st.Purpose,
		RedirectURI: st.RedirectURI, State: st.State, Expires: exp}, nil
}

func (p *Provider) openPending(token string) (pendingState, time.Time, error) {
	var st pendingState
	b, exp, _, err := p.requests.Open(token, p.now())
	if errors.Is(err, seal.ErrExpired) {
		return st, exp, fail(ReasonExpired, "request")
	}
	if err != nil || json.Unmarshal(b, &st) != nil {
		return st, exp, fail(ReasonNotAuthentic, "request")
	}
	if _, ok := p.clients[st.ClientID]; !ok {
		return st, exp, fail(ReasonUnknownClient, "client_id") // client removed since
	}
	return st, exp, nil
}

// ApproveRequest is the person's answer to a pending request.
type ApproveRequest struct {
	// Request is [Pending.Token].
	Request string
	// Decision is the person's decision token from the evidence chain.
	Decision string
	// Consent lists the claims the person agreed to release; it must equal the pending
	// request's claims exactly (empty for a result-only request).
	Consent []Claim
	// Notice is the version of the consent text the person was shown; required when
	// Consent is not empty.
	Notice string
}

// Format writes no token, for every verb.
func (r ApproveRequest) Format(f fmt.State, verb rune) { mask.Format(f, verb, r.masked(), r.masked()) }

// Approval is where to send the person back with the code.
type Approval struct {
	// RedirectURI is the client's redirect URI with code, state and iss (RFC 9207) added.
	RedirectURI string
	// Code is the authorisation code, single use, valid for Config.CodeLifetime.
	Code string
	// Consent is the ID of the consent record, empty for a result-only sign-in; the host
	// keeps it so that the person can withdraw the consent ([Provider.WithdrawConsent]).
	Consent string
}

// codeState is the sealed form of a code.
type codeState struct {
	ClientID    string  `json:"c"`
	RedirectURI string  `json:"r"`
	Challenge   string  `json:"pk"`
	Nonce       string  `json:"n"`
	Decision    string  `json:"d"`
	Claims      []Claim `json:"cl,omitempty"`
	Consent     string  `json:"k,omitempty"`
}

// Approve completes a pending request with the person's decision and consent. The decision
// must be authentic, a pass at the client's level or above, no older than the provider's
// and the request's maximum age, and still valid; the consent must be exactly the claims
// asked for. A consent to claims is recorded in the ConsentStore. The request is single
// use ([store.ErrReplayed] the second time). It returns the redirect with the code.
func (p *Provider) Approve(ctx context.Context, r ApproveRequest) (Approval, error) {
	st, _, err := p.openPending(r.Request)
	if err != nil {
		return Approval{}, err
	}
	c := p.clients[st.ClientID]
	now := p.now()
	d, err := p.openDecision(r.Decision, c, st.MaxAge, now)
	if err != nil {
		return Approval{}, err
	}
	if !st.FreshAfter.IsZero() && authTime(d).Before(st.FreshAfter) {
		return Approval{}, fail(ReasonExpired, "decision")
	}
	consent := slices.Sorted(slices.Values(r.Consent))
	if !slices.Equal(consent, st.Claims) {
		return Approval{}, fail(ReasonConsentMismatch, "consent")
	}
	if len(consent) > 0 && (r.Notice == "" || p.identities == nil) {
		return Approval{}, fail(ReasonConsentMismatch, "notice")
	}
	if err := p.claim(ctx, "req", r.Request, now, now.Add(p.reqLife)); err != nil {
		return Approval{}, err
	}
	// A nonce is used for one sign-in per client: a second request with the same nonce is
	// refused, so an ID token can be tied to one request.
	if err := p.claim(ctx, "nonce\x00"+c.ID, st.Nonce, now, now.Add(p.reqLife+p.codeLife+p.tokenLife)); err != nil {
		return Approval{}, err
	}
	cs := codeState{ClientID: c.ID, RedirectURI: st.RedirectURI, Challenge: st.Challenge, Nonce: st.Nonce,
		Decision: r.Decision, Claims: consent}
	if len(consent) > 0 {
		rec := ConsentRecord{ID: rand.Text(), Subject: p.pairwise(c.Sector, d.Subject), ClientID: c.ID,
			Purpose: st.Purpose, Claims: consent, Notice: r.Notice, GivenAt: now}
		if _, err := p.consents.Put(ctx, rec); err != nil {
			return Approval{}, failErr(ReasonUnavailable, "", err)
		}
		cs.Consent = rec.ID
	}
	b, err := json.Marshal(cs)
	if err != nil {
		return Approval{}, failErr(ReasonInvalidArgument, "", err)
	}
	code, err := p.codes.Seal(b, now.Add(p.codeLife), rand.Reader)
	if err != nil {
		return Approval{}, failErr(ReasonInvalidArgument, "", err)
	}
	return Approval{RedirectURI: withParams(st.RedirectURI, "code", code, "state", st.State, "iss", p.issuer),
		Code: code, Consent: cs.Consent}, nil
}

// Deny returns the redirect that tells the client the person refused (error=access_denied).
func (p *Provider) Deny(request string) (string, error) {
	st, _, err := p.openPending(request)
	if err != nil {
		return "", err
	}
	return withParams(st.RedirectURI, "error", "access_denied", "state", st.State, "iss", p.issuer), nil
}

// ErrorRedirect returns the redirect that reports an OAuth error code for a request whose
// client and redirect URI were checked ([Provider.Authorize] returned another error).
func (p *Provider) ErrorRedirect(r AuthorizationRequest, code string) (string, bool) {
	c, ok := p.clients[r.ClientID]
	if !ok || !slices.Contains(c.RedirectURIs, r.RedirectURI) {
		return "", false
	}
	args := []string{"error", code}
	if r.State != "" {
		args = append(args, "state", r.State)
	}
	return withParams(r.RedirectURI, append(args, "iss", p.issuer)...), true
}

func withParams(redirect string, kv ...string) string {
	u, _ := url.Parse(redirect) // registered URIs were parsed by Client.check
	q := u.Query()
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func (p *Provider) openDecision(token string, c Client, maxAge time.Duration, now time.Time) (verify.Decision, error) {
	d, err := p.decisions.Open(token)
	switch {
	case errors.Is(err, verify.ErrExpired):
		return d, fail(ReasonExpired, "decision")
	case err != nil:
		return d, fail(ReasonNotAuthentic, "decision")
	case d.Outcome != verify.OutcomePass || d.Level < c.MinLevel || d.Subject == "":
		return d, fail(ReasonDecisionRefused, "decision")
	case !now.Before(d.ValidUntil):
		return d, fail(ReasonExpired, "decision")
	}
	age := p.maxAge
	if maxAge > 0 {
		age = min(age, maxAge)
	}
	if at := authTime(d); now.Sub(at) > age || d.DecidedAt.After(now) || at.After(now) {
		return d, fail(ReasonExpired, "decision")
	}
	return d, nil
}

// authTime is when the person authenticated for decision d: the earliest completion of
// the document, real-person and memory evidence it rests on (a referee's review is not the
// person authenticating), or DecidedAt when the decision lists no evidence. Deciding again
// on old sealed evidence makes a new decision but not a new authentication, so freshness
// (prompt=login, max_age) and auth_time use this time, not DecidedAt.
func authTime(d verify.Decision) time.Time {
	var at time.Time
	for _, e := range d.Evidence {
		if e.Factor == verify.FactorReview {
			continue
		}
		if at.IsZero() || e.CompletedAt.Before(at) {
			at = e.CompletedAt
		}
	}
	if at.IsZero() {
		return d.DecidedAt
	}
	return at
}

// claim records a single-use value under a digest in the replay guard.
func (p *Provider) claim(ctx context.Context, kind, value string, now, exp time.Time) error {
	h := sha256.Sum256([]byte("relyingparty/" + kind + "\x00" + value))
	first, err := p.replay.Claim(ctx, base64.RawURLEncoding.EncodeToString(h[:]), now, exp)
	if err != nil {
		return failErr(ReasonUnavailable, "", err)
	}
	if !first {
		return fail(ReasonReplayed, kind)
	}
	return nil
}

// pairwise derives the subject for a sector: HMAC-SHA-256 under the pairwise key of a
// domain label, the sector and the decision's person binding (itself an HMAC of the
// person's canonical identity), base64url without padding. Nobody without the pairwise key
// can compute it, and subjects at two sectors cannot be linked without it.
func (p *Provider) pairwise(sector, personSubject string) string {
	m := hmac.New(sha256.New, p.pairwiseKey)
	m.Write([]byte("trustid/oidc/pairwise/v1\x00"))
	m.Write([]byte(sector))
	m.Write([]byte{0})
	m.Write([]byte(personSubject))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// TokenResponse is the token endpoint's answer (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3).
type TokenResponse struct {
	// IDToken is the signed ID token.
	IDToken string `json:"id_token"`
	// AccessToken is required by RFC 6749; the provider serves no protected resource, so
	// it grants nothing and is never accepted by the provider.
	AccessToken string `json:"access_token"`
	// TokenType is "Bearer".
	TokenType string `json:"token_type"`
	// ExpiresIn is the ID token's lifetime in seconds.
	ExpiresIn int64 `json:"expires_in"`
}

// Format writes no token, for every verb.
func (t TokenResponse) Format(f fmt.State, verb rune) { mask.Format(f, verb, t.masked(), t.masked()) }

// Exchange redeems a code at the token endpoint. It authenticates the client (a
// confidential client by its secret, in constant time; [ErrUnknownClient]), opens the code
// ([ErrNotAuthentic], [ErrExpired]), uses it up ([store.ErrReplayed] for any later
// presentation, whoever makes it), checks that it was issued to this client for this
// redirect URI and that the PKCE S256 verifier matches ([ErrGrantMismatch]), opens the
// decision again (it must still be valid), checks the consent was not withdrawn, and signs
// the ID token.
func (p *Provider) Exchange(ctx context.Context, r TokenRequest) (TokenResponse, error) {
	c, ok := p.clients[r.ClientID]
	if !ok {
		return TokenResponse{}, fail(ReasonUnknownClient, "client_id")
	}
	if len(c.Secret) > 0 || r.ClientSecret != "" {
		a, b := sha256.Sum256(c.Secret), sha256.Sum256([]byte(r.ClientSecret))
		if len(c.Secret) == 0 || subtle.ConstantTimeCompare(a[:], b[:]) != 1 {
			return TokenResponse{}, fail(ReasonUnknownClient, "client_secret")
		}
	}
	now := p.now()
	b, exp, _, err := p.codes.Open(r.Code, now)
	if errors.Is(err, seal.ErrExpired) {
		return TokenResponse{}, fail(ReasonExpired, "code")
	}
	var cs codeState
	if err != nil || json.Unmarshal(b, &cs) != nil {
		return TokenResponse{}, fail(ReasonNotAuthentic, "code")
	}
	if err := p.claim(ctx, "code", r.Code, now, exp); err != nil {
		return TokenResponse{}, err
	}
	if cs.ClientID != c.ID {
		return TokenResponse{}, fail(ReasonGrantMismatch, "client_id")
	}
	if cs.RedirectURI != r.RedirectURI {
		return TokenResponse{}, fail(ReasonGrantMismatch, "redirect_uri")
	}
	sum := sha256.Sum256([]byte(r.CodeVerifier))
	if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(cs.Challenge)) != 1 {
		return TokenResponse{}, fail(ReasonGrantMismatch, "code_verifier")
	}
	d, err := p.decisions.Open(cs.Decision)
	if errors.Is(err, verify.ErrExpired) || err == nil && !now.Before(d.ValidUntil) {
		return TokenResponse{}, fail(ReasonExpired, "decision")
	} else if err != nil {
		return TokenResponse{}, fail(ReasonNotAuthentic, "decision")
	}
	sub := p.pairwise(c.Sector, d.Subject)
	var id Identity
	if len(cs.Claims) > 0 {
		rec, found, err := p.consents.Get(ctx, cs.Consent)
		switch {
		case err != nil:
			return TokenResponse{}, failErr(ReasonUnavailable, "", err)
		case !found || rec.ClientID != c.ID || rec.Subject != sub || !slices.Equal(rec.Claims, cs.Claims):
			return TokenResponse{}, fail(ReasonConsentMismatch, "consent")
		case rec.Withdrawn(now):
			return TokenResponse{}, fail(ReasonConsentWithdrawn, "consent")
		}
		if p.identities == nil {
			return TokenResponse{}, fail(ReasonConsentMismatch, "consent")
		}
		if id, err = p.identities.Identity(ctx, d); err != nil {
			return TokenResponse{}, failErr(ReasonUnavailable, "", err)
		}
		if !d.IsPerson(id.IDNumber) {
			return TokenResponse{}, fail(ReasonUnavailable, "identity")
		}
	}
	tok, exp, err := p.signIDToken(c, sub, cs.Nonce, d, cs.Claims, id, now)
	if err != nil {
		return TokenResponse{}, err
	}
	return TokenResponse{IDToken: tok, AccessToken: rand.Text(), TokenType: "Bearer",
		ExpiresIn: int64(exp.Sub(now).Round(time.Second) / time.Second)}, nil
}

// WithdrawConsent withdraws a consent record at the current time. Codes issued under it
// and not yet redeemed are refused from then on; ID tokens already issued are not recalled.
func (p *Provider) WithdrawConsent(ctx context.Context, id string) error {
	rec, found, err := p.consents.Get(ctx, id)
	if err != nil {
		return failErr(ReasonUnavailable, "", err)
	}
	if !found {
		return fail(ReasonInvalidArgument, "consent")
	}
	if !rec.WithdrawnAt.IsZero() {
		return nil
	}
	rec.WithdrawnAt = p.now()
	if _, err := p.consents.Put(ctx, rec); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return err
		}
		return failErr(ReasonUnavailable, "", err)
	}
	return nil
}

// TrustFramework returns the trust framework named in verified_claims.
func (p *Provider) TrustFramework() string { return p.framework }
