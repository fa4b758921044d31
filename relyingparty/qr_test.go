package relyingparty_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

// TestQRSignIn: the page shows a challenge, the wallet scans it and sees the relying
// party's registered name and what it asks for, answers with the decision and consent,
// and the page's poll moves on with the code, once.
func TestQRSignIn(t *testing.T) {
	e := newEnv(t, nil)
	d := e.decision(t, holderID, verify.LevelRealName)
	f := e.authorize(t, "bank", bankURI, "openid name")
	qr, err := e.p.QRChallenge(f.pending)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(qr, relyingparty.QRPrefix) || strings.Contains(qr, f.pending.Token) {
		t.Fatalf("challenge does not hide the pending token")
	}
	ctx := context.Background()
	if _, done, err := e.p.PollQR(ctx, f.pending.Token); done || err != nil {
		t.Fatalf("poll before the answer: done %t, %v", done, err)
	}
	shown, err := e.p.ScanQR(qr)
	if err != nil {
		t.Fatal(err)
	}
	want := f.pending
	want.Token = ""
	if diff := cmp.Diff(want, shown); diff != "" {
		t.Errorf("wallet shows (-want +got):\n%s", diff)
	}
	consent, err := e.p.AnswerQR(ctx, relyingparty.QRAnswer{Challenge: qr, Decision: d.Token, Consent: shown.Claims, Notice: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	a, done, err := e.p.PollQR(ctx, f.pending.Token)
	if err != nil || !done || !strings.HasPrefix(a.RedirectURI, bankURI+"?code=") {
		t.Fatalf("poll after the answer: %t, %v", done, err)
	}
	if consent == "" || a.Consent != consent {
		t.Errorf("consent ID from AnswerQR %q, from PollQR %q: want the same, not empty", consent, a.Consent)
	}
	if _, done, _ := e.p.PollQR(ctx, f.pending.Token); done {
		t.Error("the redirect was handed out twice")
	}
	// The code in the redirect redeems.
	u, err := url.Parse(a.RedirectURI)
	if err != nil || u.Query().Get("code") != a.Code {
		t.Fatalf("the redirect does not carry Approval.Code")
	}
	f.approval = a
	if _, err := e.p.Exchange(ctx, f.tokenRequest()); err != nil {
		t.Errorf("Exchange of the QR sign-in's code: %v", err)
	}
}

// A consent given through the QR path can be withdrawn, and withdrawal stops the code not
// yet redeemed.
func TestQRConsentWithdrawn(t *testing.T) {
	for _, from := range []string{"AnswerQR", "PollQR"} {
		e := newEnv(t, nil)
		d := e.decision(t, holderID, verify.LevelRealName)
		f := e.authorize(t, "bank", bankURI, "openid name")
		qr, err := e.p.QRChallenge(f.pending)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		consent, err := e.p.AnswerQR(ctx, relyingparty.QRAnswer{Challenge: qr, Decision: d.Token, Consent: f.pending.Claims, Notice: "v1"})
		if err != nil {
			t.Fatal(err)
		}
		a, done, err := e.p.PollQR(ctx, f.pending.Token)
		if err != nil || !done {
			t.Fatal(done, err)
		}
		if from == "PollQR" {
			consent = a.Consent
		}
		if err := e.p.WithdrawConsent(ctx, consent); err != nil {
			t.Fatalf("withdraw the consent ID from %s: %v", from, err)
		}
		f.approval = a
		if _, err := e.p.Exchange(ctx, f.tokenRequest()); !errors.Is(err, relyingparty.ErrAccessDenied) {
			t.Errorf("Exchange after withdrawing the consent from %s: %v, want ErrAccessDenied", from, err)
		}
	}
}

func TestAttackQR(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	d := e.decision(t, holderID, verify.LevelRealName)
	f := e.authorize(t, "bank-app", "http://127.0.0.1/app", "openid")
	qr, err := e.p.QRChallenge(f.pending)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("answered twice", func(t *testing.T) {
		if _, err := e.p.AnswerQR(ctx, relyingparty.QRAnswer{Challenge: qr, Decision: d.Token}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.p.AnswerQR(ctx, relyingparty.QRAnswer{Challenge: qr, Decision: d.Token}); !errors.Is(err, store.ErrReplayed) {
			t.Errorf("second answer: %v, want store.ErrReplayed", err)
		}
	})
	t.Run("the challenge does not poll", func(t *testing.T) {
		if _, _, err := e.p.PollQR(ctx, qr); !errors.Is(err, relyingparty.ErrNotAuthentic) {
			t.Errorf("poll with the QR text: %v, want ErrNotAuthentic", err)
		}
	})
	t.Run("a pending token is not a challenge", func(t *testing.T) {
		if _, err := e.p.AnswerQR(ctx, relyingparty.QRAnswer{Challenge: relyingparty.QRPrefix + f.pending.Token, Decision: d.Token}); !errors.Is(err, relyingparty.ErrNotAuthentic) {
			t.Errorf("answer with the pending token: %v, want ErrNotAuthentic", err)
		}
	})
	t.Run("expired", func(t *testing.T) {
		g := e.authorize(t, "bank-app", "http://127.0.0.1/app", "openid")
		qr, _ := e.p.QRChallenge(g.pending)
		e.clock.t = g.pending.Expires
		defer func() { e.clock.t = testNow }()
		if _, err := e.p.ScanQR(qr); !errors.Is(err, relyingparty.ErrExpired) {
			t.Errorf("scan of an expired challenge: %v, want ErrExpired", err)
		}
	})
}
