package relyingparty

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/trustid/trustid/internal/mask"
	"github.com/trustid/trustid/internal/seal"
)

// QRPrefix starts the text of a QR sign-in challenge, so that a wallet recognises it.
const QRPrefix = "TRUSTID-SIGNIN:"

// HandoffStore carries an approval from the person's wallet (which answered a QR
// challenge) to the browser page that showed it. Put stores value under key until
// expires (now is the caller's clock, for forgetting expired values); Take returns it and removes it, so a value is taken at most once; found is false
// for an unknown, taken or expired key. err is for system failures only. Keys are digests.
// Package relyingpartytest holds the conformance suite.
type HandoffStore interface {
	Put(ctx context.Context, key, value string, now, expires time.Time) error
	Take(ctx context.Context, key string, now time.Time) (value string, found bool, err error)
}

// MemoryHandoffStore is an in-memory [HandoffStore], safe for concurrent use; it does not
// share state between processes. It forgets expired values as new ones arrive.
type MemoryHandoffStore struct {
	mu sync.Mutex
	m  map[string]handoff
}

type handoff struct {
	value   string
	expires time.Time
}

// NewMemoryHandoffStore returns an empty store.
func NewMemoryHandoffStore() *MemoryHandoffStore { return &MemoryHandoffStore{m: map[string]handoff{}} }

// Put implements [HandoffStore]. It never returns an error.
func (s *MemoryHandoffStore) Put(_ context.Context, key, value string, now, expires time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= 64 && len(s.m)%64 == 0 {
		for k, h := range s.m {
			if !now.Before(h.expires) {
				delete(s.m, k)
			}
		}
	}
	s.m[key] = handoff{value, expires}
	return nil
}

// Take implements [HandoffStore]. It never returns an error.
func (s *MemoryHandoffStore) Take(_ context.Context, key string, now time.Time) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.m[key]
	delete(s.m, key)
	if !ok || !now.Before(h.expires) {
		return "", false, nil
	}
	return h.value, true, nil
}

// QRChallenge returns the text of the QR code a page shows for a pending request: the
// cross-device path, in which the person scans it with the wallet on their phone. It is
// sealed under the provider's keys, names the pending request, and expires with it; it
// does not let its holder follow the sign-in (only the pending token, which stays in the
// page, does). Same device: the page links to the wallet with the same text.
func (p *Provider) QRChallenge(pending Pending) (string, error) {
	if _, _, err := p.openPending(pending.Token); err != nil {
		return "", err
	}
	tok, err := p.qr.Seal([]byte(pending.Token), pending.Expires, rand.Reader)
	if err != nil {
		return "", failErr(ReasonInvalidArgument, "", err)
	}
	return QRPrefix + tok, nil
}

func (p *Provider) openQR(challenge string) (string, error) {
	if len(challenge) <= len(QRPrefix) || challenge[:len(QRPrefix)] != QRPrefix {
		return "", fail(ReasonNotAuthentic, "challenge")
	}
	b, _, _, err := p.qr.Open(challenge[len(QRPrefix):], p.now())
	switch {
	case errors.Is(err, seal.ErrExpired):
		return "", fail(ReasonExpired, "challenge")
	case err != nil:
		return "", fail(ReasonNotAuthentic, "challenge")
	}
	return string(b), nil
}

// ScanQR opens a scanned challenge for the wallet to show: the relying party's registered
// name, the purpose and the claims asked for. The returned Pending has no Token.
func (p *Provider) ScanQR(challenge string) (Pending, error) {
	token, err := p.openQR(challenge)
	if err != nil {
		return Pending{}, err
	}
	pending, err := p.Pending(token)
	pending.Token = ""
	return pending, err
}

// QRAnswer is the wallet's answer to a scanned challenge.
type QRAnswer struct {
	// Challenge is the scanned text.
	Challenge string
	// Decision, Consent and Notice are as in [ApproveRequest].
	Decision string
	Consent  []Claim
	Notice   string
}

func (a QRAnswer) masked() string {
	return fmt.Sprintf("relyingparty.QRAnswer{Consent: %v, Notice: %q}", a.Consent, a.Notice)
}

// Format writes no token, for every verb.
func (a QRAnswer) Format(f fmt.State, verb rune) { mask.Format(f, verb, a.masked(), a.masked()) }

// String writes no token.
func (a QRAnswer) String() string { return a.masked() }

// GoString writes no token.
func (a QRAnswer) GoString() string { return a.masked() }

// LogValue logs no token.
func (a QRAnswer) LogValue() slog.Value { return slog.StringValue(a.masked()) }

// MarshalJSON writes no token.
func (a QRAnswer) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(a.masked())), nil }

// AnswerQR approves the pending request a challenge names, exactly as [Provider.Approve]
// (the request is single use, so a challenge is answered once), and leaves the approval
// in the HandoffStore for the page's [Provider.PollQR]. It returns the ID of the consent
// record ([Approval.Consent], empty for a result-only sign-in), which the host keeps so
// that the person can withdraw the consent ([Provider.WithdrawConsent]); the code goes to
// the page only, never to the wallet.
func (p *Provider) AnswerQR(ctx context.Context, a QRAnswer) (consent string, err error) {
	token, err := p.openQR(a.Challenge)
	if err != nil {
		return "", err
	}
	ap, err := p.Approve(ctx, ApproveRequest{Request: token, Decision: a.Decision, Consent: a.Consent, Notice: a.Notice})
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(handoffValue{ap.RedirectURI, ap.Code, ap.Consent})
	if err != nil {
		return "", failErr(ReasonInvalidArgument, "", err)
	}
	if err := p.handoffs.Put(ctx, handoffKey(token), string(b), p.now(), p.now().Add(p.codeLife)); err != nil {
		return "", failErr(ReasonUnavailable, "", err)
	}
	return ap.Consent, nil
}

// handoffValue is what AnswerQR leaves for PollQR: the approval.
type handoffValue struct {
	RedirectURI string `json:"r"`
	Code        string `json:"c"`
	Consent     string `json:"k,omitempty"`
}

// PollQR is the page's question: has the wallet answered the pending request? It returns
// the approval (the redirect with the code, and the consent record's ID) once, done=false
// while no answer has arrived.
func (p *Provider) PollQR(ctx context.Context, pendingToken string) (a Approval, done bool, err error) {
	if _, _, err := p.openPending(pendingToken); err != nil {
		return Approval{}, false, err
	}
	v, found, err := p.handoffs.Take(ctx, handoffKey(pendingToken), p.now())
	if err != nil {
		return Approval{}, false, failErr(ReasonUnavailable, "", err)
	}
	if !found {
		return Approval{}, false, nil
	}
	var h handoffValue
	if err := json.Unmarshal([]byte(v), &h); err != nil || h.RedirectURI == "" {
		return Approval{}, false, fail(ReasonNotAuthentic, "handoff")
	}
	return Approval{RedirectURI: h.RedirectURI, Code: h.Code, Consent: h.Consent}, true, nil
}

func handoffKey(pendingToken string) string {
	h := sha256.Sum256([]byte("relyingparty/handoff\x00" + pendingToken))
	return base64.RawURLEncoding.EncodeToString(h[:])
}
