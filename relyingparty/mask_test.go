package relyingparty_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/verify"
)

// TestNoPersonalDataInOutput prints the types that hold personal data or secrets with every
// verb, slog and JSON, and looks for the data.
func TestNoPersonalDataInOutput(t *testing.T) {
	id := relyingparty.Identity{Name: testName, IDNumber: holderID, BirthDate: verify.Date{Year: 1990, Month: 3, Day: 7}}
	rec := relyingparty.ConsentRecord{ID: "c1", Subject: "Zq3pairwiseSubjectValueForThePerson0000000", ClientID: "bank"}
	secret := string(bankSecret)
	c := clients()[0]
	tr := relyingparty.TokenRequest{Code: "the-code-value", CodeVerifier: "the-verifier-value", ClientID: "bank", ClientSecret: secret}
	ar := relyingparty.ApproveRequest{Request: "the-request-token", Decision: "the-decision-token"}
	tresp := relyingparty.TokenResponse{IDToken: "the-id-token", AccessToken: "the-access-token"}
	secrets := []string{testName, holderID, "1990-03-07", rec.Subject, secret, "the-code-value", "the-verifier-value",
		"the-request-token", "the-decision-token", "the-id-token", "the-access-token"}
	qa := relyingparty.QRAnswer{Challenge: "the-request-token", Decision: "the-decision-token"}
	ap := relyingparty.Approval{RedirectURI: bankURI + "?code=the-code-value&state=s", Code: "the-code-value", Consent: "c1"}
	pe := relyingparty.Pending{Token: "the-request-token", ClientID: "bank", ClientName: "示例银行"}
	for _, v := range []any{id, rec, c, tr, ar, tresp, qa, ap, pe, &id, &rec, &ap, &pe} {
		var out []string
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			out = append(out, fmt.Sprintf(verb, v))
		}
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "v", v)
		out = append(out, buf.String())
		if _, wire := v.(relyingparty.TokenResponse); wire {
			// its JSON is the token endpoint's response
		} else if b, err := json.Marshal(v); err == nil {
			out = append(out, string(b))
		}
		all := strings.Join(out, "\n")
		for _, s := range secrets {
			if strings.Contains(all, s) {
				t.Errorf("%T output reveals %q", v, s)
			}
		}
	}
	if err := (&relyingparty.Error{Reason: relyingparty.ReasonGrantMismatch, Field: "code"}).Error(); strings.Contains(err, "the-code") {
		t.Error("error text holds a value")
	}
}

// errConnReset stands for a host system's failure.
var errConnReset = errors.New("connection reset")

// leakySource fails the way a careless identity source does: its error names the key it
// looked up.
type leakySource struct{}

func (leakySource) Identity(context.Context, verify.Decision) (relyingparty.Identity, error) {
	return relyingparty.Identity{}, fmt.Errorf("identity lookup for %s (%s): %w", holderID, testName, errConnReset)
}

// TestErrorWithholdsHostText: the provider's error text is fixed; the host's error is
// reachable through errors.Is and errors.As only.
func TestErrorWithholdsHostText(t *testing.T) {
	e := newEnv(t, func(c *relyingparty.Config) { c.Identities = leakySource{} })
	f := e.authorize(t, "bank", bankURI, "openid name")
	e.approve(t, f, e.decision(t, holderID, verify.LevelRealName))
	_, err := e.p.Exchange(context.Background(), f.tokenRequest())
	if !errors.Is(err, relyingparty.ErrUnavailable) || !errors.Is(err, errConnReset) {
		t.Fatalf("Exchange with a failing identity source: %v, want ErrUnavailable wrapping the host's error", err)
	}
	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		out = append(out, fmt.Sprintf(verb, err))
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Error("x", "err", err)
	out = append(out, err.Error(), buf.String())
	all := strings.Join(out, "\n")
	for _, s := range []string{holderID, testName, "connection reset"} {
		if strings.Contains(all, s) {
			t.Errorf("error output reveals %q: %s", s, all)
		}
	}
}
